/**
 * `fleet diff`: what a change does to each cluster. Compares the synthesized tree committed at a base git ref with
 * the working tree (CI has already checked that the working tree equals what the model synthesizes), object by
 * object (kind/namespace/name), with a compact field-level diff and the warnings a reviewer needs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WaveImpact } from './wave-impact.ts';
import { clusterTreesFromFiles, objectRef, type TreeFiles, type TreeObject } from '../tree.ts';

const ROOTS = ['manifests', 'clusters', 'infrastructure'] as const;

export interface FieldChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ObjectChange {
  readonly object: string;
  readonly file: string;
  readonly fields: readonly FieldChange[];
}

export interface ClusterDiff {
  readonly cluster: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ObjectChange[];
}

export interface FleetDiff {
  readonly base: string;
  readonly clusters: readonly ClusterDiff[];
  /** Infrastructure files changed, grouped by deployment folder (shared, a region, a cluster). */
  readonly infrastructure: ReadonlyArray<{ readonly scope: string; readonly files: readonly string[] }>;
  readonly warnings: readonly string[];
  /** Rollout waves the change reaches, in order (wave-impact.ts); absent when the model was not consulted. */
  readonly waves?: readonly WaveImpact[];
  /** The branch wave 1 follows (the model's gitSource.branch). */
  readonly mainBranch?: string;
}

/** The tree committed at `ref` (git must have it: CI checks out with full history). */
export function readTreeAtRef(root: string, ref: string, only?: ReadonlySet<string>): TreeFiles {
  return readBlobs(
    root,
    ref,
    listTreeAtRef(root, ref).filter((file) => only === undefined || only.has(file)),
  );
}

function git(root: string, args: readonly string[], input?: string): Buffer {
  return execFileSync('git', args, { cwd: root, maxBuffer: 1 << 30, ...(input === undefined ? {} : { input }) });
}

/** The synthesized files committed at `ref`. */
function listTreeAtRef(root: string, ref: string): string[] {
  return git(root, ['ls-tree', '-r', '-z', '--name-only', ref, '--', ...ROOTS])
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
}

/** The contents of `files` at `ref`, with one `git cat-file --batch` (one `git show` per file took minutes at 1000 clusters). */
function readBlobs(root: string, ref: string, files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (files.length === 0) return out;
  const output = git(root, ['cat-file', '--batch'], files.map((file) => `${ref}:${file}\n`).join(''));
  let offset = 0;
  for (const file of files) {
    const headerEnd = output.indexOf(10, offset);
    const [, type, size] = output.toString('utf8', offset, headerEnd).split(' ');
    if (type !== 'blob') throw new Error(`git cat-file: ${ref}:${file} is not a blob (${type ?? 'missing'})`);
    out.set(file, output.toString('utf8', headerEnd + 1, headerEnd + 1 + Number(size)));
    offset = headerEnd + 1 + Number(size) + 1;
  }
  return out;
}

/** The cluster a file of `manifests/<cluster>/…` or `clusters/<cluster>/…` belongs to (as clusterTreesFromFiles reads it). */
function clusterOf(file: string): string | undefined {
  const parts = file.split('/');
  return (parts[0] === 'manifests' || parts[0] === 'clusters') && parts[1] && parts.length >= 3 ? parts[1] : undefined;
}

/** The files of `clusters` only. */
function filesOf(files: TreeFiles, clusters: ReadonlySet<string>): TreeFiles {
  return new Map([...files].filter(([file]) => clusters.has(clusterOf(file) ?? '')));
}

/** Objects per cluster: cluster → object id → where it is and what it holds. */
function objectsByCluster(files: TreeFiles): Map<string, Map<string, TreeObject>> {
  return new Map(
    clusterTreesFromFiles(files).map((tree) => [tree.name, new Map(tree.objects.map((o) => [objectRef(o.object), o]))]),
  );
}

