/**
 * The fleet's topology and request path, from the model alone: Front Door → each region's App Gateway → internal
 * load balancer → Traefik → workload; hub and spokes per region; the registry and its replicas; each cluster's Flux
 * source. A neutral graph (groups, nodes, edges) that the Mermaid and Graphviz renderers draw; a new region or
 * cluster in the model is a new group here, with no code change.
 */
import {
  clusterAzureNames,
  clusterSourceBranch,
  waveOfCluster,
  clustersOf,
  regionAzureNames,
  sharedAzureNames,
  entrypointPath,
  type Fleet,
} from '@aks-fleet/fleet';
import { fleetRegions, registryReplicaRegions } from '../shared/shared-template.ts';

export type EdgeKind = 'request' | 'peering' | 'pull' | 'replicate' | 'sync';

export interface TopologyNode {
  readonly id: string;
  /** Lines of the label: what it is, then its name or address. */
  readonly label: readonly string[];
}

export interface TopologyGroup {
  readonly id: string;
  readonly label: string;
  readonly nodes: readonly TopologyNode[];
  readonly groups: readonly TopologyGroup[];
}

export interface TopologyEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

export interface FleetTopology {
  readonly title: string;
  readonly nodes: readonly TopologyNode[];
  readonly groups: readonly TopologyGroup[];
  readonly edges: readonly TopologyEdge[];
}

/** A graph id from any name: letters, digits and underscores only (valid in Mermaid and DOT). */
export function graphId(...parts: readonly string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9]+/g, '_');
}

export function fleetTopology(fleet: Readonly<Fleet>): FleetTopology {
  const { spec } = fleet;
  const shared = sharedAzureNames(spec);
  const users = { id: 'users', label: ['Internet clients'] };
  const frontDoor = { id: 'frontdoor', label: ['Front Door Premium + WAF', shared.frontDoorProfile] };
  const git = { id: 'git', label: ['Git source', spec.gitSource.url] };
  const registry = {
    id: graphId('acr', shared.location),
    label: ['Container registry (Premium)', `${shared.containerRegistry} · ${shared.location}`],
  };
  const replicas = new Set(registryReplicaRegions(fleet));
  const registryIn = (region: string) => (region === shared.location ? registry.id : graphId('acr', region));
  const edges: TopologyEdge[] = [{ from: users.id, to: frontDoor.id, kind: 'request', label: 'HTTPS' }];

  const regions: TopologyGroup[] = fleetRegions(fleet).map((region) => {
    const names = regionAzureNames(region);
    const hub = {
      id: graphId('hub', region),
      label: ['Hub VNet + Azure Firewall', `${names.hubVnet} · ${spec.regions[region]!.hub.addressSpace}`],
    };
    const regionNodes: TopologyNode[] = [hub];
    if (replicas.has(region)) {
      regionNodes.push({
        id: registryIn(region),
        label: ['Registry replica', `${shared.containerRegistry} · ${region}`],
      });
      edges.push({ from: registry.id, to: registryIn(region), kind: 'replicate', label: 'geo-replication' });
    }
    const clusters: TopologyGroup[] = clustersOf(spec)
      .filter((entry) => entry.region === region)
      .map(({ cluster }) => {
        const azure = clusterAzureNames(spec, cluster.name);
        const id = (part: string) => graphId(cluster.name, part);
        const nodes: TopologyNode[] = [
          { id: id('appgw'), label: ['App Gateway WAF_v2', azure.appGateway] },
          { id: id('spoke'), label: ['Spoke VNet', `${azure.spokeVnet} · ${cluster.spoke.addressSpace}`] },
          { id: id('ilb'), label: ['Internal load balancer', cluster.ingress.internalLoadBalancerIp] },
          { id: id('traefik'), label: ['Traefik (internal ingress)', `${spec.ingressController.namespace} · TLS`] },
          { id: id('workload'), label: ['Workload', `${spec.workload.namespace}/${spec.workload.name}`] },
          { id: id('flux'), label: ['Flux (AKS extension)', entrypointPath(cluster.name)] },
        ];
        edges.push(
          {
            from: frontDoor.id,
            to: id('appgw'),
            kind: 'request',
            label: `HTTPS · priority ${cluster.frontDoor.priority}, weight ${cluster.frontDoor.weight}`,
          },
          { from: id('appgw'), to: id('ilb'), kind: 'request', label: 'HTTPS' },
          { from: id('ilb'), to: id('traefik'), kind: 'request', label: 'HTTPS' },
          { from: id('traefik'), to: id('workload'), kind: 'request', label: 'HTTP' },
          { from: id('spoke'), to: hub.id, kind: 'peering', label: 'peering · egress via firewall' },
          { from: id('workload'), to: registryIn(region), kind: 'pull', label: 'image pull (private endpoint)' },
          {
            from: git.id,
            to: id('flux'),
            kind: 'sync',
            // Each cluster follows its rollout wave's branch: the model's branch for wave 1, fleet/wave-<name> after.
            label: `wave ${waveOfCluster(spec, cluster.name).name} · ${clusterSourceBranch(spec, cluster.name)}`,
          },
        );
        return { id: graphId('cluster', cluster.name), label: `AKS ${azure.aksCluster}`, nodes, groups: [] };
      });
    return { id: graphId('region', region), label: `Region ${region}`, nodes: regionNodes, groups: clusters };
  });

  const sharedGroup: TopologyGroup = {
    id: 'shared',
    label: `Shared services · ${shared.location}`,
    nodes: [frontDoor, registry],
    groups: [],
  };
  return { title: `Fleet ${fleet.metadata.name}`, nodes: [users, git], groups: [sharedGroup, ...regions], edges };
}
