/**
 * deploy/fixed-ip-subnet: an internal load balancer's fixed IP shares its subnet with nothing dynamically addressed.
 * The infrastructure deploys before Flux creates the Service, and Azure allocates dynamic IPs lowest-first.
 */
import type { SyncRule } from '../../rule.ts';
import { objectRef } from '../../tree.ts';
import { armResources, field, isType, json, list } from '../arm-resources.ts';
import { nameInResourceId, objectsIn, ofCluster, ofType } from '../arm-resources.ts';
import type { FileResource } from '../arm-resources.ts';
import { deployFinding } from './finding.ts';

const RULE = 'deploy/fixed-ip-subnet';
const ILB_IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';
const ILB_SUBNET = 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet';
const ILB_INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';

interface SubnetMember {
  readonly file: string;
  readonly resource: string;
  readonly subnet: string;
  /** The static address(es) it holds, when it has them. */
  readonly staticIps?: readonly string[];
}

/** A private endpoint is static only when every address it takes is given (one ipConfiguration per member). */
function privateEndpoint(file: string, label: string, resource: FileResource['resource']): SubnetMember[] {
  const subnet = nameInResourceId(field(json(resource), 'properties', 'subnet', 'id'), SUBNET_TYPE);
  if (!subnet) return [];
  const configs = list(json(resource), 'properties', 'ipConfigurations');
  const addresses = configs.map((c) => field(c, 'properties', 'privateIPAddress')).filter((a) => typeof a === 'string');
  const fixed = configs.length > 0 && addresses.length === configs.length;
  return [{ file, resource: label, subnet, ...(fixed ? { staticIps: addresses } : {}) }];
}

/** What the cluster's templates place in which subnet (agent pools, IP configurations …), and how it is addressed. */
function subnetMembers(resources: readonly FileResource[]): SubnetMember[] {
  return resources.flatMap(({ file, resource }) => {
    const label = `${resource.type} ${resource.name}`;
    if (isType(resource, 'Microsoft.Network/privateEndpoints')) return privateEndpoint(file, label, resource);
    return [...objectsIn(field(json(resource), 'properties'))].flatMap(({ value }) => {
      const subnetId = value.vnetSubnetID ?? field(value, 'subnet', 'id');
      const subnet = nameInResourceId(subnetId, SUBNET_TYPE);
      if (!subnet) return [];
      const fixed = value.privateIPAllocationMethod === 'Static' && typeof value.privateIPAddress === 'string';
      return [{ file, resource: label, subnet, ...(fixed ? { staticIps: [value.privateIPAddress as string] } : {}) }];
    });
  });
}

/** Subnet of the cluster's nodes: where an internal load balancer without a subnet annotation takes its address. */
function nodeSubnet(resources: readonly FileResource[]): string | undefined {
  return ofType(resources, 'Microsoft.ContainerService/managedClusters')
    .flatMap(({ resource }) => list(json(resource), 'properties', 'agentPoolProfiles'))
    .map((pool) => nameInResourceId(pool.vnetSubnetID, SUBNET_TYPE))
    .find((subnet) => subnet !== undefined);
}

export const fixedIpSubnet: SyncRule = {
  id: RULE,
  rationale:
    'Azure hands out dynamic IPs lowest-first: anything dynamic deployed before a Service with a fixed ILB IP in ' +
    'the same subnet can take that IP.',
  check: (context) => {
    if (!context.infrastructure) return [];
    const all = armResources(context);
    return context.clusters.flatMap((cluster) => {
      const resources = ofCluster(all, cluster.name);
      const members = subnetMembers(resources);
      return cluster.objects.flatMap(({ file, object }) => {
        const annotations = object.metadata.annotations ?? {};
        const spec = object.spec as { type?: string; loadBalancerIP?: string } | undefined;
        const loadBalancer = object.kind === 'Service' && spec?.type === 'LoadBalancer';
        const internal = loadBalancer && annotations[ILB_INTERNAL] === 'true';
        const ip = internal ? (annotations[ILB_IPV4] ?? spec?.loadBalancerIP) : undefined;
        if (!ip) return [];
        const subnet = annotations[ILB_SUBNET] ?? nodeSubnet(resources);
        return members
          .filter((m) => m.subnet === subnet && (m.staticIps === undefined || m.staticIps.includes(ip)))
          .map((m) => {
            const dynamic = 'with a dynamic address deployed before the Service: it can take the IP';
            const how = m.staticIps === undefined ? dynamic : 'on that very address';
            return deployFinding(
              RULE,
              file,
              objectRef(object),
              `fixed ILB IP ${ip} in subnet ${subnet}, which also holds ${m.resource} (${m.file}) ${how}`,
              'give private endpoints and other dynamically addressed resources their own subnet ' +
                '(spoke.subnets.privateEndpoints), or a static address other than the ILB IP',
            );
          });
      });
    });
  },
};
