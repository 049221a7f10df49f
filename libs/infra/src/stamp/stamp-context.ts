/**
 * What every part of a cluster stamp needs: the cluster, its names, and the ids (inner ARM expressions) of the
 * resources it refers to in its own and in other resource groups.
 */
import {
  clusterAzureNames,
  clusterRegion,
  regionAzureNames,
  sharedAzureNames,
  type Cluster,
  type ClusterAzureNames,
  type Fleet,
  type RegionAzureNames,
  type SharedAzureNames,
} from '@aks-fleet/fleet';
import { idIn, idOf } from '../arm/arm-template.ts';

export interface StampContext {
  readonly fleet: Readonly<Fleet>;
  readonly region: string;
  readonly cluster: Cluster;
  readonly names: ClusterAzureNames;
  readonly regionNames: RegionAzureNames;
  readonly shared: SharedAzureNames;
  /** Inner expressions of resource ids. */
  readonly ids: {
    readonly aks: string;
    readonly keyVault: string;
    readonly containerRegistry: string;
    readonly spokeVnet: string;
    readonly nodesSubnet: string;
    readonly ingressSubnet: string;
    readonly appGatewaySubnet: string;
    readonly privateEndpointsSubnet: string;
    readonly appGatewayPublicIp: string;
    readonly controlPlaneIdentity: string;
    readonly appGatewayIdentity: string;
    readonly ingressControllerIdentity: string;
  };
}

export function stampContext(fleet: Readonly<Fleet>, clusterName: string): StampContext {
  const { region, cluster } = clusterRegion(fleet.spec, clusterName);
  const names = clusterAzureNames(fleet.spec, clusterName);
  const regionNames = regionAzureNames(region);
  const shared = sharedAzureNames(fleet.spec);
  const subnet = (name: string) =>
    idIn(regionNames.spokeResourceGroup, 'Microsoft.Network/virtualNetworks/subnets', names.spokeVnet, name);
  const identity = (name: string) => idOf('Microsoft.ManagedIdentity/userAssignedIdentities', name);
  return {
    fleet,
    region,
    cluster,
    names,
    regionNames,
    shared,
    ids: {
      aks: idOf('Microsoft.ContainerService/managedClusters', names.aksCluster),
      keyVault: idOf('Microsoft.KeyVault/vaults', names.keyVault),
      containerRegistry: idIn(shared.resourceGroup, 'Microsoft.ContainerRegistry/registries', shared.containerRegistry),
      spokeVnet: idIn(regionNames.spokeResourceGroup, 'Microsoft.Network/virtualNetworks', names.spokeVnet),
      nodesSubnet: subnet(names.subnets.nodes),
      ingressSubnet: subnet(names.subnets.ingress),
      appGatewaySubnet: subnet(names.subnets.appGateway),
      privateEndpointsSubnet: subnet(names.subnets.privateEndpoints),
      appGatewayPublicIp: idIn(
        regionNames.spokeResourceGroup,
        'Microsoft.Network/publicIPAddresses',
        names.appGatewayPublicIp,
      ),
      controlPlaneIdentity: identity(names.identities.controlPlane),
      appGatewayIdentity: identity(names.identities.appGateway),
      ingressControllerIdentity: identity(names.identities.ingressController),
    },
  };
}
