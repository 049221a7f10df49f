/**
 * Cross-field rules of the fleet model: what a schema of single fields cannot see.
 * Each rule appends issues; none stops at the first problem.
 */
import { AZURE_REGIONS, suggestRegions } from './azure-regions.ts';
import {
  azureUsableRange,
  canonicalCidr,
  contains,
  intToIpv4,
  ipv4ToInt,
  overlaps,
  parseRange,
  type Ipv4Range,
} from './cidr.ts';
import { checkHubSubnetSizes, checkServiceNetwork, checkSpokeCapacity, checkVnetRange } from './address-rules.ts';
import { redactUrlCredentials, type FleetIssue } from './errors.ts';
import {
  DEFAULT_KUBERNETES_MINOR,
  KUBERNETES_SUPPORT_AS_OF,
  KUBERNETES_SUPPORT_SOURCE,
  longTermSupportMinors,
  minorOf,
  standardSupportMinors,
} from './kubernetes-support.ts';
import { checkClusterNames, checkFleetNames } from './name-rules.ts';
import { FAILOVER_FACTOR, WORKLOAD_MAX_SURGE, type Cluster, type FleetSpec, type Region } from './schema.ts';
import { POLICY_EXCEPTION_RULE_IDS } from './security-rule-ids.ts';
import { BASELINE_NAMESPACE } from './names.ts';
import { checkRolloutRules } from './rollout.ts';

/** Namespaces the platform owns; the workload may not take them. */
const RESERVED_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'flux-system',
  BASELINE_NAMESPACE,
  'gatekeeper-system',
  'azure-arc',
];

/** Kubernetes minor (1.35) or patch (1.35.2) version. */
const KUBERNETES_VERSION = /^1\.(\d{1,2})(\.\d{1,3})?$/;

/**
 * Smallest private-endpoints subnet: Azure keeps 5 addresses of every subnet, and the endpoints need one address for
 * the Key Vault, one for the registry and one per registry region (its data endpoints) — a /28 leaves 11.
 */
const PRIVATE_ENDPOINTS_MAX_PREFIX = 28;

interface NamedRange {
  readonly path: string;
  readonly range: Ipv4Range;
}

/** A hub's or spoke's address space, and — when none of its subnets lies inside it — the range that holds them. */
interface AddressSpace extends NamedRange {
  readonly kind: 'hub' | 'spoke';
  readonly subnetsOutside?: Ipv4Range;
}

/**
 * What the rules read: a parsed spec, or — when the document's structure is wrong somewhere — the parts of it that
 * are valid on their own (a missing part skips the rules that need it; clusters that did not parse are holes).
 */
export type RuleInput = { readonly [K in Exclude<keyof FleetSpec, 'regions'>]?: FleetSpec[K] } & {
  readonly regions?: Readonly<Record<string, { readonly hub?: Region['hub']; readonly clusters: readonly Cluster[] }>>;
};

