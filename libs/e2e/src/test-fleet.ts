/**
 * The fleet the e2e suite reconciles: the embedded default fleet (its two regions) plus a generated third region,
 * cloned from an existing one with every address rebased into new, non-overlapping ranges — written to a fleet FILE
 * and synthesized by the real CLI, like any user's fleet.
 */
import { writeFileSync } from 'node:fs';
import { loadFleet, type Cluster, type Fleet } from '@aks-fleet/fleet';
import { stringify } from 'yaml';

export interface RegionClone {
  readonly from: string;
  readonly region: string;
  readonly cluster: string;
  readonly instance: string;
  readonly hubAddressSpace: string;
  readonly spokeAddressSpace: string;
}

/** The third region of the suite: eastus2's stamp again, in westus3. */
export const THIRD_REGION: RegionClone = {
  from: 'eastus2',
  region: 'westus3',
  cluster: 'bu0001a0042-05',
  instance: '05',
  hubAddressSpace: '10.200.5.0/24',
  spokeAddressSpace: '10.245.0.0/16',
};

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Moves an address or CIDR from one address space into the same offset of another. */
export function rebase(value: string, fromSpace: string, toSpace: string): string {
  const [ip, prefix] = value.split('/');
  const fromBase = ipToInt(fromSpace.split('/')[0]!);
  const toBase = ipToInt(toSpace.split('/')[0]!);
  const moved = intToIp(toBase + (ipToInt(ip!) - fromBase));
  return prefix === undefined ? moved : `${moved}/${prefix}`;
}

const GUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-)[0-9a-fA-F]{4}(-[0-9a-fA-F]{12})$/;

/**
 * Per-cluster identifiers (Entra group ids, Azure-assigned client ids …) must not be shared with the source
 * cluster: every GUID of the copy except the tenant gets its fourth group replaced by `e2<instance>`.
 */
function distinctIdentifiers(value: unknown, instance: string, key = ''): unknown {
  if (typeof value === 'string')
    return key !== 'tenantId' && GUID.test(value) ? value.replace(GUID, `$1e2${instance.slice(-2)}$2`) : value;
  if (Array.isArray(value)) return value.map((item) => distinctIdentifiers(item, instance));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, distinctIdentifiers(v, instance, k)]));
  return value;
}

export function cloneRegion(fleet: Readonly<Fleet>, clone: RegionClone): Fleet {
  const copy = structuredClone(fleet) as Fleet;
  const source = copy.spec.regions[clone.from];
  if (!source)
    throw new Error(
      `cannot clone region ${clone.from}: not in the fleet (${Object.keys(copy.spec.regions).join(', ')})`,
    );
  if (copy.spec.regions[clone.region]) throw new Error(`region ${clone.region} already exists`);
  const hub = source.hub;
  const sourceCluster = source.clusters[0]!;
  const spoke = sourceCluster.spoke;
  const subnets = <K extends string>(record: Record<K, string>, from: string, to: string): Record<K, string> =>
    Object.fromEntries(Object.entries(record).map(([key, cidr]) => [key, rebase(cidr as string, from, to)])) as Record<
      K,
      string
    >;
  const cluster: Cluster = {
    ...(distinctIdentifiers(structuredClone(sourceCluster), clone.instance) as Cluster),
    name: clone.cluster,
    instance: clone.instance,
    spoke: {
      addressSpace: clone.spokeAddressSpace,
      subnets: subnets(spoke.subnets, spoke.addressSpace, clone.spokeAddressSpace),
    },
    ingress: {
      internalLoadBalancerIp: rebase(
        sourceCluster.ingress.internalLoadBalancerIp,
        spoke.addressSpace,
        clone.spokeAddressSpace,
      ),
    },
  };
  copy.spec.regions[clone.region] = {
    hub: {
      addressSpace: clone.hubAddressSpace,
      subnets: subnets(hub.subnets, hub.addressSpace, clone.hubAddressSpace),
    },
    clusters: [cluster],
  };
  return copy;
}

/**
 * The default fleet plus the generated third region, all in one rollout wave: the reconciliation scenarios have
 * every region follow the model's branch (rollout-waves.test.ts declares its own waves).
 */
export function loadTestFleet(): Fleet {
  const fleet = cloneRegion(loadFleet().fleet, THIRD_REGION);
  fleet.spec.rollout = {
    waves: [{ name: 'all', regions: Object.keys(fleet.spec.regions), clusters: [], soak: '0s', approval: false }],
  };
  return fleet;
}

export function writeFleetFile(fleet: Readonly<Fleet>, file: string): void {
  writeFileSync(file, `# aks-fleet e2e test fleet (generated)\n${stringify(fleet, { lineWidth: 0 })}`);
}
