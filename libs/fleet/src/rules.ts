/**
 * Cross-field rules of the fleet model: what a schema of single fields cannot see.
 * Each rule appends issues; none stops at the first problem.
 */
import { AZURE_REGIONS, suggestRegions } from './azure-regions.ts';
import { azureUsableRange, canonicalCidr, contains, intToIpv4, ipv4ToInt, overlaps, parseRange, type Ipv4Range } from './cidr.ts';
import type { FleetIssue } from './errors.ts';
import { checkRolloutRules } from './rollout.ts';
import { FAILOVER_FACTOR, type Cluster, type FleetSpec } from './schema.ts';

/** Namespaces the platform owns; the workload may not take them. */
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system', 'cluster-baseline-settings', 'gatekeeper-system', 'azure-arc'];

/** Kubernetes minor (1.30) or patch (1.30.7) version. */
const KUBERNETES_VERSION = /^1\.(\d{1,2})(\.\d{1,3})?$/;

/** Oldest minor AKS still runs (long-term support included) and newest we know of. */
const KUBERNETES_MINOR_RANGE = { min: 27, max: 36 };

interface NamedRange {
  readonly path: string;
  readonly range: Ipv4Range;
}

export function checkFleetRules(spec: FleetSpec): FleetIssue[] {
  const issues: FleetIssue[] = [];
  const add = (path: string, value: unknown, expected: string, fix: string) => issues.push({ path, value, expected, fix });

  checkRegionName(spec.sharedServices.location, 'sharedServices.location', add);
  if (RESERVED_NAMESPACES.includes(spec.workload.namespace)) {
    add('workload.namespace', spec.workload.namespace, `a namespace of the workload's own, not one of ${RESERVED_NAMESPACES.join(', ')}`, 'choose a namespace such as "a0042"');
  }
  const ingressNamespace = spec.ingressController.namespace;
  if (RESERVED_NAMESPACES.includes(ingressNamespace)) {
    add('ingressController.namespace', ingressNamespace, `a namespace of the ingress controller's own, not one of ${RESERVED_NAMESPACES.join(', ')}`, 'choose a namespace such as "traefik-ingress"');
  } else if (ingressNamespace === spec.workload.namespace) {
    add(
      'ingressController.namespace',
      ingressNamespace,
      `a namespace other than the workload's (${spec.workload.namespace}): the workload's operators must not run pods under the ingress controller's Key Vault identity`,
      'choose a namespace such as "traefik-ingress"',
    );
  }
  for (const kind of ['cpuMillicores', 'memoryMiB'] as const) {
    const { requests, limits } = spec.workload.resources;
    if (requests[kind] > limits[kind]) {
      add(`workload.resources.requests.${kind}`, requests[kind], `requests <= limits (${limits[kind]})`, `lower the request or raise workload.resources.limits.${kind} to at least ${requests[kind]}`);
    }
  }
  if (Object.keys(spec.regions).length === 0) {
    add('regions', spec.regions, 'at least one region', 'add a region, e.g. regions.eastus2 with a hub and one cluster');
  }

  const clusterNames = new Map<string, string>();
  const instances = new Map<string, string>();
  const addressSpaces: NamedRange[] = [];

  for (const [regionName, region] of Object.entries(spec.regions)) {
    const regionPath = `regions.${regionName}`;
    checkRegionName(regionName, regionPath, add);

    const hub = checkVnet(`${regionPath}.hub`, region.hub.addressSpace, region.hub.subnets, add);
    if (hub) addressSpaces.push({ path: `${regionPath}.hub.addressSpace`, range: hub });
    checkMinimumSize(`${regionPath}.hub.subnets.firewall`, region.hub.subnets.firewall, 26, 'Azure Firewall needs an AzureFirewallSubnet of /26 or larger', add);

    region.clusters.forEach((cluster, index) => {
      const path = `${regionPath}.clusters[${index}]`;

      const previous = clusterNames.get(cluster.name);
      if (previous) {
        add(`${path}.name`, cluster.name, `a cluster name unique in the fleet (already used at ${previous})`, 'rename one of the clusters, e.g. aks-<region>-<instance>');
      } else {
        clusterNames.set(cluster.name, `${path}.name`);
      }

      const instanceKey = `${regionName}/${cluster.instance}`;
      const previousInstance = instances.get(instanceKey);
      if (previousInstance) {
        add(`${path}.instance`, cluster.instance, `an instance id unique within region ${regionName} (already used at ${previousInstance})`, 'give every cluster of a region its own instance id, e.g. "05"');
      } else {
        instances.set(instanceKey, `${path}.instance`);
      }

      checkKubernetesVersion(`${path}.kubernetesVersion`, cluster.kubernetesVersion, add);

      for (const pool of ['system', 'user'] as const) {
        const nodePool = cluster.nodePools[pool];
        if (nodePool.minCount > nodePool.maxCount) {
          add(`${path}.nodePools.${pool}.minCount`, nodePool.minCount, `minCount <= maxCount (${nodePool.maxCount})`, `lower minCount or raise maxCount to at least ${nodePool.minCount}`);
        }
        if (new Set(nodePool.zones).size !== nodePool.zones.length) {
          add(`${path}.nodePools.${pool}.zones`, nodePool.zones, 'each zone listed once', 'remove the duplicate zones');
        }
      }

      checkFailoverCapacity(path, spec, cluster, add);

      const spoke = checkVnet(`${path}.spoke`, cluster.spoke.addressSpace, cluster.spoke.subnets, add);
      if (spoke) addressSpaces.push({ path: `${path}.spoke.addressSpace`, range: spoke });
      checkIngressIp(path, cluster.spoke.subnets.ingress, cluster.ingress.internalLoadBalancerIp, add);
    });
  }

  // No two virtual networks anywhere in the fleet may overlap: hubs peer with spokes, and a future
  // cross-region or on-premises link must not meet a collision.
  for (let i = 0; i < addressSpaces.length; i++) {
    for (let j = i + 1; j < addressSpaces.length; j++) {
      const a = addressSpaces[i]!;
      const b = addressSpaces[j]!;
      if (overlaps(a.range, b.range)) {
        add(b.path, b.range.cidr, `an address space that overlaps no other in the fleet (overlaps ${a.path} = ${a.range.cidr})`, 'give every hub and spoke its own range, e.g. the next free /16 for a spoke');
      }
    }
  }
  issues.push(...checkRolloutRules(spec));
  return issues;
}