export function checkFleetRules(spec: RuleInput): FleetIssue[] {
  const issues: FleetIssue[] = [];
  const add = (path: string, value: unknown, expected: string, fix: string) =>
    issues.push({ path, value, expected, fix });

  if (spec.sharedServices) checkRegionName(spec.sharedServices.location, 'sharedServices.location', add);
  if (spec.gitSource) checkGitUrl(spec.gitSource.url, add);
  spec.policyExceptions?.forEach((exception, index) => {
    if (!POLICY_EXCEPTION_RULE_IDS.includes(exception.rule)) {
      add(
        `policyExceptions[${index}].rule`,
        exception.rule,
        `a rule that exceptions can name: ${POLICY_EXCEPTION_RULE_IDS.join(', ')}`,
        'correct the rule id (`fleet validate --list-rules` lists them) or remove the exception',
      );
    }
  });
  if (spec.workload && RESERVED_NAMESPACES.includes(spec.workload.namespace)) {
    add(
      'workload.namespace',
      spec.workload.namespace,
      `a namespace of the workload's own, not one of ${RESERVED_NAMESPACES.join(', ')}`,
      'choose a namespace such as "a0042"',
    );
  }
  const ingressNamespace = spec.ingressController?.namespace ?? '';
  if (RESERVED_NAMESPACES.includes(ingressNamespace)) {
    add(
      'ingressController.namespace',
      ingressNamespace,
      `a namespace of the ingress controller's own, not one of ${RESERVED_NAMESPACES.join(', ')}`,
      'choose a namespace such as "traefik-ingress"',
    );
  } else if (spec.workload && ingressNamespace === spec.workload.namespace) {
    add(
      'ingressController.namespace',
      ingressNamespace,
      `a namespace other than the workload's (${spec.workload.namespace}): the workload's operators must not run pods under the ingress controller's Key Vault identity`,
      'choose a namespace such as "traefik-ingress"',
    );
  }
  for (const kind of ['cpuMillicores', 'memoryMiB'] as const) {
    if (!spec.workload) break;
    const { requests, limits } = spec.workload.resources;
    if (requests[kind] > limits[kind]) {
      add(
        `workload.resources.requests.${kind}`,
        requests[kind],
        `requests <= limits (${limits[kind]})`,
        `lower the request or raise workload.resources.limits.${kind} to at least ${requests[kind]}`,
      );
    }
  }
  if (!spec.regions) return issues;
  if (Object.keys(spec.regions).length === 0) {
    add(
      'regions',
      spec.regions,
      'at least one region',
      'add a region, e.g. regions.eastus2 with a hub and one cluster',
    );
  }

  const clusterNames = new Map<string, string>();
  const instances = new Map<string, string>();
  const addressSpaces: AddressSpace[] = [];
  const allClusters: Array<{ path: string; region: string; cluster: Cluster }> = [];

  for (const [regionName, region] of Object.entries(spec.regions)) {
    const regionPath = `regions.${regionName}`;
    checkRegionName(regionName, regionPath, add);

    if (region.hub) {
      const hub = checkVnet(`${regionPath}.hub`, region.hub.addressSpace, region.hub.subnets, add);
      if (hub) addressSpaces.push({ path: `${regionPath}.hub.addressSpace`, kind: 'hub', ...hub });
      checkHubSubnetSizes(`${regionPath}.hub`, region.hub.subnets, add);
    }

    region.clusters.forEach((cluster, index) => {
      const path = `${regionPath}.clusters[${index}]`;
      allClusters.push({ path, region: regionName, cluster });

      const previous = clusterNames.get(cluster.name);
      if (previous) {
        add(
          `${path}.name`,
          cluster.name,
          `a cluster name unique in the fleet (already used at ${previous})`,
          renameFix(cluster, spec.regions ?? {}),
        );
      } else {
        clusterNames.set(cluster.name, `${path}.name`);
      }

      const instanceKey = `${regionName}/${cluster.instance}`;
      const previousInstance = instances.get(instanceKey);
      if (previousInstance) {
        add(
          `${path}.instance`,
          cluster.instance,
          `an instance id unique within region ${regionName} (already used at ${previousInstance})`,
          'give every cluster of a region its own instance id, e.g. "05"',
        );
      } else {
        instances.set(instanceKey, `${path}.instance`);
      }

      checkKubernetesVersion(path, cluster, add);

      for (const pool of ['system', 'user'] as const) {
        const nodePool = cluster.nodePools[pool];
        if (nodePool.minCount > nodePool.maxCount) {
          add(
            `${path}.nodePools.${pool}.minCount`,
            nodePool.minCount,
            `minCount <= maxCount (${nodePool.maxCount})`,
            `lower minCount or raise maxCount to at least ${nodePool.minCount}`,
          );
        }
        if (new Set(nodePool.zones).size !== nodePool.zones.length) {
          add(`${path}.nodePools.${pool}.zones`, nodePool.zones, 'each zone listed once', 'remove the duplicate zones');
        }
      }

      if (spec.workload && spec.ingressController)
        checkFailoverCapacity(path, spec.workload, spec.ingressController, cluster, add);

      const spoke = checkVnet(`${path}.spoke`, cluster.spoke.addressSpace, cluster.spoke.subnets, add);
      if (spoke) addressSpaces.push({ path: `${path}.spoke.addressSpace`, kind: 'spoke', ...spoke });
      checkMinimumSize(
        `${path}.spoke.subnets.privateEndpoints`,
        cluster.spoke.subnets.privateEndpoints,
        PRIVATE_ENDPOINTS_MAX_PREFIX,
        `a /${PRIVATE_ENDPOINTS_MAX_PREFIX} or larger subnet: the Key Vault, registry and per-region registry data endpoints each take an address`,
        add,
      );
      checkIngressIp(path, cluster.spoke.subnets.ingress, cluster.ingress.internalLoadBalancerIp, add);
      if (spoke && !spoke.subnetsOutside) checkSpokeCapacity(path, cluster, add);
    });
  }
  for (const { path, cluster } of allClusters) checkServiceNetwork(path, cluster, addressSpaces, add);

  const { organization, gitSource, sharedServices, dns, workload } = spec;
  if (organization && gitSource && sharedServices && dns && workload) {
    const names = { organization, gitSource, sharedServices, dns, workload };
    // Names derived from a region that is no Azure region are not checked: the region's own error says it all.
    const known = (region: string) => AZURE_REGIONS.includes(region);
    checkFleetNames(names, Object.keys(spec.regions).filter(known), add);
    checkClusterNames(
      names,
      allClusters.filter(({ region }) => known(region)),
      add,
    );
  }

  checkAddressSpaces(addressSpaces, add);
  if (spec.regions) issues.push(...checkRolloutRules({ rollout: spec.rollout, regions: spec.regions }));
  return issues;
}

