#!/usr/bin/env node
// `npm test`: installs the pinned tools (kustomize …), then typechecks every project, lints the workspace with
// the nx module boundaries, checks the formatting (prettier, .prettierrc.json), and runs every vitest project. Ends with one plain `N passed, N failed` line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const bin = (name) => path.join(root, 'node_modules/.bin', name);
let passed = 0;
let failed = 0;

function run(label, command, args, options = {}) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', ...options });
  return result.status === 0;
}

function check(label, command, args) {
  const ok = run(label, command, args);
  if (ok) passed++;
  else {
    failed++;
    process.stdout.write(`FAILED ${label}\n`);
  }
  return ok;
}

if (!run('tools', 'bash', [path.join(root, 'scripts/install-tools.sh')])) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
if (!env.FLEET_SCHEMA_LOCATION) {
  // Online users get the pinned schemas in .cache/schemas; every child process then reads them from there.
  if (!existsSync(path.join(root, '.cache/schemas/arm')))
    run('schemas', 'bash', [path.join(root, 'scripts/fetch-schemas.sh')]);
  env.FLEET_SCHEMA_LOCATION = path.join(root, '.cache/schemas');
}

// The module-boundary lint rule reads nx's cached project graph: compute it first.
run('project graph', process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects']);

for (const group of ['libs', 'apps']) {
  for (const name of readdirSync(path.join(root, group)).sort()) {
    const tsconfig = path.join(root, group, name, 'tsconfig.json');
    if (existsSync(tsconfig)) check(`typecheck ${group}/${name}`, bin('tsc'), ['-p', tsconfig, '--noEmit']);
  }
}
check('lint', bin('eslint'), ['--max-warnings=0', '.']);
check('format', bin('prettier'), ['--check', '--log-level=warn', '.']);

const report = path.join(root, '.cache/test-results/vitest.json');
mkdirSync(path.dirname(report), { recursive: true });
run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed +=
    results.numFailedTests +
    (results.numTotalTestSuites > 0 && results.success === false && results.numFailedTests === 0 ? 1 : 0);
} else {
  failed++;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
