/** Cluster statuses as a reader returns them, for the gate and rollout tests (the real readers are in e2e). */
import type { ClusterStatus, LayerStatus } from '../cluster-status.ts';

export const LAYERS = ['aks-fleet-entrypoint', 'fleet-baseline', 'fleet-policy'];

export function sha(n: number): string {
  return n.toString(16).padStart(40, 'a');
}

export interface HealthyOptions {
  readonly branch?: string;
  /** Seconds before `now` the cluster became Ready at the commit. */
  readonly readyForSeconds: number;
  readonly now: Date;
}

export function healthyCluster(
  cluster: string,
  wave: string,
  commit: string,
  { branch = 'main', readyForSeconds, now }: HealthyOptions,
): ClusterStatus {
  const since = new Date(now.getTime() - readyForSeconds * 1000).toISOString();
  const revision = `${branch}@sha1:${commit}`;
  return {
    cluster,
    region: `region-of-${cluster}`,
    wave,
    branch,
    via: 'kubernetes',
    endpoint: `ctx-${cluster}`,
    reachable: true,
    source: { branch, revision, ready: 'True', updatedAt: since },
    kustomizations: LAYERS.map((name): LayerStatus => ({
      name,
      namespace: 'flux-system',
      ready: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: ${revision}`,
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
      readySince: since,
    })),
  };
}

export function failing(status: ClusterStatus, layer: string, attempted: string, message: string): ClusterStatus {
  return {
    ...status,
    kustomizations: status.kustomizations.map((k) =>
      k.name === layer
        ? { ...k, ready: 'False', reason: 'BuildFailed', message, lastAttemptedRevision: `main@sha1:${attempted}` }
        : k,
    ),
  };
}
