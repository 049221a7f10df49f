#!/usr/bin/env node
// The `fleet` command. Runs the TypeScript sources directly, so `npx fleet …` works right after `npm ci` with no
// build step. Fast start: the sources are bundled once with esbuild into .cache/fleet-cli/<fingerprint>.mjs (the
// fingerprint covers every source file's path, size and mtime, so an edit rebuilds it); loading one bundle takes
// about half the time of loading ~1000 modules through tsx's loader. Any bundling problem falls back to tsx.
// FLEET_NO_BUNDLE=1 always runs the sources through tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const entry = path.join(root, 'apps/fleet-cli/src/main.ts');
const workerEntry = path.join(root, 'apps/fleet-cli/src/commands/synth-worker.ts');
// Loaded on demand (deploy, cluster status, schema validation, SVG rendering): kept out of the bundle, so a command
// that does not need them never evaluates them.
const EXTERNAL = [
  '@azure/*',
  '@kubernetes/client-node',
  '@viz-js/viz',
  'ajv',
  'ajv-draft-04',
  'ajv-formats',
  'esbuild',
  'tsx',
];

function fingerprint() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
        const s = statSync(file);
        hash.update(`${file}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  for (const group of ['apps', 'libs']) {
    for (const project of readdirSync(path.join(root, group))) {
      const src = path.join(root, group, project, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(lock)) hash.update(String(statSync(lock).mtimeMs));
  hash.update(readFileSync(fileURLToPath(import.meta.url))); // how to bundle (externals, the worker bundle) is in here
  return hash.digest('hex').slice(0, 16);
}

/** esbuild options shared by the CLI bundle and the render worker's bundle. */
function bundleOptions(entryPoint, outfile) {
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    banner: {
      js: "import { createRequire as __fleetCreateRequire } from 'node:module'; const require = __fleetCreateRequire(import.meta.url);",
    },
    logLevel: 'silent',
  };
}

/**
 * The CLI bundle `<fingerprint>.mjs` and, next to it, `<fingerprint>.worker.mjs`: what a synthesis render worker
 * thread loads (apps/fleet-cli/src/commands/synth-worker.ts) — the rendering code without the rest of the CLI.
 */
async function bundled() {
  const dir = path.join(root, '.cache/fleet-cli');
  const name = fingerprint();
  const bundle = path.join(dir, `${name}.mjs`);
  if (!existsSync(bundle)) {
    const { build } = await import('esbuild');
    mkdirSync(dir, { recursive: true });
    const worker = `${name}.worker.mjs`;
    const temporary = (file) => `${file}.${process.pid}.tmp`;
    await build(bundleOptions(workerEntry, temporary(path.join(dir, worker))));
    await build({
      ...bundleOptions(entry, temporary(bundle)),
      define: { FLEET_RENDER_WORKER_BUNDLE: JSON.stringify(worker) },
    });
    // The worker bundle first: the CLI bundle's presence is what says both are built.
    renameSync(temporary(path.join(dir, worker)), path.join(dir, worker));
    renameSync(temporary(bundle), bundle);
    for (const old of readdirSync(dir))
      if (old.endsWith('.mjs') && !old.startsWith(`${name}.`)) rmSync(path.join(dir, old), { force: true });
  }
  return import(pathToFileURL(bundle).href);
}

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(entry).href);
}

// `fleet … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

let cli;
if (process.env.FLEET_NO_BUNDLE !== '1') {
  try {
    cli = await bundled();
  } catch (error) {
    if (process.env.FLEET_DEBUG)
      process.stderr.write(`fleet: bundling failed, running the sources (${error.message})\n`);
  }
}
cli ??= await fromSources();
process.exitCode = await cli.main(process.argv.slice(2));
