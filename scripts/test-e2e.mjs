#!/usr/bin/env node
// `npm run test:e2e`: builds the real e2e binaries if needed (scripts/build-e2e-tools.sh), runs the e2e vitest
// project (libs/e2e: one loopback control plane per region reconciling the synthesized fleet), prints the results
// table (region × scenario × result × seconds) and ends with one plain `N passed, N failed` line.
// Bounded in time (E2E_TIMEOUT_MINUTES, default 30: two suites, each with its own control planes); ends whatever a crashed run left behind (only the processes
// and temp dirs the harness recorded in .cache/e2e/).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = path.join(root, '.cache/e2e');
const binDir = process.env.E2E_TOOLS_BIN ?? path.join(root, '.cache/tools/e2e/bin');
const resultsFile = path.join(stateDir, 'results.json');
const vitestReport = path.join(stateDir, 'vitest.json');
const timeoutMinutes = Number(process.env.E2E_TIMEOUT_MINUTES ?? 30);
const started = Date.now();

const sharedSchemas = path.resolve(root, '../shared/schemas');
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CDK8S_CHECK_UPGRADE: 'false',
  FLEET_SCHEMA_LOCATION:
    process.env.FLEET_SCHEMA_LOCATION ??
    (existsSync(sharedSchemas) ? sharedSchemas : path.join(root, '.cache/schemas')),
  E2E_STATE_DIR: stateDir,
  E2E_REGISTRY_DIR: path.join(stateDir, 'runs', String(process.pid)),
  E2E_RESULTS_FILE: resultsFile,
  E2E_QUIET_TABLE: '1',
};

const say = (line = '') => process.stdout.write(`${line}\n`);

const runsDir = path.join(stateDir, 'runs');
const registryDir = path.join(runsDir, String(process.pid));

const alive = (pid) => existsSync(`/proc/${pid}`);

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function remove(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (error) {
    say(`test:e2e: could not remove ${dir}: ${error.message}`);
  }
}

/**
 * Ends the process groups and removes the temp dirs recorded in one run's registry (written by the harness,
 * libs/e2e/src/fleet-environment.ts). Returns what was still there.
 */
function cleanRegistry(dir) {
  const left = [];
  const pids = path.join(dir, 'pids');
  if (existsSync(pids)) {
    for (const line of readFileSync(pids, 'utf8').split('\n').filter(Boolean)) {
      const [pid, name] = line.split('\t');
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue; // gone
      }
      // Only a process the harness started: its command is one of the e2e binaries.
      if (!cmdline.startsWith(binDir)) continue;
      try {
        process.kill(-Number(pid), 'SIGKILL');
        left.push(`${name} (pid ${pid})`);
      } catch {
        // already gone
      }
    }
  }
  const runDirs = path.join(dir, 'run-dirs');
  if (existsSync(runDirs)) {
    for (const runDir of readFileSync(runDirs, 'utf8').split('\n').filter(Boolean)) {
      if (existsSync(runDir) && path.basename(runDir).startsWith('aks-fleet-e2e-')) {
        remove(runDir);
        left.push(runDir);
      }
    }
  }
  remove(dir);
  return left;
}

/** Registries of earlier runs whose owner is gone (a crashed or killed run). */
function cleanStaleRegistries() {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir)
    .filter((name) => /^\d+$/.test(name) && !alive(name))
    .flatMap((name) => cleanRegistry(path.join(runsDir, name)));
}

