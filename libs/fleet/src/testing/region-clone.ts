/**
 * A region as pure data: a copy of an existing region's stamp under a new region name, with every address rebased
 * into new, non-overlapping ranges and every per-cluster identifier made its own. The one builder of the third-region
 * test fleet (CLI tests, infra tests, the e2e suite).
 */
import { loadFleet } from '../load.ts';
import type { Cluster, Fleet } from '../schema.ts';

export interface RegionClone {
  /** The region whose hub and first cluster are copied. */
  readonly from: string;
  /** The new region's name (an Azure region). */
  readonly region: string;
  /** The new cluster's name and two-digit instance. */
  readonly cluster: string;
  readonly instance: string;
  /** The new hub's and spoke's address spaces; every subnet and IP keeps its offset inside them. */
  readonly hubAddressSpace: string;
  readonly spokeAddressSpace: string;
  /** The new cluster's Front Door origin settings. @default - the copied cluster's */
  readonly frontDoor?: Cluster['frontDoor'];
}

/** The third region of the tests: eastus2's stamp again, in westus3, cluster bu0001a0042-05. */
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

function rebaseAll<K extends string>(record: Record<K, string>, from: string, to: string): Record<K, string> {
  return Object.fromEntries(
    Object.entries<string>(record).map(([key, cidr]) => [key, rebase(cidr, from, to)]),
  ) as Record<K, string>;
}

type Hub = Fleet['spec']['regions'][string]['hub'];

/** Moves a cluster's spoke (its subnets and ILB IP at the same offsets) into `addressSpace`. */
export function moveSpoke(cluster: Cluster, addressSpace: string): void {
  const from = cluster.spoke.addressSpace;
  cluster.spoke = { addressSpace, subnets: rebaseAll(cluster.spoke.subnets, from, addressSpace) };
  cluster.ingress = {
    ...cluster.ingress,
    internalLoadBalancerIp: rebase(cluster.ingress.internalLoadBalancerIp, from, addressSpace),
  };
}

/** Moves a hub (its subnets at the same offsets) into `addressSpace`. */
export function moveHub(hub: Hub, addressSpace: string): void {
  hub.subnets = rebaseAll(hub.subnets, hub.addressSpace, addressSpace);
  hub.addressSpace = addressSpace;
}

/** A mutable copy of `fleet` with `clone.region` added: the hub and first cluster of `clone.from`, rebased. */
export function cloneRegion(fleet: Readonly<Fleet>, clone: RegionClone): Fleet {
  const copy = structuredClone(fleet) as Fleet;
  const source = copy.spec.regions[clone.from];
  if (!source)
    throw new Error(
      `cannot clone region ${clone.from}: not in the fleet (${Object.keys(copy.spec.regions).join(', ')})`,
    );
  if (copy.spec.regions[clone.region]) throw new Error(`region ${clone.region} already exists`);
  const hub = structuredClone(source.hub);
  moveHub(hub, clone.hubAddressSpace);
  const cluster = distinctIdentifiers(structuredClone(source.clusters[0]!), clone.instance) as Cluster;
  cluster.name = clone.cluster;
  cluster.instance = clone.instance;
  moveSpoke(cluster, clone.spokeAddressSpace);
  if (clone.frontDoor) cluster.frontDoor = { ...clone.frontDoor };
  copy.spec.regions[clone.region] = { hub, clusters: [cluster] };
  return copy;
}

/** The embedded default fleet plus the third region (a mutable document, not yet parsed). */
export function threeRegionDocument(clone: RegionClone = THIRD_REGION): Fleet {
  return cloneRegion(loadFleet().fleet, clone);
}