type Add = (path: string, value: unknown, expected: string, fix: string) => void;

/**
 * How to rename a cluster whose name another cluster has: after the fleet's own pattern when its names follow one
 * (every other name is one prefix + its instance, like bu0001a0042-03) and that name is free; otherwise no example.
 */
function renameFix(cluster: Cluster, regions: NonNullable<RuleInput['regions']>): string {
  const others = Object.values(regions)
    .flatMap((region) => region.clusters.filter(Boolean))
    .filter((other) => other !== cluster);
  const prefixes = new Set(
    others.map((other) => (other.name.endsWith(other.instance) ? other.name.slice(0, -other.instance.length) : '')),
  );
  const [prefix] = prefixes;
  const suggested = prefixes.size === 1 && prefix ? `${prefix}${cluster.instance}` : undefined;
  if (suggested && !others.some((other) => other.name === suggested)) {
    return `rename this cluster to ${suggested}, after the fleet's names (${prefix}<instance>)`;
  }
  return 'rename this cluster: every cluster of the fleet needs a name of its own';
}

/**
 * No two virtual networks anywhere in the fleet may overlap: hubs peer with spokes, and a future cross-region or
 * on-premises link must not meet a collision. An address space whose subnets all lie outside it was changed on its
 * own: that is the one mistake — reported once, at the address space (its subnets said nothing), with the range that
 * holds them as the fix where it is free.
 */
function checkAddressSpaces(spaces: readonly AddressSpace[], add: Add): void {
  const reported = new Set<string>();
  for (let i = 0; i < spaces.length; i++) {
    for (let j = i + 1; j < spaces.length; j++) {
      // The one that moved away from its subnets is the one to change; otherwise the later one.
      const [other, space] =
        spaces[i]!.subnetsOutside && !spaces[j]!.subnetsOutside ? [spaces[j]!, spaces[i]!] : [spaces[i]!, spaces[j]!];
      if (!overlaps(space.range, other.range) || reported.has(space.path)) continue;
      reported.add(space.path);
      add(
        space.path,
        space.range.cidr,
        `an address space that overlaps no other in the fleet (overlaps ${other.path} = ${other.range.cidr})`,
        ownRangeFix(space, spaces, true),
      );
    }
  }
  for (const space of spaces) {
    if (!space.subnetsOutside || reported.has(space.path)) continue;
    add(
      space.path,
      space.range.cidr,
      `an address space that holds the ${space.kind}'s subnets (none of them lies inside ${space.range.cidr}: they are in ${space.subnetsOutside.cidr})`,
      ownRangeFix(space, spaces, false),
    );
  }
}

/** "set it to 10.200.4.0/24 (the range that holds its subnets)", or the next free range of its size. */
function ownRangeFix(space: AddressSpace, spaces: readonly AddressSpace[], overlapping: boolean): string {
  const taken = spaces.filter((other) => other !== space).map((other) => other.range);
  const holding = space.subnetsOutside;
  if (holding && !taken.some((range) => overlaps(range, holding))) {
    const move = overlapping ? '' : ` (or move the subnets into ${space.range.cidr})`;
    return `set it to ${holding.cidr}, the range that holds its subnets${move}`;
  }
  const free = nextFreeRange(space.range, taken);
  const what = space.kind === 'hub' ? 'this hub' : "this cluster's spoke";
  return free
    ? `give ${what} a range of its own, e.g. ${free} (the next free /${space.range.prefix}), and move its subnets into it`
    : `give ${what} a range of its own that no other hub or spoke uses, and move its subnets into it`;
}

/** The first range of `range`'s size after it (within its /8) that overlaps none of `taken`. */
function nextFreeRange(range: Ipv4Range, taken: readonly Ipv4Range[]): string | undefined {
  const size = range.last - range.first + 1;
  const end = Math.floor(range.first / 2 ** 24) * 2 ** 24 + 2 ** 24;
  for (let first = range.first + size; first + size <= end; first += size) {
    const candidate = { cidr: '', prefix: range.prefix, first, last: first + size - 1 };
    if (!taken.some((other) => overlaps(other, candidate))) return `${intToIpv4(first)}/${range.prefix}`;
  }
  return undefined;
}

