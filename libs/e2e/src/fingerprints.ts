/**
 * What "untouched" means on a live cluster: uid + a hash of everything but status and bookkeeping (resourceVersion,
 * managedFields) of every Flux-managed object. The controllers keep writing status (Deployments, HPAs, PDBs,
 * quotas), which is not a modification of the object; a Flux Kustomization counts by its generation (reconcile
 * requests annotate it and its status always moves).
 */
import { createHash } from 'node:crypto';
import type { RegionHandle } from './fleet-environment.ts';
import type { KubeObject } from './kube-client.ts';
import { listFluxManagedObjects } from './live-state.ts';

export async function fingerprints(region: RegionHandle): Promise<Map<string, string>> {
  const live = await listFluxManagedObjects(region.client);
  const content = (o: KubeObject): string => {
    const { status: _status, metadata, ...rest } = o;
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = metadata;
    return createHash('sha256')
      .update(JSON.stringify({ ...rest, metadata: meta }))
      .digest('hex')
      .slice(0, 12);
  };
  return new Map(
    [...live].map(([key, o]) => [
      key,
      o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')
        ? `${o.metadata.uid}@gen${o.metadata.generation}`
        : `${o.metadata.uid}@${content(o)}`,
    ]),
  );
}
