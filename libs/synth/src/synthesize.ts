/**
 * The pipeline: render each cluster (one App each) → validate its objects → lay out its files and stage them →
 * plan against the tree → commit atomically (or, with `check`, only report the drift). A cluster's contents live
 * in memory only while it renders; what stays is its path and state per file.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clusterFolders, ENTRYPOINTS_ROOT, MANIFESTS_ROOT, type GeneratedFile } from './layout.ts';
import type { ClusterDefinition } from './render-cluster.ts';
import { renderAndStage, renderInWorkers, type ClusterOutcome, type RenderWorkers } from './render-pool.ts';
import { isGenerated } from './yaml-format.ts';
import { acquireRunLock } from './run-lock.ts';
import { TreeRefusedError, TreeWriteError } from './tree-errors.ts';
import {
  applyTree,
  planStaged,
  recoverInterrupted,
  refuseUnsafeFolders,
  Staging,
  type ApplyOptions,
  type StagedFile,
  type TreePlan,
} from './tree-transaction.ts';
import { ObjectValidationError, type ObjectValidator } from './validate-objects.ts';

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
  /** Render on worker threads too, besides this one (same output, in cluster order). @default - in this thread only */
  readonly workers?: RenderWorkers;
  /**
   * Files synthesized outside the cluster apps (e.g. `infrastructure/`), written in the same transaction. A
   * whole-fleet run owns the `root` folder: `files()` (fleet-wide ones) plus each definition's own `files()`; an
   * `only` run writes just its clusters' own files, below `perCluster(cluster)`, and never calls `files()`.
   * @default - none
   */
  readonly extra?: {
    readonly root: string;
    readonly files: () => readonly GeneratedFile[];
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

/**
 * Runs the pipeline. Clusters render in-process, or on worker threads with `workers`; either way each cluster's
 * files are staged as soon as it is rendered and the result is the same bytes.
 */
export async function synthesize(options: SynthesizeOptions): Promise<SynthesisSummary> {
  const started = performance.now();
  const known = options.clusters.map((c) => c.name);
  const unknown = (options.only ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UnknownClusterError(unknown, known);
  const only = options.only ? new Set(options.only) : undefined;
  const selected = only ? options.clusters.filter((c) => only.has(c.name)) : options.clusters;

  const extra = options.extra;
  const scope = options.only ? selected.flatMap((c) => clusterFolders(c.name)) : [MANIFESTS_ROOT, ENTRYPOINTS_ROOT];
  if (extra) scope.push(...(options.only ? selected.map((c) => extra.perCluster(c.name)) : [extra.root]));
  const isOwned = extra ? (content: string) => isGenerated(content) || extra.isOwned(content) : isGenerated;
  if (!existsSync(options.root)) {
    if (options.check)
      throw new TreeRefusedError([
        { path: options.root, problem: 'does not exist', fix: 'pass the repository root with --root' },
      ]);
    withFileErrors(options.root, () => mkdirSync(options.root, { recursive: true }));
  }
  // One run at a time (files are staged while rendering): a check must not read a half-written tree either.
  const lock = withFileErrors(options.root, () =>
    options.check ? lockUnlessReadOnly(options.root) : acquireRunLock(options.root),
  );
  try {
    // A recovery that fails half-way keeps its journal: the next run goes on from there.
    const recovered = options.check ? 0 : withFileErrors(options.root, () => recoverInterrupted(options.root), false);
    // Nothing is staged through a symlink out of the repository (.fleet-tx included) or into a file.
    withFileErrors(options.root, () => refuseUnsafeFolders(options.root, scope));
    const staging = Staging.open(options.root, !options.check);
    let outcomes: ClusterOutcome[];
    let files: StagedFile[];
    let plan: TreePlan;
    try {
      // Fleet-wide extra files are staged while the workers start (or after the clusters, in this thread).
      const stageExtra = () => (extra && !options.only ? extra.files().map((file) => staging.stage(file)) : []);
      let extraFiles: StagedFile[];
      if (options.workers && options.workers.count > 0) {
        const rendering = renderInWorkers(
          selected.map((c) => c.name),
          options.workers,
          staging,
          (index) => renderAndStage(selected[index]!, staging, options.validators),
        );
        try {
          extraFiles = stageExtra();
        } finally {
          outcomes = await rendering;
        }
        for (const outcome of outcomes) options.onCluster?.(outcome.name, outcome.objects);
      } else {
        outcomes = selected.map((definition) => {
          const outcome = renderAndStage(definition, staging, options.validators);
          options.onCluster?.(definition.name, outcome.objects);
          return outcome;
        });
        extraFiles = stageExtra();
      }
      const problems = outcomes.flatMap((outcome) => outcome.problems);
      if (problems.length > 0) throw new ObjectValidationError(problems);
      files = [...outcomes.flatMap((outcome) => outcome.files), ...extraFiles];
      // Unsafe paths and foreign files are refused here, before anything outside .fleet-tx is written.
      plan = withFileErrors(options.root, () => planStaged(options.root, scope, files, isOwned));
    } catch (error) {
      staging.discard();
      throw error;
    }
    if (options.check) staging.discard();
    else {
      // Only removals leave folders empty: no need to walk the whole tree otherwise. On failure applyTree rolls
      // back (or keeps the journal for the next run): the staging folder is its to remove.
      const prune = plan.remove.length > 0 ? scope : [];
      applyTree(options.root, plan, { beforeOperation: options.beforeOperation, prune, staging });
    }
    return {
      clusters: selected.map((c) => c.name),
      objects: outcomes.reduce((n, outcome) => n + outcome.objects, 0),
      files: files.length,
      written: options.check ? [] : plan.write.map((f) => f.path),
      unchanged: plan.unchanged.length,
      removed: options.check ? [] : plan.remove,
      foreign: plan.foreign,
      drift: options.check ? [...plan.write.map((f) => f.path), ...plan.remove].sort() : [],
      recovered,
      durationMs: performance.now() - started,
    };
  } finally {
    lock.release();
  }
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