/** The smallest aligned range that holds all of `ranges`, and is no smaller than a /`atMost` (the VNet's size). */
function enclosing(ranges: readonly Ipv4Range[], atMost: number): Ipv4Range {
  const first = Math.min(...ranges.map((range) => range.first));
  const last = Math.max(...ranges.map((range) => range.last));
  for (let prefix = Math.min(atMost, ...ranges.map((range) => range.prefix)); prefix > 0; prefix--) {
    const size = 2 ** (32 - prefix);
    const start = Math.floor(first / size) * size;
    if (start + size - 1 >= last) return parseRange(`${intToIpv4(start)}/${prefix}`);
  }
  return parseRange('0.0.0.0/0');
}

/**
 * The user pool can hold every replica at failover load, and a rollout's surge pod on top: the workload, its canary
 * and the ingress controller each run one pod per node (required anti-affinity on the hostname), so a pool smaller
 * than the largest of them leaves pods pending exactly when the other region is down. (The gate's deploy/peak-fits
 * rule checks the same on the synthesized objects.)
 */
function checkFailoverCapacity(
  clusterPath: string,
  workload: FleetSpec['workload'],
  ingressController: FleetSpec['ingressController'],
  cluster: Cluster,
  add: Add,
): void {
  const spec = { workload, ingressController };
  const maxCount = cluster.nodePools.user.maxCount;
  const replicas = cluster.workload.replicas ?? spec.workload.replicas;
  const peak = FAILOVER_FACTOR * replicas + WORKLOAD_MAX_SURGE;
  const canary = cluster.workload.canary?.replicas;
  const needs: Array<[number, string, string]> = [
    [
      peak,
      `${FAILOVER_FACTOR} × the workload's ${replicas} replicas + ${WORKLOAD_MAX_SURGE} rollout surge (${peak}): at failover the surviving region runs ${FAILOVER_FACTOR}× its load, one pod per node, and a rollout then adds its surge`,
      'lower the workload replicas',
    ],
    [
      canary === undefined ? 0 : canary + WORKLOAD_MAX_SURGE,
      `the canary's ${canary} replicas + ${WORKLOAD_MAX_SURGE} rollout surge, one per node`,
      'lower the canary replicas',
    ],
    [
      spec.ingressController.replicas,
      `the ingress controller's ${spec.ingressController.replicas} replicas, one per node`,
      'lower ingressController.replicas',
    ],
  ];
  const [needed, expected, alternative] = needs.reduce((a, b) => (b[0] > a[0] ? b : a));
  if (maxCount < needed) {
    add(
      `${clusterPath}.nodePools.user.maxCount`,
      maxCount,
      `at least ${expected}`,
      `raise nodePools.user.maxCount to ${needed}, or ${alternative}`,
    );
  }
}

function checkRegionName(name: string, path: string, add: Add): void {
  if (AZURE_REGIONS.includes(name)) return;
  const suggestions = suggestRegions(name);
  add(
    path,
    name,
    'a known Azure region name (lowercase, no spaces, e.g. eastus2)',
    suggestions.length > 0
      ? `did you mean ${suggestions.join(' or ')}?`
      : 'use the name `az account list-locations -o table` shows in its Name column',
  );
}

/**
 * The version is one AKS serves: in standard support on the support table's date, or — when the cluster opts into
 * long-term support (tier Premium + supportPlan AKSLongTermSupport) — under long-term support.
 */
function checkKubernetesVersion(clusterPath: string, cluster: Cluster, add: Add): void {
  const path = `${clusterPath}.kubernetesVersion`;
  const version = cluster.kubernetesVersion;
  const standard = standardSupportMinors();
  const newest = DEFAULT_KUBERNETES_MINOR;
  if (!KUBERNETES_VERSION.test(version)) {
    add(
      path,
      version,
      `a Kubernetes version like "${newest}" or "${newest}.2"`,
      `write the version without a "v" prefix, e.g. "${newest}"`,
    );
    return;
  }
  const lts = cluster.supportPlan === 'AKSLongTermSupport';
  if (lts && cluster.tier !== 'Premium') {
    add(
      `${clusterPath}.tier`,
      cluster.tier,
      'tier Premium: AKS long-term support (supportPlan AKSLongTermSupport) is a Premium tier feature',
      'set tier: Premium, or supportPlan: KubernetesOfficial',
    );
  }
  const minor = minorOf(version);
  const source = `AKS release calendar as of ${KUBERNETES_SUPPORT_AS_OF}, ${KUBERNETES_SUPPORT_SOURCE}`;
  if (standard.includes(minor) || (lts && longTermSupportMinors().includes(minor))) return;
  const ltsMinors = longTermSupportMinors().filter((m) => !standard.includes(m));
  add(
    path,
    version,
    lts
      ? `a minor under AKS long-term support: ${longTermSupportMinors().join(', ')} (${source})`
      : `a minor in AKS standard support: ${standard.join(', ')} (${source})`,
    `use "${newest}"${ltsMinors.length > 0 && !lts ? `, or opt into long-term support for ${ltsMinors.join(', ')} with tier: Premium and supportPlan: AKSLongTermSupport` : ''}`,
  );
}

