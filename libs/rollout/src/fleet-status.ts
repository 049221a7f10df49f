/**
 * Every cluster of the fleet, read in parallel from one source (kubeconfig contexts or ARM), each bounded by its own
 * timeout: one slow or unreachable cluster never delays or fails the others.
 */
import { clustersOf, rolloutWaves, type FleetSpec } from '@aks-fleet/fleet';
import type { ClusterStatus } from './cluster-status.ts';
import type { ClusterIdentity } from './kube-source.ts';

export type ClusterReader = (identity: ClusterIdentity) => Promise<ClusterStatus>;

/** Wave, region and model branch of every cluster, in wave order then fleet order. */
export function clusterIdentities(spec: FleetSpec): ClusterIdentity[] {
  const regions = new Map(clustersOf(spec).map(({ region, cluster }) => [cluster.name, region]));
  return rolloutWaves(spec).flatMap((wave) =>
    wave.clusters.map((cluster) => ({ cluster, region: regions.get(cluster)!, wave: wave.name, branch: wave.branch })),
  );
}

export async function readFleetStatus(
  spec: FleetSpec,
  read: ClusterReader,
  only?: ReadonlySet<string>,
): Promise<ClusterStatus[]> {
  const identities = clusterIdentities(spec).filter((i) => !only || only.has(i.cluster));
  return Promise.all(
    identities.map((identity) =>
      read(identity).catch((error: unknown): ClusterStatus => ({
        ...identity,
        via: 'kubernetes',
        endpoint: '?',
        reachable: false,
        error: (error as Error).message?.split('\n')[0] ?? String(error),
        kustomizations: [],
      })),
    ),
  );
}
