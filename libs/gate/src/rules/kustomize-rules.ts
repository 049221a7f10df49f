/**
 * `kustomize build` of every folder, with the real pinned kustomize — one build per cluster, all clusters in
 * parallel: a temporary kustomization lists the cluster's root folders (`manifests/<cluster>`, `clusters/<cluster>`),
 * which list their layer folders. A build that passes proves every folder below it builds; only when one fails are
 * the folders below it built one by one, so each finding still names the folder that fails on its own. A cluster
 * whose build passed before with exactly the same inputs is not built again (kustomize-build-cache.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { isGenerated, readGeneratedYaml } from '@aks-fleet/synth';
import { repositoryRoot } from '@aks-fleet/util';
import type { Finding } from '../finding.ts';
import { KUSTOMIZE_FIX } from '../preconditions.ts';
import type { Rule } from '../rule.ts';
import { clusterBuildKey, passedBefore, recordPassed } from './kustomize-build-cache.ts';

/**
 * kustomize's environment: without Go's garbage collector below 1 GiB (unless the caller set GOGC or GOMEMLIMIT).
 * A build lives ~50 ms and peaks at ~35 MB; collecting as it goes cost a fifth of its CPU. Same output.
 */
function kustomizeEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOGC: process.env.GOGC ?? 'off', GOMEMLIMIT: process.env.GOMEMLIMIT ?? '1GiB' };
}

/** Why `kustomize build <directory>` fails (its first error line), or undefined when it builds. */
function build(kustomize: string, directory: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(kustomize, ['build', directory], { stdio: ['ignore', 'ignore', 'pipe'], env: kustomizeEnv() });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve(error.message.trim().split('\n')[0]!));
    child.on('close', (code) => resolve(code === 0 ? undefined : (stderr || 'failed').trim().split('\n')[0]!));
  });
}

/**
 * Which of `directories` build, in one `sh` loop: spawning costs the parent a fork of its whole address space (about
 * 10 ms each for a gate process holding a 1000-cluster tree), so one process per batch runs the builds. Undefined
 * when the batch cannot run (no sh): the caller then builds one by one.
 */
function buildBatch(kustomize: string, directories: readonly string[]): Promise<boolean[] | undefined> {
  const loop = 'k="$1"; shift; for d in "$@"; do "$k" build "$d" >/dev/null 2>&1; echo $?; done';
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', loop, 'sh', kustomize, ...directories], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: kustomizeEnv(),
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      const codes = stdout.split('\n').filter((line) => line !== '');
      resolve(code === 0 && codes.length === directories.length ? codes.map((c) => c === '0') : undefined);
    });
  });
}

/**
 * A build and what its success proves: `folder` (a folder of the tree, reported when its own build fails) or a
 * temporary kustomization; `below` are built one by one only when this build fails.
 */
interface BuildUnit {
  readonly directory: string;
  readonly folder?: string;
  readonly below: readonly BuildUnit[];
}

/** The folders a build of `folder` also builds: itself and, recursively, the listed resources that are folders. */
function coveredBy(root: string, folder: string, folders: ReadonlySet<string>): string[] {
  let resources: unknown;
  try {
    const text = readFileSync(path.join(root, folder, 'kustomization.yaml'), 'utf8');
    // A generated one through the fast reader (one document, as `parse` requires); anything else through yaml.
    const generated = isGenerated(text) ? readGeneratedYaml(text) : undefined;
    const document = generated?.length === 1 ? generated[0] : parse(text);
    resources = (document as { resources?: unknown } | null)?.resources;
  } catch {
    return [folder];
  }
  const children = (Array.isArray(resources) ? resources : [])
    .filter((r): r is string => typeof r === 'string')
    .map((r) => path.posix.join(folder, r))
    .filter((child) => folders.has(child) && existsSync(path.join(root, child)));
  return [folder, ...children.flatMap((child) => coveredBy(root, child, folders))];
}

