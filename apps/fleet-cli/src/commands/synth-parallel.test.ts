/**
 * Rendering on worker threads must not change a byte: a generated 20-cluster fleet synthesized with two render
 * workers and in one thread gives the same tree, the same summary, and the same drift report.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateFleet } from '@aks-fleet/fleet/testing/generated';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanScratch, readTree, REPO_ROOT, runCli, scratchDir } from '../testing/run-cli.ts';
import { defaultWorkers, MAX_DEFAULT_WORKERS, PARALLEL_FROM_CLUSTERS } from './synth.ts';
import { workerFleet } from './synth-worker.ts';

afterEach(cleanScratch);

// Each worker loads the CLI's sources through tsx here (the bundle in real runs): slow on a loaded 2-core machine.
const WORKER_TEST = { timeout: 240_000 };

function fleetFile(clusters: number): string {
  const file = path.join(scratchDir('fleet-parallel-'), 'fleet.yaml');
  writeFileSync(file, stringify(generateFleet(clusters)));
  return file;
}

async function synth(...args: string[]) {
  const result = await runCli(['synth', '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  const {
    durationMs: _durationMs,
    peakRssMb: _peakRssMb,
    cpuMs: _cpuMs,
    ...summary
  } = JSON.parse(result.stdout) as Record<string, unknown>;
  return summary;
}

describe('fleet synth --workers', () => {
  it('writes a byte-identical tree with two render workers and in one thread (20 clusters)', WORKER_TEST, async () => {
    const fleet = fleetFile(20);
    const serial = scratchDir();
    const parallel = scratchDir();
    const serialSummary = await synth('--workers', '0', '--fleet', fleet, '--root', serial);
    const parallelSummary = await synth('--workers', '2', '--fleet', fleet, '--root', parallel);
    expect(parallelSummary).toStrictEqual(serialSummary);
    expect(serialSummary.clusters).toHaveLength(20);
    const tree = readTree(serial);
    expect(Object.keys(tree).filter((file) => file.startsWith('infrastructure/clusters/'))).toHaveLength(20 * 6);
    expect(readTree(parallel)).toStrictEqual(tree);
  });

  it('reports the same drift from worker threads, and writes nothing in check mode', WORKER_TEST, async () => {
    const fleet = fleetFile(20);
    const root = scratchDir();
    await synth('--workers', '0', '--fleet', fleet, '--root', root);
    const edited = 'manifests/aks-eastus-00/baseline/kustomization.yaml';
    // Still generated (its header kept): a file without the header where synthesis writes is refused, not drift.
    writeFileSync(path.join(root, edited), `${readFileSync(path.join(root, edited), 'utf8')}# edited by hand\n`);
    const before = readTree(root);
    const result = await runCli(['synth', '--check', '--workers', '2', '--fleet', fleet, '--root', root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`DRIFT ${edited}`);
    expect(readTree(root)).toStrictEqual(before);
  });

  // Object problems from worker threads equal the serial run's: libs/synth/src/render-pool.test.ts (synthesis is
  // offline now, so the CLI has no switch that makes every cluster's objects invalid).

  it('renders through the bundled CLI with its worker bundle, byte for byte as in one thread', WORKER_TEST, () => {
    // bin/fleet.js: the CLI bundle starts workers from its own, smaller worker bundle (synth-worker.ts).
    const fleet = fleetFile(6);
    const roots = ['0', '2'].map((workers) => {
      const root = scratchDir();
      const result = spawnSync(
        process.execPath,
        [
          path.join(REPO_ROOT, 'apps/fleet-cli/bin/fleet.js'),
          'synth',
          '--workers',
          workers,
          '--fleet',
          fleet,
          '--root',
          root,
        ],
        { cwd: REPO_ROOT, encoding: 'utf8' },
      );
      expect(result.status, result.stderr).toBe(0);
      return root;
    });
    expect(readTree(roots[1]!)).toStrictEqual(readTree(roots[0]!));
  });

  it('renders on one worker per spare core from a few hundred clusters on, when --workers is not given', () => {
    expect(defaultWorkers(PARALLEL_FROM_CLUSTERS - 1, 8)).toBe(0);
    expect(defaultWorkers(PARALLEL_FROM_CLUSTERS, 1)).toBe(0);
    expect(defaultWorkers(PARALLEL_FROM_CLUSTERS, 2)).toBe(1);
    expect(defaultWorkers(5000, 64)).toBe(MAX_DEFAULT_WORKERS);
  });

  it('freezes the fleet a worker receives again, as parsing does (memos keyed by the spec need it)', () => {
    const clone = structuredClone(generateFleet(3));
    const fleet = workerFleet(clone);
    const firstCluster = Object.values(fleet.spec.regions)[0]!.clusters[0]!;
    expect([fleet, fleet.spec, firstCluster, firstCluster.nodePools].every((part) => Object.isFrozen(part))).toBe(true);
  });

  it('rejects a --workers value that is not a whole number', async () => {
    const result = await runCli(['synth', '--workers', 'many', '--root', scratchDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--workers many: expected a whole number of threads');
  });
});
