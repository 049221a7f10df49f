/**
 * Simulated AKS nodes, modeled from one cluster's node pools in the fleet model: the agent pool names, labels and
 * system-pool taint AKS sets, one zone per node round-robin over the pool's zones (`<region>-<zone>`), and the
 * allocatable CPU, memory and pods of the pool's VM size (`nodeCapacity` of @aks-fleet/fleet: the one VM table).
 * kwok (kwok-stages.ts) then makes them Ready and runs the pods bound to them.
 */
import { AKS_NODE_MAX_PODS, nodeCapacity, type Cluster, type NodePool } from '@aks-fleet/fleet';
import { SYSTEM_POOL, SYSTEM_POOL_TAINT, USER_POOL } from '@aks-fleet/infra';
import { HARNESS_FIELD_MANAGER } from './control-plane.ts';
import type { KubeClient, KubeObject } from './kube-client.ts';
import { KWOK_NODE_ANNOTATION, KWOK_NODE_ANNOTATION_VALUE } from './kwok-stages.ts';
import { pollUntil } from './wait.ts';

export type PoolMode = 'system' | 'user';

export const POOL_NAMES: Readonly<Record<PoolMode, string>> = { system: SYSTEM_POOL, user: USER_POOL };

/** The Kubernetes version the simulated kubelets report: the control plane's own (no version skew). */
const KUBELET_VERSION = 'v1.36.5';

export interface NodeCounts {
  readonly system: number;
  readonly user: number;
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function intToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * Addresses in the cluster's nodes subnet (flat Azure CNI: nodes and pods share it): node IPs from the first
 * usable address up, pod IPs (kwok `--cidr`) from the subnet's upper half.
 */
export function subnetPlan(nodesSubnet: string): { nodeIp: (index: number) => string; podCidr: string } {
  const [address, prefixText] = nodesSubnet.split('/');
  const prefix = Number(prefixText);
  const first = ipv4ToInt(address!);
  const half = 2 ** (32 - prefix - 1);
  return { nodeIp: (index) => intToIpv4(first + 4 + index), podCidr: `${intToIpv4(first + half)}/${prefix + 1}` };
}

/** AKS-style VMSS instance name: `aks-<pool>-<8 digits>-vmss<6 base-36 digits>`. */
export function nodeName(cluster: string, mode: PoolMode, index: number): string {
  let hash = 0;
  for (const ch of `${cluster}/${POOL_NAMES[mode]}`) hash = (hash * 31 + ch.charCodeAt(0)) % 100_000_000;
  return `aks-${POOL_NAMES[mode]}-${String(hash).padStart(8, '0')}-vmss${index.toString(36).padStart(6, '0')}`;
}

function poolOf(cluster: Cluster, mode: PoolMode): NodePool {
  return cluster.nodePools[mode];
}

export function zoneOf(region: string, pool: NodePool, index: number): string {
  return `${region}-${pool.zones[index % pool.zones.length]}`;
}

/** The Node object AKS would register for instance `index` of the pool (spec and metadata; status separately). */
export function nodeObject(region: string, cluster: Cluster, mode: PoolMode, index: number): KubeObject {
  const pool = poolOf(cluster, mode);
  const name = nodeName(cluster.name, mode, index);
  const [taintKey, rest] = SYSTEM_POOL_TAINT.split('=');
  const [taintValue, taintEffect] = rest!.split(':');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: KWOK_NODE_ANNOTATION_VALUE },
      labels: {
        'kubernetes.azure.com/mode': mode,
        'kubernetes.azure.com/agentpool': POOL_NAMES[mode],
        'kubernetes.azure.com/role': 'agent',
        'kubernetes.azure.com/os-sku': 'AzureLinux',
        agentpool: POOL_NAMES[mode],
        'topology.kubernetes.io/region': region,
        'topology.kubernetes.io/zone': zoneOf(region, pool, index),
        'node.kubernetes.io/instance-type': pool.vmSize,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
      },
    },
    spec: {
      providerID: `azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_${cluster.name}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-${POOL_NAMES[mode]}-vmss/virtualMachines/${index}`,
      ...(mode === 'system' ? { taints: [{ key: taintKey!, value: taintValue!, effect: taintEffect! }] } : {}),
    },
  };
}

