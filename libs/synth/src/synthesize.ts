/**
 * The pipeline: render every cluster in memory (one App each) → validate every object → lay out files →
 * plan against the tree → write atomically (or, with `check`, only report the drift).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clusterFolders, ENTRYPOINTS_ROOT, layoutCluster, MANIFESTS_ROOT, type GeneratedFile } from './layout.ts';
import { renderCluster, type ClusterDefinition } from './render-cluster.ts';
import { isGenerated } from './yaml-format.ts';
import { acquireRunLock } from './run-lock.ts';
import { TreeRefusedError, TreeWriteError } from './tree-errors.ts';
import { applyTree, planTree, recoverInterrupted, type ApplyOptions, type TreePlan } from './tree-transaction.ts';
import { ObjectValidationError, type ObjectProblem, type ObjectValidator } from './validate-objects.ts';

export interface SynthesizeOptions {
  /** Repository root; `manifests/` and `clusters/` are written below it. */
  readonly root: string;
  /** Every cluster of the fleet. */
  readonly clusters: readonly ClusterDefinition[];
  /** Synthesize only these clusters (their folders only; stale clusters are then not removed). @default - all */
  readonly only?: readonly string[];
  /** Write nothing; report what differs from the tree. @default false */
  readonly check?: boolean;
  /** Validators for kinds outside kubernetes-models, keyed `apiVersion/kind`. @default - none */
  readonly validators?: ReadonlyMap<string, ObjectValidator>;
  /** Progress callback, one call per rendered cluster. @default - none */
  readonly onCluster?: (name: string, objects: number) => void;
  /**
   * Fleet-wide files synthesized outside the cluster apps (e.g. `infrastructure/`), written in the same transaction.
   * A whole-fleet run owns the `root` folder; a `only` run writes just the files below `perCluster(cluster)`.
   * @default - none
   */
  readonly extra?: {
    readonly root: string;
    readonly files: readonly GeneratedFile[];
    readonly perCluster: (cluster: string) => string;
    /** Recognises files of this kind that aks-fleet generated (for stale-file removal). */
    readonly isOwned: (content: string) => boolean;
  };
  /** Test hook passed to the tree writer. @default - none */
  readonly beforeOperation?: ApplyOptions['beforeOperation'];
}

export interface SynthesisSummary {
  readonly clusters: readonly string[];
  readonly objects: number;
  readonly files: number;
  readonly written: readonly string[];
  readonly unchanged: number;
  readonly removed: readonly string[];
  readonly foreign: readonly string[];
  /** In check mode: every path that differs (to write or to remove). */
  readonly drift: readonly string[];
  readonly recovered: number;
  readonly durationMs: number;
}

export class UnknownClusterError extends Error {
  constructor(
    readonly unknown: readonly string[],
    readonly known: readonly string[],
  ) {
    super(
      `unknown cluster${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the fleet has ${known.join(', ')} — fix: pass one of these to --cluster`,
    );
    this.name = 'UnknownClusterError';
  }
}

export function synthesize(options: SynthesizeOptions): SynthesisSummary {
  const started = performance.now();
  const known = options.clusters.map((c) => c.name);
  const unknown = (options.only ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UnknownClusterError(unknown, known);
  const selected = options.only ? options.clusters.filter((c) => options.only!.includes(c.name)) : options.clusters;

  const files: GeneratedFile[] = [];
  const problems: ObjectProblem[] = [];
  let objects = 0;
  for (const definition of selected) {
    const { cluster, problems: clusterProblems } = renderCluster(definition, { validators: options.validators });
    problems.push(...clusterProblems);
    const count = cluster.layers.reduce((n, layer) => n + layer.objects.length, cluster.entrypoint.length);
    objects += count;
    files.push(...layoutCluster(cluster));
    options.onCluster?.(definition.name, count);
  }
  if (problems.length > 0) throw new ObjectValidationError(problems);

  const scope = options.only ? selected.flatMap((c) => clusterFolders(c.name)) : [MANIFESTS_ROOT, ENTRYPOINTS_ROOT];
  const extra = options.extra;
  if (extra) {
    const extraScope = options.only ? selected.map((c) => extra.perCluster(c.name)) : [extra.root];
    files.push(...extra.files.filter((f) => extraScope.some((folder) => f.path.startsWith(`${folder}/`))));
    scope.push(...extraScope);
  }
  const isOwned = extra ? (content: string) => isGenerated(content) || extra.isOwned(content) : isGenerated;
  if (!existsSync(options.root)) {
    if (options.check)
      throw new TreeRefusedError([
        { path: options.root, problem: 'does not exist', fix: 'pass the repository root with --root' },
      ]);
    withFileErrors(options.root, () => mkdirSync(options.root, { recursive: true }));
  }
  // One run at a time: a check must not read a tree another run is half-way through writing either.
  const lock = withFileErrors(options.root, () =>
    options.check ? lockUnlessReadOnly(options.root) : acquireRunLock(options.root),
  );
  let recovered: number;
  let plan: TreePlan;
  try {
    // A recovery that fails half-way keeps its journal: the next run goes on from there.
    recovered = options.check ? 0 : withFileErrors(options.root, () => recoverInterrupted(options.root), false);
    plan = withFileErrors(options.root, () => planTree(options.root, scope, files, isOwned));
    if (!options.check) {
      applyTree(options.root, plan, { beforeOperation: options.beforeOperation, prune: scope });
    }
  } finally {
    lock.release();
  }
  return {
    clusters: selected.map((c) => c.name),
    objects,
    files: files.length,
    written: options.check ? [] : plan.write.map((f) => f.path),
    unchanged: plan.unchanged.length,
    removed: options.check ? [] : plan.remove,
    foreign: plan.foreign,
    drift: options.check ? [...plan.write.map((f) => f.path), ...plan.remove].sort() : [],
    recovered,
    durationMs: performance.now() - started,
  };
}

/** A check only reads: on a checkout this user cannot write, it runs without the lock (no synth can write there). */
function lockUnlessReadOnly(root: string): Pick<ReturnType<typeof acquireRunLock>, 'release'> {
  try {
    return acquireRunLock(root);
  } catch (error) {
    if (['EROFS', 'EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? ''))
      return { release: () => {} };
    throw error;
  }
}

/** Runs a step before the write (the tree `intact` if it fails): an errno error becomes a TreeWriteError. */
function withFileErrors<T>(root: string, step: () => T, intact = true): T {
  try {
    return step();
  } catch (error) {
    throw TreeWriteError.from(error, (absolute) => path.relative(root, absolute) || absolute, intact) ?? error;
  }
}
