/**
 * Flux objects as the Kubernetes API returns them (GitRepository, Kustomization of the `source.toolkit.fluxcd.io`
 * and `kustomize.toolkit.fluxcd.io` v1 APIs) → the status fleet status reports.
 */
import type { ConditionStatus, LayerStatus, SourceStatus } from './cluster-status.ts';

export const FLUX_SOURCE_API = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories' } as const;
export const FLUX_KUSTOMIZATION_API = {
  group: 'kustomize.toolkit.fluxcd.io',
  version: 'v1',
  plural: 'kustomizations',
} as const;

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface FluxObject {
  metadata?: { name?: string; namespace?: string };
  spec?: { ref?: { branch?: string } };
  status?: {
    conditions?: Condition[];
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    artifact?: { revision?: string; lastUpdateTime?: string };
  };
}

function readyOf(object: FluxObject): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === 'Ready');
}

function conditionStatus(value: string | undefined): ConditionStatus {
  return value === 'True' || value === 'False' ? value : 'Unknown';
}

export function sourceStatusOf(object: FluxObject): SourceStatus {
  const ready = readyOf(object);
  return {
    branch: object.spec?.ref?.branch,
    revision: object.status?.artifact?.revision,
    ready: conditionStatus(ready?.status),
    message: ready?.status === 'True' ? undefined : ready?.message,
    updatedAt: object.status?.artifact?.lastUpdateTime,
  };
}

export function layerStatusOf(object: FluxObject): LayerStatus {
  const ready = readyOf(object);
  return {
    name: object.metadata?.name ?? '?',
    namespace: object.metadata?.namespace ?? '?',
    ready: conditionStatus(ready?.status),
    reason: ready?.reason,
    message: ready?.message,
    lastAppliedRevision: object.status?.lastAppliedRevision,
    lastAttemptedRevision: object.status?.lastAttemptedRevision,
    readySince: ready?.lastTransitionTime,
  };
}