type Add = (path: string, value: unknown, expected: string, fix: string) => void;

/**
 * The user pool can hold every replica at failover load: the workload, its canary and the ingress controller each
 * run one pod per node (required anti-affinity on the hostname), so a pool smaller than the largest of them leaves
 * pods pending exactly when the other region is down.
 */
function checkFailoverCapacity(clusterPath: string, spec: FleetSpec, cluster: Cluster, add: Add): void {
  const maxCount = cluster.nodePools.user.maxCount;
  const replicas = cluster.workload.replicas ?? spec.workload.replicas;
  const needs: Array<[number, string, string]> = [
    [FAILOVER_FACTOR * replicas, `${FAILOVER_FACTOR} × the workload's ${replicas} replicas (${FAILOVER_FACTOR * replicas}): at failover the surviving region runs ${FAILOVER_FACTOR}× its load, one pod per node`, 'lower the workload replicas'],
    [cluster.workload.canary?.replicas ?? 0, `the canary's ${cluster.workload.canary?.replicas} replicas, one per node`, 'lower the canary replicas'],
    [spec.ingressController.replicas, `the ingress controller's ${spec.ingressController.replicas} replicas, one per node`, 'lower ingressController.replicas'],
  ];
  const [needed, expected, alternative] = needs.reduce((a, b) => (b[0] > a[0] ? b : a));
  if (maxCount < needed) {
    add(`${clusterPath}.nodePools.user.maxCount`, maxCount, `at least ${expected}`, `raise nodePools.user.maxCount to ${needed}, or ${alternative}`);
  }
}

