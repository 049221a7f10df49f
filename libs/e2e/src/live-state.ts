/**
 * What a region's API server holds, compared with what the commit says:
 * - the set of objects Flux applied (every listable resource type, selected by kustomize-controller's owner
 *   label), by group/kind/namespace/name;
 * - per object, "no diff": a server-side apply dry-run of the desired object as kustomize-controller applies it
 *   (its field manager, its owner labels) must return the live object unchanged — `kubectl diff --server-side`;
 * - strict validation: a dry-run apply with `fieldValidation=Strict` must be accepted without warnings and keep
 *   every desired field (no defaulting surprise).
 */
import { isDeepStrictEqual } from 'node:util';
import { FLUX_BOOTSTRAP, parseQuantity } from '@aks-fleet/fleet';
import type { DesiredObject } from './desired-state.ts';
import { KubeApiError, objectKey, type KubeClient, type KubeObject } from './kube-client.ts';

/** kustomize-controller's field manager and the owner labels it stamps on every object it applies. */
export const FLUX_FIELD_MANAGER = 'kustomize-controller';
export const FLUX_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const FLUX_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';
const STRICT_FIELD_MANAGER = 'aks-fleet-e2e-strict-validation';

/** Every object in the cluster that a Flux Kustomization applied, keyed by `objectKey()`. */
export async function listFluxManagedObjects(client: KubeClient): Promise<Map<string, KubeObject>> {
  const resources = await client.listableResources();
  const lists = await Promise.all(
    resources.map((resource) =>
      client.list(resource, { labelSelector: FLUX_NAME_LABEL }).catch((error: unknown) => {
        // Types that are discoverable but not listable in this setup (no aggregated APIs run) hold nothing of ours.
        if (error instanceof KubeApiError && [403, 404, 405, 503].includes(error.status)) return [];
        throw error;
      }),
    ),
  );
  const objects = new Map<string, KubeObject>();
  // Controllers copy a Service's labels (Flux's owner labels included) onto the Endpoints and EndpointSlices they
  // derive from it; what Flux applied is what kustomize-controller manages fields of.
  const appliedByFlux = (o: KubeObject): boolean =>
    ((o.metadata.managedFields ?? []) as { manager?: string }[]).some((m) => m.manager === FLUX_FIELD_MANAGER);
  for (const object of lists.flat().filter(appliedByFlux)) objects.set(objectKey(object), object);
  return objects;
}

export function withFluxOwnerLabels(desired: DesiredObject): KubeObject {
  const object = structuredClone(desired.object);
  object.metadata.labels = {
    ...object.metadata.labels,
    [FLUX_NAME_LABEL]: desired.owner,
    [FLUX_NAMESPACE_LABEL]: FLUX_BOOTSTRAP.namespace,
  };
  return object;
}

/**
 * What a server-side apply can change: status is left out because the controllers write it between our GET and the
 * dry-run (a Deployment scaling back after a drift revert moves its replica counts), and an apply never sets it.
 */
export function normalizeLive(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  delete copy.status;
  delete copy.metadata.managedFields;
  delete copy.metadata.resourceVersion;
  delete copy.metadata.generation;
  return copy;
}

/** Paths where two JSON values differ (at most `limit`). */
export function differences(a: unknown, b: unknown, path = '', limit = 6, out: string[] = []): string[] {
  if (out.length >= limit || isDeepStrictEqual(a, b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys)
      differences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
        limit,
        out,
      );
    return out;
  }
  out.push(`${path || '(root)'}: ${JSON.stringify(a)?.slice(0, 80)} → ${JSON.stringify(b)?.slice(0, 80)}`);
  return out;
}

/** Empty list = the live object is exactly what kustomize-controller would apply. */
export async function diffAgainstLive(client: KubeClient, desired: DesiredObject): Promise<string[]> {
  const live = await client.get({
    apiVersion: desired.object.apiVersion,
    kind: desired.object.kind,
    name: desired.object.metadata.name,
    namespace: desired.object.metadata.namespace,
  });
  if (!live) return ['missing'];
  if (live.metadata.deletionTimestamp) return ['being deleted'];
  const { body: applied } = await client.apply(withFluxOwnerLabels(desired), {
    fieldManager: FLUX_FIELD_MANAGER,
    force: true,
    dryRun: true,
  });
  return differences(normalizeLive(live), normalizeLive(applied));
}

const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && Object.keys(value as object).length === 0);

/**
 * A desired value the server may omit without changing anything: empty, or the zero value of a non-pointer Go field
 * (`readOnly: false`, `0`, `""` are dropped by `omitempty`; a pointer field — where zero differs from unset — would
 * have been returned).
 */
const omittable = (value: unknown): boolean => isEmpty(value) || value === false || value === 0 || value === '';

/** Desired fields the server did not keep as written ("defaulting surprises"); quantities compare by value. */
export function droppedOrRewritten(desired: unknown, actual: unknown, path = '', out: string[] = []): string[] {
  if (isDeepStrictEqual(desired, actual)) return out;
  if (actual === undefined && omittable(desired)) return out;
  if (Array.isArray(desired) && Array.isArray(actual) && desired.length === actual.length) {
    desired.forEach((item, i) => droppedOrRewritten(item, actual[i], `${path}[${i}]`, out));
    return out;
  }
  if (
    desired &&
    actual &&
    typeof desired === 'object' &&
    typeof actual === 'object' &&
    !Array.isArray(desired) &&
    !Array.isArray(actual)
  ) {
    for (const [key, value] of Object.entries(desired))
      droppedOrRewritten(value, (actual as Record<string, unknown>)[key], path ? `${path}.${key}` : key, out);
    return out;
  }
  const [a, b] = [parseQuantity(desired), parseQuantity(actual)];
  if (!Number.isNaN(a) && !Number.isNaN(b) && Math.abs(a - b) <= Math.abs(a) * 1e-9) return out;
  out.push(`${path}: ${JSON.stringify(desired)} → ${actual === undefined ? '(dropped)' : JSON.stringify(actual)}`);
  return out;
}

export interface StrictResult {
  readonly key: string;
  readonly error?: string;
  readonly warnings: readonly string[];
  readonly surprises: readonly string[];
}

/** Dry-run server-side apply with `fieldValidation=Strict` of the object exactly as synthesized. */
export async function strictDryRun(client: KubeClient, object: KubeObject): Promise<StrictResult> {
  const key = objectKey(object);
  try {
    const { body, warnings } = await client.apply(object, {
      fieldManager: STRICT_FIELD_MANAGER,
      force: true,
      dryRun: true,
      fieldValidation: 'Strict',
    });
    const { status: _status, ...desiredWithoutStatus } = object;
    return { key, warnings, surprises: droppedOrRewritten(desiredWithoutStatus, body) };
  } catch (error) {
    return { key, error: error instanceof Error ? error.message : String(error), warnings: [], surprises: [] };
  }
}
