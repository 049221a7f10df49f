/**
 * Flux status as the API server holds it: the GitRepository's artifact revision and every Kustomization's Ready
 * condition and `lastAppliedRevision`. Plus reconcile requests (the `reconcile.fluxcd.io/requestedAt` annotation,
 * what `flux reconcile` sets) and bounded waits for a region to converge to a commit.
 */
import { FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import type { DesiredState } from './desired-state.ts';
import { GIT_REPOSITORY_API, KUSTOMIZATION_API, ROOT_KUSTOMIZATION } from './flux-bootstrap.ts';
import type { KubeClient, KubeObject, ObjectRef } from './kube-client.ts';
import { pollUntil, secondsSince } from './wait.ts';

export const RECONCILE_REQUEST_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';
const REQUEST_FIELD_MANAGER = 'aks-fleet-e2e-reconcile-request';
/** A reconcile request that did not lead to the revision is repeated after this long. */
const REPEAT_MS = 10_000;

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface FluxStatus {
  readonly name: string;
  readonly ready: Condition | undefined;
  readonly lastAppliedRevision?: string | undefined;
  readonly lastAttemptedRevision?: string | undefined;
  readonly artifactRevision?: string | undefined;
  readonly observedGeneration?: number | undefined;
  readonly generation?: number | undefined;
}

export const gitRepositoryRef: ObjectRef = {
  apiVersion: GIT_REPOSITORY_API,
  kind: 'GitRepository',
  name: FLUX_BOOTSTRAP.configurationName,
  namespace: FLUX_BOOTSTRAP.namespace,
};

export function kustomizationRef(name: string, namespace: string = FLUX_BOOTSTRAP.namespace): ObjectRef {
  return { apiVersion: KUSTOMIZATION_API, kind: 'Kustomization', name, namespace };
}

/** The root Kustomization and every layer Kustomization of a cluster. */
export function kustomizationRefs(desired: DesiredState): ObjectRef[] {
  return [kustomizationRef(ROOT_KUSTOMIZATION), ...desired.layers.map((l) => kustomizationRef(l.name, l.namespace))];
}

export function fluxStatus(object: KubeObject | undefined, name: string): FluxStatus {
  const status = (object?.status ?? {}) as {
    conditions?: Condition[];
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    artifact?: { revision?: string };
    observedGeneration?: number;
  };
  return {
    name,
    ready: status.conditions?.find((c) => c.type === 'Ready'),
    lastAppliedRevision: status.lastAppliedRevision,
    lastAttemptedRevision: status.lastAttemptedRevision,
    artifactRevision: status.artifact?.revision,
    observedGeneration: status.observedGeneration,
    generation: object?.metadata.generation,
  };
}

export function describeStatus(s: FluxStatus): string {
  const revision = (r: string | undefined): string => (r ? r.replace(/^.*@sha1:/, '').slice(0, 8) : '-');
  const ready = s.ready ? `Ready=${s.ready.status}${s.ready.reason ? ` ${s.ready.reason}` : ''}` : 'Ready=?';
  const revisions =
    s.artifactRevision !== undefined
      ? `artifact=${revision(s.artifactRevision)}`
      : `applied=${revision(s.lastAppliedRevision)} attempted=${revision(s.lastAttemptedRevision)}`;
  const message = s.ready?.status === 'True' ? '' : ` "${(s.ready?.message ?? '').slice(0, 160)}"`;
  return `${s.name}: ${ready} ${revisions}${message}`;
}

function appliedAt(s: FluxStatus, revision: string): boolean {
  return s.ready?.status === 'True' && s.lastAppliedRevision === revision && s.observedGeneration === s.generation;
}

/** Annotates the objects with `reconcile.fluxcd.io/requestedAt=<now>` (what `flux reconcile` does). */
export async function requestReconcile(client: KubeClient, refs: readonly ObjectRef[]): Promise<void> {
  const patch = { metadata: { annotations: { [RECONCILE_REQUEST_ANNOTATION]: new Date().toISOString() } } };
  await Promise.all(refs.map((ref) => client.mergePatch(ref, patch, { fieldManager: REQUEST_FIELD_MANAGER })));
}

/** GitRepository plus every Kustomization of the cluster. */
export async function readFluxStatuses(
  client: KubeClient,
  desired: DesiredState,
): Promise<{ source: FluxStatus; kustomizations: FluxStatus[] }> {
  const [source, ...kustomizations] = await Promise.all(
    [gitRepositoryRef, ...kustomizationRefs(desired)].map(async (ref) => fluxStatus(await client.get(ref), ref.name)),
  );
  return { source: source!, kustomizations };
}

export interface ConvergeOptions {
  readonly timeoutMs: number;
  /**
   * Request reconciliation of a layer as soon as its `dependsOn` are Ready at the revision (instead of waiting for
   * kustomize-controller's dependency requeue), and repeat a request that did not help within 10 s. Off when
   * measuring that a region converges on its own.
   */
  readonly nudge: boolean;
  /** Start of the measured time (default: now). */
  readonly since?: number;
}

/**
 * Waits until the region's GitRepository serves `revision` and every Kustomization (root and layers) is Ready with
 * `lastAppliedRevision == revision`. Returns the seconds since `since`.
 */
export async function waitForRevision(
  client: KubeClient,
  desired: DesiredState,
  revision: string,
  { timeoutMs, nudge, since = performance.now() }: ConvergeOptions,
): Promise<number> {
  /** When each object last got a request from this wait; a request is repeated after REPEAT_MS (a transient failure would otherwise wait for retryInterval). */
  const requested = new Map<string, number>();
  const due = (name: string): boolean => performance.now() - (requested.get(name) ?? -Infinity) >= REPEAT_MS;
  const startedAt = performance.now();
  await pollUntil(
    `${desired.cluster} to apply ${revision}`,
    async () => {
      const { source, kustomizations } = await readFluxStatuses(client, desired);
      const done =
        source.ready?.status === 'True' &&
        source.artifactRevision === revision &&
        kustomizations.every((k) => appliedAt(k, revision));
      if (done) return { done: true, value: undefined };
      if (nudge) {
        const refs: ObjectRef[] = [];
        if (source.artifactRevision !== revision) {
          // The caller requested the source already; repeat only if it is still not there.
          if (performance.now() - startedAt >= REPEAT_MS && due(gitRepositoryRef.name)) refs.push(gitRepositoryRef);
        } else {
          const byName = new Map(kustomizations.map((k) => [k.name, k]));
          for (const layer of desired.layers) {
            const status = byName.get(layer.name);
            const dependenciesReady = layer.dependsOn.every(
              (d) => byName.get(d) && appliedAt(byName.get(d)!, revision),
            );
            if (status && !appliedAt(status, revision) && dependenciesReady && due(layer.name))
              refs.push(kustomizationRef(layer.name, layer.namespace));
          }
        }
        if (refs.length > 0) {
          await requestReconcile(client, refs);
          for (const ref of refs) requested.set(ref.name, performance.now());
        }
      }
      return { done: false, state: [describeStatus(source), ...kustomizations.map(describeStatus)].join('; ') };
    },
    { timeoutMs, intervalMs: 200 },
  );
  return secondsSince(since);
}
