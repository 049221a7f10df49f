/**
 * Address-space rules: ranges Azure or AKS refuse or reserve, the cluster's Kubernetes service network, and the
 * minimum sizes of subnets that Azure services require.
 */
import { contains, intToIpv4, ipv4ToInt, overlaps, parseRange, type Ipv4Range } from './cidr.ts';
import type { Cluster } from './schema.ts';
import {
  AKS_NODE_POOL_NETWORK,
  APP_GATEWAY_MAX_INSTANCES,
  AZURE_RESERVED_ADDRESSES_PER_SUBNET,
} from './stamp-settings.ts';

type Add = (path: string, value: unknown, expected: string, fix: string) => void;

interface ReservedRange {
  readonly cidr: string;
  readonly what: string;
}

/**
 * Ranges a virtual network may not use.
 * @see https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq (what address ranges can I use)
 */
export const VNET_RESERVED_RANGES: readonly ReservedRange[] = [
  { cidr: '0.0.0.0/8', what: '"this network" (RFC 1122)' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '168.63.129.16/32', what: "Azure's platform address (DNS, DHCP, health probes)" },
  { cidr: '169.254.0.0/16', what: 'link-local (Azure instance metadata)' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved for future use, broadcast 255.255.255.255 included' },
];

/**
 * Ranges AKS refuses for the Kubernetes service CIDR, besides those a VNet may not use.
 * @see https://learn.microsoft.com/azure/aks/configure-azure-cni (Kubernetes service address range)
 */
export const SERVICE_CIDR_RESERVED_RANGES: readonly ReservedRange[] = [
  { cidr: '172.30.0.0/16', what: 'reserved by AKS' },
  { cidr: '172.31.0.0/16', what: 'reserved by AKS' },
  { cidr: '192.0.2.0/24', what: 'reserved by AKS (TEST-NET-1)' },
];

/** Largest service CIDR Kubernetes accepts for IPv4 (kube-apiserver --service-cluster-ip-range: at most 2^20). */
const SERVICE_CIDR_MIN_PREFIX = 12;

export function reservedOverlap(
  range: Ipv4Range,
  reserved: readonly ReservedRange[] = VNET_RESERVED_RANGES,
): ReservedRange | undefined {
  return reserved.find((entry) => overlaps(range, parseRange(entry.cidr)));
}

/** A VNet's address space uses no reserved range. */
export function checkVnetRange(path: string, range: Ipv4Range, add: Add): void {
  const hit = reservedOverlap(range);
  if (hit)
    add(
      path,
      range.cidr,
      `an address space outside ${hit.cidr} (${hit.what})`,
      'use a private range (RFC 1918), e.g. 10.243.0.0/16',
    );
}

/**
 * Minimum subnet sizes of the hub's special subnets.
 * @see https://learn.microsoft.com/azure/firewall/firewall-faq (AzureFirewallSubnet /26)
 * @see https://learn.microsoft.com/azure/bastion/configuration-settings (AzureBastionSubnet /26 or larger)
 * @see https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings (GatewaySubnet /29 or larger; /27 recommended)
 */
export const HUB_SUBNET_MINIMUM_PREFIX = { firewall: 26, bastion: 26, gateway: 29 } as const;

const HUB_SUBNET_WHY = {
  firewall: 'Azure Firewall needs an AzureFirewallSubnet of /26 or larger',
  bastion: 'Azure Bastion needs an AzureBastionSubnet of /26 or larger',
  gateway: 'a virtual network gateway needs a GatewaySubnet of /29 or larger (/27 recommended)',
} as const;

export function checkHubSubnetSizes(
  hubPath: string,
  subnets: Record<keyof typeof HUB_SUBNET_MINIMUM_PREFIX, string>,
  add: Add,
): void {
  for (const name of Object.keys(HUB_SUBNET_MINIMUM_PREFIX) as Array<keyof typeof HUB_SUBNET_MINIMUM_PREFIX>) {
    const max = HUB_SUBNET_MINIMUM_PREFIX[name];
    if (parseRange(subnets[name]).prefix > max)
      add(`${hubPath}.subnets.${name}`, subnets[name], HUB_SUBNET_WHY[name], `use a /${max} or larger subnet`);
  }
}

/** Nodes a pool can reach during an upgrade: its maximum plus the surge (rounded up, at least one). */
function nodesDuringUpgrade(maxCount: number): number {
  return maxCount + Math.max(1, Math.ceil((maxCount * AKS_NODE_POOL_NETWORK.maxSurgePercent) / 100));
}

/**
 * The spoke's subnets are large enough for what runs in them: flat Azure CNI gives every node one address and every
 * pod one (nodes at maximum plus upgrade surge), and each App Gateway instance takes one address.
 * @see https://learn.microsoft.com/azure/aks/azure-cni-overview (plan IP addressing)
 * @see https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure (subnet size)
 */
export function checkSpokeCapacity(clusterPath: string, cluster: Cluster, add: Add): void {
  const nodes =
    nodesDuringUpgrade(cluster.nodePools.system.maxCount) + nodesDuringUpgrade(cluster.nodePools.user.maxCount);
  const needed = nodes * (AKS_NODE_POOL_NETWORK.maxPods + 1) + AZURE_RESERVED_ADDRESSES_PER_SUBNET;
  const nodesSubnet = parseRange(cluster.spoke.subnets.nodes);
  const size = nodesSubnet.last - nodesSubnet.first + 1;
  if (size < needed) {
    const prefix = 32 - Math.ceil(Math.log2(needed));
    add(
      `${clusterPath}.spoke.subnets.nodes`,
      cluster.spoke.subnets.nodes,
      `at least ${needed} addresses: ${nodes} nodes at maximum with upgrade surge × (${AKS_NODE_POOL_NETWORK.maxPods} pods + 1) + ${AZURE_RESERVED_ADDRESSES_PER_SUBNET} Azure-reserved (the subnet has ${size})`,
      `use a /${prefix} or larger, or lower the node pools' maxCount`,
    );
  }
  const gateway = parseRange(cluster.spoke.subnets.appGateway);
  const gatewayNeeded = APP_GATEWAY_MAX_INSTANCES + AZURE_RESERVED_ADDRESSES_PER_SUBNET;
  if (gateway.last - gateway.first + 1 < gatewayNeeded) {
    add(
      `${clusterPath}.spoke.subnets.appGateway`,
      cluster.spoke.subnets.appGateway,
      `at least ${gatewayNeeded} addresses: ${APP_GATEWAY_MAX_INSTANCES} App Gateway instances (autoscale maximum) + ${AZURE_RESERVED_ADDRESSES_PER_SUBNET} Azure-reserved`,
      'use a /24 (what Azure recommends for App Gateway v2) or at least a /28',
    );
  }
}

/**
 * The Kubernetes service network: a range AKS accepts, overlapping no VNet of the fleet (pods would route service
 * traffic into the VNet or the other way round), with the DNS service address inside it and not its first address.
 */
export function checkServiceNetwork(
  clusterPath: string,
  cluster: Cluster,
  vnets: ReadonlyArray<{ path: string; range: Ipv4Range }>,
  add: Add,
): void {
  const path = `${clusterPath}.network.serviceCidr`;
  const { serviceCidr, dnsServiceIp } = cluster.network;
  const service = parseRange(serviceCidr);
  if (`${intToIpv4(service.first)}/${service.prefix}` !== serviceCidr) {
    add(path, serviceCidr, 'a CIDR whose host bits are zero', `write ${intToIpv4(service.first)}/${service.prefix}`);
    return;
  }
  const reserved = reservedOverlap(service, [...VNET_RESERVED_RANGES, ...SERVICE_CIDR_RESERVED_RANGES]);
  if (reserved)
    add(
      path,
      serviceCidr,
      `a service range outside ${reserved.cidr} (${reserved.what})`,
      'use a private range no VNet uses, e.g. 172.16.0.0/16',
    );
  if (service.prefix < SERVICE_CIDR_MIN_PREFIX)
    add(
      path,
      serviceCidr,
      `a service range of /${SERVICE_CIDR_MIN_PREFIX} or smaller (Kubernetes' limit)`,
      'use a /16, e.g. 172.16.0.0/16',
    );
  for (const vnet of vnets) {
    if (overlaps(service, vnet.range)) {
      add(
        path,
        serviceCidr,
        `a service range that overlaps no VNet of the fleet (overlaps ${vnet.path} = ${vnet.range.cidr})`,
        'use a private range no hub or spoke uses, e.g. 172.16.0.0/16',
      );
    }
  }
  const dns = ipv4ToInt(dnsServiceIp);
  const dnsPath = `${clusterPath}.network.dnsServiceIp`;
  if (!contains(service, { cidr: dnsServiceIp, prefix: 32, first: dns, last: dns })) {
    add(
      dnsPath,
      dnsServiceIp,
      `an address inside network.serviceCidr (${serviceCidr})`,
      `use e.g. ${intToIpv4(service.first + 10)}`,
    );
  } else if (dns <= service.first + 1 || dns === service.last) {
    add(
      dnsPath,
      dnsServiceIp,
      `neither the network address, the first address (the kubernetes API service) nor the last of ${serviceCidr}`,
      `use e.g. ${intToIpv4(service.first + 10)}`,
    );
  }
}