function checkRegionName(name: string, path: string, add: Add): void {
  if (AZURE_REGIONS.includes(name)) return;
  const suggestions = suggestRegions(name);
  add(
    path,
    name,
    'a known Azure region name (lowercase, no spaces, e.g. eastus2)',
    suggestions.length > 0 ? `did you mean ${suggestions.join(' or ')}?` : 'use the name `az account list-locations -o table` shows in its Name column',
  );
}

function checkKubernetesVersion(path: string, version: string, add: Add): void {
  const match = KUBERNETES_VERSION.exec(version);
  if (!match) {
    add(path, version, 'a Kubernetes version like "1.30" or "1.30.7"', 'write the version without a "v" prefix, e.g. "1.30"');
    return;
  }
  const minor = Number(match[1]);
  if (minor < KUBERNETES_MINOR_RANGE.min || minor > KUBERNETES_MINOR_RANGE.max) {
    add(path, version, `a minor version between 1.${KUBERNETES_MINOR_RANGE.min} and 1.${KUBERNETES_MINOR_RANGE.max}`, 'pick a version AKS supports (`az aks get-versions`)');
  }
}

function checkCanonical(path: string, cidr: string, add: Add): Ipv4Range | undefined {
  const canonical = canonicalCidr(cidr);
  if (canonical !== cidr) {
    add(path, cidr, 'a CIDR whose host bits are zero', `write ${canonical}`);
    return undefined;
  }
  return parseRange(cidr);
}

function checkMinimumSize(path: string, cidr: string, maxPrefix: number, expected: string, add: Add): void {
  if (parseRange(cidr).prefix > maxPrefix) add(path, cidr, expected, `use a /${maxPrefix} or larger subnet`);
}

/** A VNet's subnets lie inside its address space and do not overlap each other. */
function checkVnet(path: string, addressSpace: string, subnets: Record<string, string>, add: Add): Ipv4Range | undefined {
  const vnet = checkCanonical(`${path}.addressSpace`, addressSpace, add);
  const seen: NamedRange[] = [];
  for (const [name, cidr] of Object.entries(subnets)) {
    const subnetPath = `${path}.subnets.${name}`;
    const subnet = checkCanonical(subnetPath, cidr, add);
    if (!subnet) continue;
    if (vnet && !contains(vnet, subnet)) {
      add(subnetPath, cidr, `a subnet inside the address space ${addressSpace}`, `move the subnet into ${addressSpace} or widen ${path}.addressSpace`);
    }
    for (const other of seen) {
      if (overlaps(other.range, subnet)) {
        add(subnetPath, cidr, `a subnet that does not overlap ${other.path} (${other.range.cidr})`, 'pick a free range inside the address space');
      }
    }
    seen.push({ path: subnetPath, range: subnet });
  }
  return vnet;
}

/** The ingress ILB IP is a usable host address of the ingress-services subnet. */
function checkIngressIp(clusterPath: string, ingressSubnet: string, ip: string, add: Add): void {
  if (canonicalCidr(ingressSubnet) !== ingressSubnet) return; // already reported on the subnet
  const subnet = parseRange(ingressSubnet);
  const usable = azureUsableRange(subnet);
  const value = ipv4ToInt(ip);
  const path = `${clusterPath}.ingress.internalLoadBalancerIp`;
  if (value < subnet.first || value > subnet.last) {
    add(path, ip, `an address inside spoke.subnets.ingress (${ingressSubnet})`, `use an address between ${intToIpv4(usable.first)} and ${intToIpv4(usable.last)}`);
  } else if (value < usable.first || value > usable.last) {
    add(
      path,
      ip,
      `a usable address: Azure reserves the network address, .1–.3 and the broadcast address of ${ingressSubnet}`,
      `use an address between ${intToIpv4(usable.first)} and ${intToIpv4(usable.last)}`,
    );
  }
}