/** Units of a cluster's folders: each top folder, with the folders it lists below it. */
function folderUnits(root: string, folders: readonly string[]): BuildUnit[] {
  const all = new Set(folders);
  const grouped = new Set<string>();
  const leaf = (folder: string): BuildUnit => ({ directory: path.join(root, folder), folder, below: [] });
  const units: BuildUnit[] = [];
  for (const top of folders.filter((f) => !all.has(path.posix.dirname(f)))) {
    const covered = [...new Set(coveredBy(root, top, all))].filter((f) => !grouped.has(f));
    for (const f of covered) grouped.add(f);
    units.push({ ...leaf(top), below: covered.filter((f) => f !== top).map(leaf) });
  }
  return [...units, ...folders.filter((f) => !grouped.has(f)).map(leaf)];
}

/** One unit per cluster: a temporary kustomization (in `scratch`) listing the cluster's top folders (`below`). */
function clusterUnit(scratch: string, index: number, below: readonly BuildUnit[]): BuildUnit {
  if (below.length === 1) return below[0]!;
  const directory = path.join(scratch, String(index));
  mkdirSync(directory);
  const resources = below.map((unit) => path.relative(directory, unit.directory).split(path.sep).join('/'));
  writeFileSync(
    path.join(directory, 'kustomization.yaml'),
    stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }),
  );
  return { directory, below };
}

/** Runs `task` on every item, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export const kustomizeRules: Rule[] = [
  {
    id: 'kustomize/build',
    rationale:
      'kustomize-controller builds each path exactly like this; a folder that does not build never reconciles.',
    external: true,
    check: async (context) => {
      const clusters = context.clusters.filter((c) => !context.unchanged?.has(c.name) && c.folders.length > 0);
      const folders = clusters.flatMap((c) => c.folders);
      const kustomize = context.kustomize;
      if (!kustomize) {
        return folders.length === 0
          ? []
          : [
              {
                severity: 'ERROR',
                rule: 'kustomize/build',
                file: folders[0]!,
                object: '-',
                message: 'kustomize is not installed',
                fix: KUSTOMIZE_FIX,
              },
            ];
      }
      const failures = new Map<string, string>();
      /** Whether the unit builds; when not, the folders below it are built one by one for the findings. */
      const check = async (unit: BuildUnit): Promise<boolean> => {
        const reason = await build(kustomize, unit.directory);
        if (reason === undefined) return true; // so does every folder below it
        if (unit.folder !== undefined) failures.set(unit.folder, reason);
        for (const below of unit.below) await check(below);
        return false;
      };
      const cache =
        context.kustomizeCache === false
          ? undefined
          : (context.kustomizeCache ?? path.join(repositoryRoot(), '.cache', 'kustomize-builds'));
      const used = new Set<string>();
      const passed: string[] = [];
      const scratch = mkdtempSync(path.join(tmpdir(), 'fleet-kustomize-'));
      try {
        const units = clusters.flatMap((cluster, index) => {
          const below = folderUnits(context.root, cluster.folders);
          const tops = below.map((unit) => unit.folder!);
          const key = cache === undefined ? undefined : clusterBuildKey(kustomize, cluster, tops);
          if (key !== undefined) used.add(key);
          if (key !== undefined && passedBefore(cache!, key)) return [];
          return [{ ...clusterUnit(scratch, index, below), key }];
        });
        // One batch per lane: the next batch of a lane would wait for this thread, busy with the other rules.
        const lanes = availableParallelism();
        const size = Math.max(1, Math.ceil(units.length / lanes));
        const batches = Array.from({ length: Math.ceil(units.length / size) }, (_, i) =>
          units.slice(i * size, (i + 1) * size),
        );
        // A unit whose batched build fails (or whose batch could not run) is built again on its own, for the reason.
        await eachLimited(batches, lanes, async (batch) => {
          const built = await buildBatch(
            kustomize,
            batch.map((unit) => unit.directory),
          );
          for (const [i, unit] of batch.entries())
            if ((built?.[i] || (await check(unit))) && unit.key !== undefined) passed.push(unit.key);
        });
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
      if (cache !== undefined) recordPassed(cache, passed, used);
      return folders
        .filter((folder) => failures.has(folder))
        .map((folder): Finding => ({
          severity: 'ERROR',
          rule: 'kustomize/build',
          file: `${folder}/kustomization.yaml`,
          object: '-',
          message: `kustomize build fails: ${failures.get(folder)}`,
          fix: 'list only existing files in kustomization.yaml (re-synthesize)',
        }));
    },
  },
];