function checkCanonical(path: string, cidr: string, add: Add): Ipv4Range | undefined {
  const canonical = canonicalCidr(cidr);
  if (canonical !== cidr) {
    add(path, cidr, 'a CIDR whose host bits are zero', `write ${canonical}`);
    return undefined;
  }
  return parseRange(cidr);
}

/**
 * The Git URL parses as a URL. What it may hold (no credentials, the scheme that matches gitSource.auth) is the
 * schema's to say (GitSourceSchema): one source per fact, so one mistake in the URL is one error.
 */
function checkGitUrl(url: string, add: Add): void {
  if (!URL.canParse(url))
    add(
      'gitSource.url',
      redactUrlCredentials(url),
      'a URL like https://github.com/contoso/aks-fleet',
      'correct the URL',
    );
}

function checkMinimumSize(path: string, cidr: string, maxPrefix: number, expected: string, add: Add): void {
  if (parseRange(cidr).prefix > maxPrefix) add(path, cidr, expected, `use a /${maxPrefix} or larger subnet`);
}

/**
 * A VNet's subnets lie inside its address space and do not overlap each other. When none of them lies inside, the
 * address space is what changed: the subnets are not reported one by one (`subnetsOutside`: the range they span).
 */
function checkVnet(
  path: string,
  addressSpace: string,
  subnets: Record<string, string>,
  add: Add,
): { range: Ipv4Range; subnetsOutside?: Ipv4Range } | undefined {
  const vnet = checkCanonical(`${path}.addressSpace`, addressSpace, add);
  if (vnet) checkVnetRange(`${path}.addressSpace`, vnet, add);
  const canonical = Object.values(subnets)
    .filter((cidr) => canonicalCidr(cidr) === cidr)
    .map((cidr) => parseRange(cidr));
  const allOutside = vnet !== undefined && canonical.length > 1 && canonical.every((subnet) => !overlaps(vnet, subnet));
  const seen: NamedRange[] = [];
  for (const [name, cidr] of Object.entries(subnets)) {
    const subnetPath = `${path}.subnets.${name}`;
    const subnet = checkCanonical(subnetPath, cidr, add);
    if (!subnet) continue;
    if (vnet && !allOutside && !contains(vnet, subnet)) {
      add(
        subnetPath,
        cidr,
        `a subnet inside the address space ${addressSpace}`,
        `move the subnet into ${addressSpace} or widen ${path}.addressSpace`,
      );
    }
    for (const other of seen) {
      if (overlaps(other.range, subnet)) {
        add(
          subnetPath,
          cidr,
          `a subnet that does not overlap ${other.path} (${other.range.cidr})`,
          'pick a free range inside the address space',
        );
      }
    }
    seen.push({ path: subnetPath, range: subnet });
  }
  if (!vnet) return undefined;
  return allOutside ? { range: vnet, subnetsOutside: enclosing(canonical, vnet.prefix) } : { range: vnet };
}

/** The ingress ILB IP is a usable host address of the ingress-services subnet. */
function checkIngressIp(clusterPath: string, ingressSubnet: string, ip: string, add: Add): void {
  if (canonicalCidr(ingressSubnet) !== ingressSubnet) return; // already reported on the subnet
  const subnet = parseRange(ingressSubnet);
  const usable = azureUsableRange(subnet);
  const value = ipv4ToInt(ip);
  const path = `${clusterPath}.ingress.internalLoadBalancerIp`;
  if (value < subnet.first || value > subnet.last) {
    add(
      path,
      ip,
      `an address inside spoke.subnets.ingress (${ingressSubnet})`,
      `use an address between ${intToIpv4(usable.first)} and ${intToIpv4(usable.last)}`,
    );
  } else if (value < usable.first || value > usable.last) {
    add(
      path,
      ip,
      `a usable address: Azure reserves the network address, .1–.3 and the broadcast address of ${ingressSubnet}`,
      `use an address between ${intToIpv4(usable.first)} and ${intToIpv4(usable.last)}`,
    );
  }
}