/** Leaf-level differences between two JSON values, as dotted paths. */
export function fieldChanges(before: unknown, after: unknown, trail = ''): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], trail ? `${trail}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => fieldChanges(v, after[i], `${trail}[${i}]`));
  }
  return [
    {
      path: trail || '(object)',
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    },
  ];
}

/** The clusters that have files on each side (when `base` and `head` hold only some files). */
export interface ClusterMembership {
  readonly base: ReadonlySet<string>;
  readonly head: ReadonlySet<string>;
}

const clustersIn = (files: Iterable<string>) => new Set([...files].map(clusterOf).filter((c) => c !== undefined));

/**
 * Compares two trees. They may hold only the files that differ (plus any others), given which clusters exist on
 * each side: files the same on both sides add nothing to a diff.
 */
export function diffTrees(
  base: TreeFiles,
  head: TreeFiles,
  baseRef: string,
  membership: ClusterMembership = { base: clustersIn(base.keys()), head: clustersIn(head.keys()) },
): FleetDiff {
  // Only clusters with a differing file are parsed: a one-cluster change in a large fleet parses one cluster.
  const touched = new Set(
    [...new Set([...base.keys(), ...head.keys()])]
      .filter((f) => base.get(f) !== head.get(f))
      .map(clusterOf)
      .filter((c) => c !== undefined),
  );
  const before = objectsByCluster(filesOf(base, touched));
  const after = objectsByCluster(filesOf(head, touched));
  const clusters: ClusterDiff[] = [];
  const warnings: string[] = [];
  for (const cluster of [...touched].sort()) {
    const b = before.get(cluster) ?? new Map<string, TreeObject>();
    const a = after.get(cluster) ?? new Map<string, TreeObject>();
    const added = [...a.keys()].filter((id) => !b.has(id)).sort();
    const removed = [...b.keys()].filter((id) => !a.has(id)).sort();
    const changed = [...a.keys()]
      .filter((id) => b.has(id))
      .map((id) => ({ object: id, file: a.get(id)!.file, fields: fieldChanges(b.get(id)!.object, a.get(id)!.object) }))
      .filter((c) => c.fields.length > 0)
      .sort((x, y) => x.object.localeCompare(y.object));
    if (added.length + removed.length + changed.length === 0) continue;
    clusters.push({ cluster, added, removed, changed });

    if (!membership.head.has(cluster))
      warnings.push(
        `cluster ${cluster} leaves the fleet: its folders are deleted; Flux there stops receiving changes (delete the cluster or its fluxConfiguration too)`,
      );
    else if (!membership.base.has(cluster))
      warnings.push(`cluster ${cluster} joins the fleet with ${added.length} objects`);
    for (const id of removed) {
      const [kind, namespace] = id.split('/');
      const twin = added.find((x) => x.startsWith(`${kind}/${namespace}/`));
      if (twin)
        warnings.push(
          `${cluster}: ${id} → ${twin} looks like a rename: Flux deletes the old object and creates the new one (not an in-place update)`,
        );
      if (membership.head.has(cluster)) warnings.push(`${cluster}: Flux prune will delete ${id}`);
    }
  }
  const [baseClusters, headClusters] = [membership.base, membership.head];
  const clusterCount = new Set([...baseClusters, ...headClusters]).size;
  if (
    clusterCount > 1 &&
    clusters.length === clusterCount &&
    clusters.every((c) => headClusters.has(c.cluster) && baseClusters.has(c.cluster))
  ) {
    warnings.push(
      `this change touches every cluster (${clusterCount}): a shared lib, construct or fleet-wide setting changed — consider rolling it out region by region`,
    );
  }

  const infraFiles = [...new Set([...base.keys(), ...head.keys()])]
    .filter((f) => f.startsWith('infrastructure/') && base.get(f) !== head.get(f))
    .sort();
  const scopes = new Map<string, string[]>();
  for (const file of infraFiles) {
    const parts = file.split('/');
    const scope = parts.length > 3 ? parts.slice(1, 3).join('/') : (parts[1] ?? file);
    scopes.set(scope, [...(scopes.get(scope) ?? []), file]);
  }
  const infrastructure = [...scopes].map(([scope, files]) => ({ scope, files }));
  for (const { scope } of infrastructure)
    warnings.push(`infrastructure of ${scope} changes: run \`fleet infra plan\` (what-if) before deploying`);
  return { base: baseRef, clusters, infrastructure, warnings };
}

/**
 * Base ref against the working tree. Only the files git reports as different (tracked changes and untracked files)
 * are read and parsed: a one-cluster change in a 1000-cluster fleet reads a few files, not every one twice.
 */
export function fleetDiff(root: string, baseRef: string): FleetDiff {
  const lines = (args: readonly string[]) => git(root, args).toString('utf8').split('\0').filter(Boolean);
  const changed = new Set([
    ...lines(['diff', '--name-only', '--no-renames', '-z', baseRef, '--', ...ROOTS]),
    ...lines(['ls-files', '--others', '--exclude-standard', '-z', '--', ...ROOTS]),
  ]);
  const baseFiles = listTreeAtRef(root, baseRef);
  const head = new Map(
    [...changed]
      .filter((file) => existsSync(path.join(root, file)))
      .map((file) => [file, readFileSync(path.join(root, file), 'utf8')] as const),
  );
  const headFiles = [...lines(['ls-files', '-z', '--', ...ROOTS]), ...changed].filter((file) =>
    existsSync(path.join(root, file)),
  );
  return diffTrees(
    readBlobs(
      root,
      baseRef,
      baseFiles.filter((file) => changed.has(file)),
    ),
    head,
    baseRef,
    { base: clustersIn(baseFiles), head: clustersIn(headFiles) },
  );
}