function runVitest() {
  return new Promise((resolve) => {
    const child = spawn(
      path.join(root, 'node_modules/.bin/vitest'),
      [
        'run',
        '--config',
        'libs/e2e/vitest.config.ts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile=${vitestReport}`,
      ],
      { cwd: root, env, stdio: 'inherit', detached: true },
    );
    const timer = setTimeout(() => {
      say(`\ntest:e2e: TIMEOUT after ${timeoutMinutes} min: stopping vitest`);
      try {
        process.kill(-child.pid, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // gone
          }
        }, 15_000).unref();
      } catch {
        // gone
      }
    }, timeoutMinutes * 60_000);
    const forward = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // gone
      }
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', async (code, signal) => {
      clearTimeout(timer);
      // Wait for the rest of vitest's process group (workers, a synth in flight) before cleaning up after it.
      for (let i = 0; i < 100 && groupAlive(child.pid); i++) await new Promise((r) => setTimeout(r, 200));
      if (groupAlive(child.pid)) forward('SIGKILL');
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

mkdirSync(stateDir, { recursive: true });
const stale = cleanStaleRegistries();
if (stale.length > 0) say(`test:e2e: removed leftovers of an earlier run: ${stale.join(', ')}`);
rmSync(resultsFile, { force: true });
rmSync(path.join(stateDir, 'rollout-results.json'), { force: true });
rmSync(vitestReport, { force: true });

say('== e2e tools (scripts/build-e2e-tools.sh)');
const build = spawnSync('bash', [path.join(root, 'scripts/build-e2e-tools.sh')], { cwd: root, env, stdio: 'inherit' });
if (build.status !== 0) {
  say('\ntest:e2e: the e2e tools could not be built (see above)');
  say('0 passed, 1 failed');
  process.exit(1);
}

say(`\n== e2e (libs/e2e; schemas: ${env.FLEET_SCHEMA_LOCATION})`);
const status = await runVitest();
const leftovers = cleanRegistry(registryDir);

let passed = 0;
let failed = 0;
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.success === false && report.numFailedTests === 0 ? 1 : 0);
} else {
  failed = 1;
}
if (status !== 0 && failed === 0) failed = 1;
if (leftovers.length > 0) {
  say(`\ntest:e2e: the harness left processes or temp dirs behind (now removed): ${leftovers.join(', ')}`);
  failed++;
}

say('\n== e2e results (region × scenario)');
if (existsSync(resultsFile)) {
  const { table, info } = JSON.parse(readFileSync(resultsFile, 'utf8'));
  say(table);
  if (info.modelEdits) say(`\nmodel edits: change = ${info.modelEdits.change}; prune = ${info.modelEdits.prune}`);
  if (info.regions)
    say(
      `control planes: ${info.regions.map((r) => `${r.region}/${r.cluster} up in ${r.controlPlaneStartSeconds.toFixed(1)} s`).join(', ')}`,
    );
  if (info.memory) {
    const m = info.memory;
    say(
      `peak memory: ${m.totalMiB} MiB for ${m.processes} control-plane processes (${Object.entries(m.byGroup)
        .map(([g, v]) => `${g} ${v} MiB`)
        .join(', ')}); harness ${m.harnessMiB} MiB`,
    );
  }
} else {
  say('(no results recorded)');
}
// The staged-rollout scenarios (libs/e2e/src/rollout-waves.test.ts) keep their own table.
const rolloutResults = path.join(stateDir, 'rollout-results.json');
if (existsSync(rolloutResults)) {
  const { table, info } = JSON.parse(readFileSync(rolloutResults, 'utf8'));
  say('\n== e2e staged rollout (cluster × scenario)');
  say(table);
  if (info.waves)
    say(
      `\nwaves: ${info.waves.map((w) => `${w.name} [${w.clusters.join(', ')}] → ${w.branch}, soak ${w.soak}`).join('; ')}`,
    );
  if (info.commitToLastWaveSeconds !== undefined)
    say(
      `commit → last wave converged: ${info.commitToLastWaveSeconds.toFixed(1)} s (soak included); fix → last wave: ${info.fixToLastWaveSeconds?.toFixed(1) ?? '-'} s`,
    );
}
say(
  `total: ${((Date.now() - started) / 1000).toFixed(0)} s; logs of the last run: ${path.relative(root, path.join(stateDir, 'logs'))}/`,
);
say(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
