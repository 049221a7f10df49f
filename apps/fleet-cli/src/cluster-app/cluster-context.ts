/**
 * Everything a cluster's charts need, resolved from the fleet model once: fleet-wide settings merged with the
 * cluster's overrides. Charts read this; constructs never see the model.
 */
import { backendHostname, type Cluster, type Fleet } from '@aks-fleet/fleet';

export interface ClusterContext {
  readonly fleet: Readonly<Fleet>;
  readonly region: string;
  readonly cluster: Cluster;
  readonly workload: {
    readonly namespace: string;
    readonly name: string;
    readonly image: string;
    readonly replicas: number;
    readonly port: number;
    readonly canary?: { readonly replicas: number; readonly image: string };
  };
  /** The one backend hostname (Ingress host = App Gateway backend = private DNS record). */
  readonly backendHostname: string;
}

export function clusterContext(fleet: Readonly<Fleet>, region: string, cluster: Cluster): ClusterContext {
  const base = fleet.spec.workload;
  const overrides = cluster.workload;
  const image = overrides.image ?? base.image;
  return {
    fleet,
    region,
    cluster,
    workload: {
      namespace: base.namespace,
      name: base.name,
      image,
      replicas: overrides.replicas ?? base.replicas,
      port: base.port,
      ...(overrides.canary ? { canary: { replicas: overrides.canary.replicas, image: overrides.canary.image ?? image } } : {}),
    },
    backendHostname: backendHostname(fleet.spec),
  };
}

/** Labels stamped onto every object of a cluster. */
export function clusterLabels(context: ClusterContext): Record<string, string> {
  return {
    'aks-fleet.io/fleet': context.fleet.metadata.name,
    'aks-fleet.io/cluster': context.cluster.name,
    'aks-fleet.io/region': context.region,
  };
}
