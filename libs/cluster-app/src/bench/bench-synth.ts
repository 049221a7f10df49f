/**
 * Fleet-scale benchmark (a script, not a test): generated fleets of 1, 10, 100 and 1000 clusters, each command run as
 * a fresh process exactly as a user runs it. One table, every figure measured in this run (medians of `--runs`):
 *
 * - synth: whole `fleet synth` process (manifests, Flux entrypoints, infrastructure/) into an empty root — wall,
 *   CPU (all threads), peak RSS; its own `durationMs`; the YAML floor (serializing the same objects in this
 *   process) and synth / floor. Every run writes into a folder of its own; trees are removed only after the size is
 *   measured (on some file systems — ext4 without a journal — creating files right after deleting thousands is
 *   many times slower, and the benchmark would time its own clean-up).
 * - writes: the same files (paths and contents of the synthesized tree) written by a plain mkdir + writeFileSync
 *   loop into a fresh folder of the same file system: what the disk alone costs, measured in the same run.
 * - one cluster: `fleet synth --cluster X` after a change to X (an nx cluster task), and `fleet diff --base HEAD`
 *   for that change on a temporary git repository holding the synthesized tree.
 * - validate: `fleet validate` on the synthesized tree (needs the pinned kustomize, scripts/install-tools.sh), cold (no
 *   record of passed kustomize builds: every cluster is built) and warm (the same tree again).
 * - naive baseline (at `--naive` clusters, default 100): one cdk8s process per cluster that builds the cluster's
 *   charts and calls `app.synth()` (bundled like the CLI, so process start is not penalised), run one after the
 *   other as a loop in CI would; checked to emit the same objects.
 *
 *   npm run bench:synth [-- --runs 3 --naive 100 --diff-max N --dir DIR 1 10 100 1000]
 *   (--diff-max: no diff above N clusters; --dir: where the trees are written, default the OS temporary folder)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Fleet } from '@aks-fleet/fleet';
import { generateFleet } from '@aks-fleet/fleet/testing/generated';
import { objectId, renderCluster, toYaml, type KubernetesObject } from '@aks-fleet/synth';
import { build } from 'esbuild';
import { loadAll } from 'js-yaml';
import { stringify } from 'yaml';
import { clusterDefinitions } from '../cluster-definitions.ts';
import { kustomizeLocation } from '@aks-fleet/util';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = path.join(ROOT, 'apps/fleet-cli/bin/fleet.js');
/** The record of passed kustomize builds `fleet validate` keeps (libs/gate kustomize-build-cache.ts). */
const KUSTOMIZE_BUILD_RECORDS = path.join(ROOT, '.cache/kustomize-builds');
const NAIVE_SOURCE = fileURLToPath(new URL('./naive-cluster-synth.ts', import.meta.url));

interface Summary {
  readonly clusters: readonly string[];
  readonly objects: number;
  readonly files: number;
  readonly durationMs: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Runs `fn` `runs` times; the median of what it returns. */
function medianOf(runs: number, fn: (run: number) => number): number {
  return median(Array.from({ length: runs }, (_, run) => fn(run)));
}

/** GNU time, when installed: CPU (user + system, every thread) and peak RSS of a child process. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Timed {
  readonly seconds: number;
  readonly stdout: string;
  readonly status: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

function timed(command: string, args: readonly string[], cwd = ROOT): Timed {
  const started = performance.now();
  const argv = GNU_TIME ? ['-f', 'BENCH-TIME %U %S %M', command, ...args] : args;
  const result = spawnSync(GNU_TIME ?? command, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: process.env });
  if (result.error) throw result.error;
  const seconds = (performance.now() - started) / 1000;
  const [user, system, rssKb] = (/BENCH-TIME (\S+) (\S+) (\S+)/.exec(result.stderr)?.slice(1) ?? []).map(Number);
  return {
    seconds,
    stdout: result.stdout,
    status: result.status ?? 1,
    cpuSeconds: user! + system!,
    peakRssMb: rssKb! / 1024,
  };
}

function fleetCli(args: readonly string[]): Timed {
  return timed(process.execPath, [CLI, ...args]);
}

/** Kubernetes objects of the fleet, rendered (not timed). */
function fleetObjects(fleet: Fleet): KubernetesObject[] {
  return clusterDefinitions(fleet).flatMap((d) => {
    const { cluster } = renderCluster(d);
    return [...cluster.layers.flatMap((l) => l.objects), ...cluster.entrypoint];
  });
}

/** Serializing the fleet's Kubernetes objects to YAML: the floor no synthesis can beat. */
function yamlFloorMs(objects: readonly KubernetesObject[]): number {
  const started = performance.now();
  let bytes = 0;
  for (const object of objects) bytes += toYaml(object).length;
  if (bytes === 0) throw new Error('nothing serialized');
  return performance.now() - started;
}

/** Every file below `folder`: repository-relative path and content. */
function filesIn(folder: string): Array<{ path: string; content: Buffer }> {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { path: path.relative(folder, file), content: readFileSync(file) };
    });
}