/** What the kubelet reports about its machine: capacity, allocatable (after AKS reservations), address, versions. */
export function nodeStatus(cluster: Cluster, mode: PoolMode, index: number, ordinal: number): Record<string, unknown> {
  const pool = poolOf(cluster, mode);
  const sizing = nodeCapacity(pool.vmSize, AKS_NODE_MAX_PODS);
  if (!sizing) {
    throw new Error(
      `nodePools.${mode}.vmSize of ${cluster.name}: ${pool.vmSize} is not in the VM size table (libs/fleet/src/capacity/vm-sizes.ts) — add its vCPUs and memory there`,
    );
  }
  const resources = (r: { cpuMillicores: number; memoryMiB: number; pods: number }): Record<string, string> => ({
    cpu: `${r.cpuMillicores}m`,
    memory: `${r.memoryMiB}Mi`,
    pods: String(r.pods),
  });
  const name = nodeName(cluster.name, mode, index);
  return {
    capacity: resources(sizing.capacity),
    allocatable: resources(sizing.allocatable),
    addresses: [
      { type: 'InternalIP', address: subnetPlan(cluster.spoke.subnets.nodes).nodeIp(ordinal) },
      { type: 'Hostname', address: name },
    ],
    nodeInfo: {
      architecture: 'amd64',
      operatingSystem: 'linux',
      osImage: 'AzureLinux (simulated by kwok)',
      kernelVersion: '',
      containerRuntimeVersion: 'containerd://simulated',
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      machineID: '',
      systemUUID: '',
      bootID: '',
    },
  };
}

/**
 * Makes the cluster have at least `counts` nodes per pool (the node pools' count, as AKS or the cluster autoscaler
 * sets it): registers the missing Nodes and reports their machine status. Existing nodes are left alone.
 * Returns the names of the nodes added.
 */
export async function ensureNodes(
  client: KubeClient,
  region: string,
  cluster: Cluster,
  counts: NodeCounts,
): Promise<string[]> {
  const added: string[] = [];
  const modes: PoolMode[] = ['system', 'user'];
  for (const mode of modes) {
    for (let index = 0; index < counts[mode]; index++) {
      // Stable per node: system nodes first, then the user pool after the system pool's maximum.
      const ordinal = mode === 'system' ? index : cluster.nodePools.system.maxCount + index;
      const node = nodeObject(region, cluster, mode, index);
      const existing = await client.get({ apiVersion: 'v1', kind: 'Node', name: node.metadata.name });
      if (existing) continue;
      await client.apply(node, { fieldManager: HARNESS_FIELD_MANAGER, force: true });
      await client.request('PATCH', `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}/status`, {
        body: { status: nodeStatus(cluster, mode, index, ordinal) },
        contentType: 'application/merge-patch+json',
      });
      added.push(node.metadata.name);
    }
  }
  return added;
}

/** The nodes' counts a cluster starts with: each pool's `minCount` (what AKS creates). */
export function minimumCounts(cluster: Cluster): NodeCounts {
  return { system: cluster.nodePools.system.minCount, user: cluster.nodePools.user.minCount };
}

/** The most nodes each pool can have: `maxCount` (where the cluster autoscaler stops). */
export function maximumCounts(cluster: Cluster): NodeCounts {
  return { system: cluster.nodePools.system.maxCount, user: cluster.nodePools.user.maxCount };
}

/** Waits until every node of the cluster reports Ready (kwok's node stage); returns how many there are. */
export async function waitNodesReady(
  client: KubeClient,
  { timeoutMs = 60_000 }: { timeoutMs?: number } = {},
): Promise<number> {
  return pollUntil(
    'every node Ready',
    async () => {
      const { body } = await client.request<{ items: KubeObject[] }>('GET', '/api/v1/nodes');
      const notReady = body.items.filter(
        (n) =>
          !((n.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
      );
      return notReady.length === 0 && body.items.length > 0
        ? { done: true, value: body.items.length }
        : { done: false, state: `not Ready: ${notReady.map((n) => n.metadata.name).join(', ') || 'no nodes'}` };
    },
    { timeoutMs },
  );
}
