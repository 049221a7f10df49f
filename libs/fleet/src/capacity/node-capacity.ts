/**
 * What one AKS node offers to pods: capacity of its VM size minus what AKS reserves for the kubelet and the OS.
 * Source: Microsoft Learn, "Node resource reservations in AKS" (Kubernetes 1.29 and later):
 *   CPU reserved (kube-reserved) by core count: 1 → 60m, 2 → 100m, 4 → 140m, 8 → 180m, 16 → 260m, 32 → 420m,
 *   64 → 740m;
 *   memory reserved = min(20 MiB × maxPods + 50 MiB, 25 % of the VM's memory) + the 100 MiB hard eviction
 *   threshold (memory.available<100Mi).
 * So allocatable CPU = cores × 1000m − reserved CPU; allocatable memory = memory − reserved − 100 MiB;
 * allocatable pods = maxPods. Capacity is the VM size's nominal memory (the OS sees slightly less).
 */
import { AKS_NODE_POOL_NETWORK } from '../stamp-settings.ts';
import { VM_SIZES } from './vm-sizes.ts';

/**
 * Pods per node of every node pool (`maxPods` of the agent pool profiles; the AKS default for Azure CNI). Under
 * Azure CNI every node takes maxPods + 1 addresses of the nodes subnet up front.
 */
export const AKS_NODE_MAX_PODS: number = AKS_NODE_POOL_NETWORK.maxPods;

/** Addresses Azure keeps in every subnet (network, broadcast and three for Azure services). */
export const AZURE_SUBNET_RESERVED_ADDRESSES = 5;

/** Memory the kubelet keeps free before it evicts (AKS: memory.available<100Mi). */
export const AKS_EVICTION_THRESHOLD_MIB = 100;

const KUBE_RESERVED_CPU_BY_CORES: ReadonlyArray<readonly [cores: number, millicores: number]> = [
  [1, 60],
  [2, 100],
  [4, 140],
  [8, 180],
  [16, 260],
  [32, 420],
  [64, 740],
];

export interface NodeResources {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  readonly pods: number;
}

export interface NodeCapacity {
  readonly vmSize: string;
  readonly capacity: NodeResources;
  readonly allocatable: NodeResources;
}

/** CPU AKS reserves on a node of `cores` vCPUs (the largest table row not above it). */
export function reservedCpuMillicores(cores: number): number {
  const row = [...KUBE_RESERVED_CPU_BY_CORES].reverse().find(([c]) => c <= cores) ?? KUBE_RESERVED_CPU_BY_CORES[0]!;
  return row[1];
}

/** Memory AKS reserves for the kubelet on a node (without the eviction threshold). */
export function reservedMemoryMiB(memoryMiB: number, maxPods: number): number {
  return Math.min(20 * maxPods + 50, Math.floor(memoryMiB / 4));
}

/** Capacity and allocatable of one node of `vmSize`; undefined for a size the table does not hold. */
export function nodeCapacity(vmSize: string, maxPods = AKS_NODE_MAX_PODS): NodeCapacity | undefined {
  const size = VM_SIZES[vmSize];
  if (!size) return undefined;
  const memoryMiB = size.memoryGiB * 1024;
  const capacity = { cpuMillicores: size.vCpus * 1000, memoryMiB, pods: maxPods };
  const allocatable = {
    cpuMillicores: capacity.cpuMillicores - reservedCpuMillicores(size.vCpus),
    memoryMiB: memoryMiB - reservedMemoryMiB(memoryMiB, maxPods) - AKS_EVICTION_THRESHOLD_MIB,
    pods: maxPods,
  };
  return { vmSize, capacity, allocatable };
}

/** Addresses a node pool of `nodes` takes in the nodes subnet under Azure CNI (node + one per pod). */
export function azureCniAddresses(nodes: number, maxPods = AKS_NODE_MAX_PODS): number {
  return nodes * (maxPods + 1);
}

/** Usable addresses of an IPv4 subnet of `prefixLength` in Azure. */
export function azureSubnetUsableAddresses(prefixLength: number): number {
  return 2 ** (32 - prefixLength) - AZURE_SUBNET_RESERVED_ADDRESSES;
}