/** Writing `files` into the empty folder `root` with a plain loop (a folder created once): the disk's share. */
function plainWriteSeconds(files: ReadonlyArray<{ path: string; content: Buffer }>, root: string): number {
  const started = performance.now();
  const folders = new Set<string>();
  for (const file of files) {
    const target = path.join(root, file.path);
    const folder = path.dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    writeFileSync(target, file.content);
  }
  return (performance.now() - started) / 1000;
}

function git(cwd: string, ...args: string[]): void {
  // No background `git gc --auto`: it would still be writing into the repository when the benchmark removes it.
  execFileSync(
    'git',
    [
      '-c',
      'user.email=bench@aks-fleet.invalid',
      '-c',
      'user.name=bench',
      '-c',
      'gc.auto=0',
      '-c',
      'maintenance.auto=false',
      ...args,
    ],
    { cwd, stdio: 'ignore' },
  );
}

/** Object ids below `folder` (one YAML document per file; kustomization.yaml files are not objects). */
function objectIdsIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml') && path.basename(file) !== 'kustomization.yaml')
    .flatMap((file) =>
      (loadAll(readFileSync(path.join(folder, file), 'utf8')) as KubernetesObject[]).filter(Boolean).map(objectId),
    );
}

async function naiveBundle(dir: string): Promise<string> {
  const bundle = path.join(dir, 'naive-cluster-synth.mjs');
  await build({
    entryPoints: [NAIVE_SOURCE],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: {
      js: "import { createRequire as __naiveRequire } from 'node:module'; const require = __naiveRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  return bundle;
}

/** The naive baseline: one cdk8s process per cluster, one after the other; checks it emits our objects. */
function naive(
  bundle: string,
  fleetFile: string,
  clusters: readonly string[],
  synthesized: string,
  dir: string,
): { seconds: number; sameObjects: boolean } {
  const out = path.join(dir, 'naive');
  const started = performance.now();
  for (const cluster of clusters) {
    const result = spawnSync(process.execPath, [bundle, fleetFile, cluster, path.join(out, cluster)], {
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`naive synth of ${cluster} failed`);
  }
  const seconds = (performance.now() - started) / 1000;
  const sameObjects = clusters.every((cluster) => {
    const ours = [
      ...objectIdsIn(path.join(synthesized, 'manifests', cluster)),
      ...objectIdsIn(path.join(synthesized, 'clusters', cluster)),
    ].sort();
    const theirs = objectIdsIn(path.join(out, cluster)).sort();
    return ours.length > 0 && JSON.stringify(ours) === JSON.stringify(theirs);
  });
  return { seconds, sameObjects };
}

/**
 * The fleet with one change to its first cluster: one more workload replica (manifests) and the two more user nodes
 * the capacity rule then asks for (ARM: failover doubles the load, one pod per node).
 */
function withOneClusterChange(fleet: Fleet): { fleet: Fleet; cluster: string } {
  const changed = structuredClone(fleet) as Fleet;
  const cluster = Object.values(changed.spec.regions)[0]!.clusters[0]!;
  cluster.nodePools.user.maxCount += 2;
  cluster.workload = {
    ...cluster.workload,
    replicas: (cluster.workload?.replicas ?? changed.spec.workload.replicas) + 1,
  };
  return { fleet: changed, cluster: cluster.name };
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return `| ${cells.map((c, i) => String(c).padStart(widths[i]!)).join(' | ')} |`;
}

function load(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '3' },
      naive: { type: 'string', default: '100' },
      'diff-max': { type: 'string', default: '1000000' },
      dir: { type: 'string', default: tmpdir() },
    },
  });
  const runs = Number(values.runs);
  const naiveAt = Number(values.naive);
  const sizes = positionals.length > 0 ? positionals.map(Number) : [1, 10, 100, 1000];
  const kustomize = existsSync(kustomizeLocation(ROOT)) ? kustomizeLocation(ROOT) : undefined;
  const startLoad = load();
  const headers = [
    'clusters',
    'objects',
    'files',
    'wall s',
    'cpu s',
    'RSS MB',
    'synth ms',
    'floor ms',
    'synth/floor',
    'writes s',
    '--cluster s',
    'diff s',
    'validate s',
    'warm s',
    'naive s',
    'naive/wall',
  ];
  const widths = headers.map((h) => Math.max(h.length, 7));
  const lines = [row(headers, widths), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];
  const notes: string[] = [];

  fleetCli(['synth', '--check']); // builds the CLI bundle once, outside every measurement
  const defaultCheck = medianOf(Math.max(runs, 5), () => fleetCli(['synth', '--check']).seconds);

  for (const size of sizes) {
    const dir = mkdtempSync(path.join(path.resolve(values.dir), `bench-${size}-`));
    try {
      const fleet = generateFleet(size);
      const fleetFile = path.join(dir, 'fleet.yaml');
      writeFileSync(fleetFile, stringify(fleet));
      // synth into an empty root of its own, `runs` times; the last tree stays for the other commands.
      let tree = '';
      const synthRuns = Array.from({ length: runs }, (_, run) => {
        tree = path.join(dir, `tree-${run}`);
        mkdirSync(tree);
        const result = fleetCli(['synth', '--json', '--fleet', fleetFile, '--root', tree]);
        if (result.status !== 0) throw new Error(`fleet synth failed on ${size} clusters (run ${run})`);
        return {
          wall: result.seconds,
          cpu: result.cpuSeconds,
          rss: result.peakRssMb,
          summary: JSON.parse(result.stdout) as Summary,
        };
      });
      const summary = synthRuns[0]!.summary;
      const synthMs = median(synthRuns.map((r) => r.summary.durationMs));
      const objects = fleetObjects(fleet);
      const floor = medianOf(runs, () => yamlFloorMs(objects));
      const treeFiles = filesIn(tree);
      const writes = medianOf(runs, (run) => plainWriteSeconds(treeFiles, path.join(dir, `plain-${run}`)));

      // A one-cluster change: its nx task (`synth --cluster`), then `fleet diff` against the committed tree.
      git(tree, 'init', '-q', '-b', 'main');
      git(tree, 'add', '-A');
      git(tree, 'commit', '-q', '-m', 'base');
      const change = withOneClusterChange(fleet);
      const changedFile = path.join(dir, 'fleet-changed.yaml');
      writeFileSync(changedFile, stringify(change.fleet));
      const clusterSynth = medianOf(runs, () => {
        const result = fleetCli(['synth', '--cluster', change.cluster, '--fleet', changedFile, '--root', tree]);
        if (result.status !== 0) throw new Error(`fleet synth --cluster ${change.cluster} failed on ${size} clusters`);
        return result.seconds;
      });
      const diffRuns =
        size > Number(values['diff-max'])
          ? []
          : Array.from({ length: runs }, () => fleetCli(['diff', '--base', 'HEAD', '-o', 'json', '--root', tree]));
      const diffClusters =
        diffRuns.length === 0
          ? [change.cluster]
          : (JSON.parse(diffRuns[0]!.stdout) as { clusters: Array<{ cluster: string }> }).clusters.map(
              (c) => c.cluster,
            );
      if (diffClusters.join() !== change.cluster)
        notes.push(`${size}: diff reported ${diffClusters.join(', ')} (expected ${change.cluster})`);
      git(tree, 'checkout', '-q', '--', '.');

      let validate = 'n/a';
      let validateWarm = 'n/a';
      if (kustomize) {
        // cold: no record of passed kustomize builds (every cluster is built); warm: the same tree again.
        const validateRuns = Array.from({ length: runs }, () => {
          rmSync(KUSTOMIZE_BUILD_RECORDS, { recursive: true, force: true });
          return fleetCli(['validate', '--fleet', fleetFile, '--root', tree]);
        });
        validate = median(validateRuns.map((r) => r.seconds)).toFixed(2);
        if (validateRuns[0]!.status !== 0) notes.push(`${size}: fleet validate exited ${validateRuns[0]!.status}`);
        const warmRuns = Array.from({ length: runs }, () =>
          fleetCli(['validate', '--fleet', fleetFile, '--root', tree]),
        );
        validateWarm = median(warmRuns.map((r) => r.seconds)).toFixed(2);
      }

      let naiveSeconds = '';
      let naiveRatio = '';
      if (size === naiveAt) {
        const result = naive(await naiveBundle(dir), fleetFile, summary.clusters, tree, dir);
        naiveSeconds = result.seconds.toFixed(1);
        naiveRatio = `${(result.seconds / median(synthRuns.map((r) => r.wall))).toFixed(1)}x`;
        notes.push(
          `${size}: the naive baseline emits ${result.sameObjects ? 'the same objects (ids per cluster)' : 'DIFFERENT objects'} as fleet synth`,
        );
      }

      const wall = median(synthRuns.map((r) => r.wall));
      const cpu = median(synthRuns.map((r) => r.cpu));
      lines.push(
        row(
          [
            summary.clusters.length,
            summary.objects,
            summary.files,
            wall.toFixed(2),
            cpu.toFixed(2),
            median(synthRuns.map((r) => r.rss)).toFixed(0),
            synthMs.toFixed(0),
            floor.toFixed(0),
            `${(synthMs / floor).toFixed(1)}x`,
            writes.toFixed(2),
            clusterSynth.toFixed(2),
            diffRuns.length === 0 ? 'skipped' : median(diffRuns.map((r) => r.seconds)).toFixed(2),
            validate,
            validateWarm,
            naiveSeconds,
            naiveRatio,
          ],
          widths,
        ),
      );
      process.stderr.write(`bench: ${size} clusters done (${load()})\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    }
    process.stderr.write(`${lines.at(-1)}\n`); // a row as soon as it is measured
  }
  process.stdout.write(`fleet benchmark (node ${process.version}, medians of ${runs} runs)\n`);
  process.stdout.write(`${startLoad} at the start, ${load()} at the end\n\n`);
  process.stdout.write(`default fleet \`fleet synth --check\`, whole process: ${defaultCheck.toFixed(2)} s\n\n`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
  process.stdout.write(
    'wall / cpu / RSS = the whole `fleet synth` process into an empty root (cpu: user + system of every thread, and RSS: GNU time);\n' +
      'synth ms = load + render + validate + stage + plan + commit (its --json durationMs); floor = serializing the same objects to YAML here;\n' +
      `writes = the synthesized files written by a plain loop into a fresh folder of ${path.resolve(values.dir)} (the disk's share of wall);\n` +
      '--cluster = `fleet synth --cluster X` after a change to X (the nx task); diff = `fleet diff --base HEAD` for that change;\n' +
      `validate = \`fleet validate\` with no record of passed kustomize builds (cold), warm = again on the same tree${kustomize ? '' : ' (n/a: kustomize is not installed — scripts/install-tools.sh)'}; naive = one cdk8s process per cluster.\n`,
  );
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
