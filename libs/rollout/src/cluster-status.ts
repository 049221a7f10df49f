/**
 * What `fleet status` reports per cluster, whatever the source (the Kubernetes API or ARM `fluxConfigurations`):
 * the wave, the branch the model says the cluster follows, what its Git source holds, and every Flux Kustomization
 * with Ready, revisions, since when and its last error. Plus the predicates the promotion gate uses.
 */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface LayerStatus {
  readonly name: string;
  readonly namespace: string;
  readonly ready: ConditionStatus;
  readonly reason?: string | undefined;
  readonly message?: string | undefined;
  readonly lastAppliedRevision?: string | undefined;
  readonly lastAttemptedRevision?: string | undefined;
  /** When Ready last changed (ISO time). */
  readonly readySince?: string | undefined;
}

export interface SourceStatus {
  /** The branch the source follows in the cluster. */
  readonly branch?: string | undefined;
  /** `<branch>@sha1:<sha>` of the artifact the source serves. */
  readonly revision?: string | undefined;
  readonly ready: ConditionStatus;
  readonly message?: string | undefined;
  /** When the source got its current artifact (ISO time). */
  readonly updatedAt?: string | undefined;
}

export interface ClusterStatus {
  readonly cluster: string;
  readonly region: string;
  readonly wave: string;
  /** The branch the model says this cluster follows. */
  readonly branch: string;
  /** `kubernetes` (through a kubeconfig context) or `arm` (the fluxConfigurations resource). */
  readonly via: 'kubernetes' | 'arm';
  /** The kubeconfig context or ARM resource id it was read from. */
  readonly endpoint: string;
  readonly reachable: boolean;
  /**
   * Why it could not be read (`connect ECONNREFUSED …`, a timeout, no such context …), without an `unreachable:` of its
   * own: `reachable: false` says that, and every message that shows the reason already does (`is unreachable: …`).
   */
  readonly error?: string | undefined;
  readonly source?: SourceStatus | undefined;
  readonly kustomizations: readonly LayerStatus[];
}

/** The commit of a Flux revision (`main@sha1:<sha>`, `<sha>`, `main/<sha>`), or undefined. */
export function commitOf(revision: string | undefined): string | undefined {
  return revision ? /([0-9a-f]{40})$/.exec(revision)?.[1] : undefined;
}

export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 8) : '-';
}

/** Layers that report Ready=False: a failing build, apply or health check. */
export function failingLayers(status: ClusterStatus): LayerStatus[] {
  return status.kustomizations.filter((k) => k.ready === 'False');
}

/** Every Kustomization Ready with `lastAppliedRevision` at `sha`, and the source serving it. */
export function readyAt(status: ClusterStatus, sha: string): boolean {
  return (
    status.reachable &&
    status.kustomizations.length > 0 &&
    commitOf(status.source?.revision) === sha &&
    status.kustomizations.every((k) => k.ready === 'True' && commitOf(k.lastAppliedRevision) === sha)
  );
}

/**
 * Since when the cluster has been Ready at its current revision: the latest of its source's artifact time and every
 * Kustomization's Ready transition (Flux marks Ready Unknown while it applies a new revision). The latest is the
 * safe bound: a soak measured from it is never longer than the truth.
 */
export function healthySince(status: ClusterStatus): Date | undefined {
  const times = [status.source?.updatedAt, ...status.kustomizations.map((k) => k.readySince)];
  if (times.some((t) => t === undefined)) return undefined;
  return new Date(Math.max(...times.map((t) => Date.parse(t!))));
}

/** The commit a cluster applies everywhere, if every Kustomization applied the same one. */
export function appliedCommit(status: ClusterStatus): string | undefined {
  const commits = new Set(status.kustomizations.map((k) => commitOf(k.lastAppliedRevision)));
  return commits.size === 1 ? [...commits][0] : undefined;
}

/** `10 s`, `0.3 s`: a timeout as a person reads it. */
export function formatTimeout(ms: number): string {
  return `${ms >= 1000 ? (ms / 1000).toFixed(0) : (ms / 1000).toFixed(1)} s`;
}
