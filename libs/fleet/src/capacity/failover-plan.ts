/**
 * The static failover check behind `fleet failover --lose <region>`: for every surviving cluster, what it must run
 * once the region is gone (read from its synthesized manifests: replicas, HPA bounds, rollout surge, requests,
 * node selectors, anti-affinity, ResourceQuotas) against what its node pools can hold at `maxCount` (the VM size
 * table of @aks-fleet/fleet), its quotas and its nodes subnet under Azure CNI; and where Front Door sends traffic.
 *
 * Needed = normal replicas × (traffic share after ÷ share before), Front Door sending traffic to the lowest priority
 * number by weight; the HPA maximum must reach it. Peak = every autoscaled Deployment at its HPA maximum, every other
 * at its replicas, each in a rolling update at once (peak + maxSurge pods). Daemon pods of AKS add-ons are not counted.
 */
import { clustersOf } from '../names.ts';
import { cpuMillicores, memoryMiB } from './quantity.ts';
import { FAILOVER_FACTOR, type Cluster, type Fleet } from '../schema.ts';
import {
  AKS_NODE_MAX_PODS,
  azureCniAddresses,
  azureSubnetUsableAddresses,
  nodeCapacity,
  type NodeResources,
} from './node-capacity.ts';

/** What the check reads of a synthesized Kubernetes object. */
export interface ManifestObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: unknown;
}

type PoolMode = 'system' | 'user';

interface PodTemplateSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string }[];
  affinity?: {
    podAntiAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: {
        labelSelector?: { matchLabels?: Record<string, string> };
        topologyKey?: string;
      }[];
    };
  };
  containers?: {
    resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  }[];
}

interface DeploymentSpec {
  replicas?: number;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string } };
  template?: { metadata?: { labels?: Record<string, string> }; spec?: PodTemplateSpec };
}

export interface WorkloadAtPeak {
  readonly deployment: string;
  readonly pool: PoolMode | 'none';
  /** Replicas in normal operation (HPA minimum, or the Deployment's replicas). */
  readonly normal: number;
  /** Replicas the cluster must run to carry its share of the traffic after the loss. */
  readonly needed: number;
  /** HPA maximum when autoscaled. */
  readonly hpaMax?: number;
  /** Replicas at peak (HPA maximum, else replicas) and the extra pods of a rolling update. */
  readonly peak: number;
  readonly surge: number;
  /** Required anti-affinity on the hostname: one pod per node. */
  readonly onePerNode: boolean;
  readonly requests: { readonly cpuMillicores: number; readonly memoryMiB: number };
}

export interface PoolAtPeak {
  readonly pool: PoolMode;
  readonly vmSize: string;
  readonly maxCount: number;
  readonly allocatablePerNode?: NodeResources;
  readonly pods: number;
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
}

export interface QuotaAtPeak {
  readonly namespace: string;
  readonly name: string;
  /** resource → [needed at peak, hard]. */
  readonly usage: Readonly<Record<string, readonly [needed: number, hard: number]>>;
}

export interface Finding {
  readonly factor: string;
  readonly detail: string;
  readonly fix: string;
}

export interface SurvivorVerdict {
  readonly cluster: string;
  readonly region: string;
  readonly frontDoor: { readonly priority: number; readonly weight: number; readonly trafficShare: number };
  readonly workloads: readonly WorkloadAtPeak[];
  readonly pools: readonly PoolAtPeak[];
  readonly quotas: readonly QuotaAtPeak[];
  readonly subnet: { readonly cidr: string; readonly usable: number; readonly neededAtMaxNodes: number };
  readonly absorbs: boolean;
  /** The first finding: what limits the cluster. */
  readonly limitingFactor?: string;
  readonly findings: readonly Finding[];
}

export interface FailoverPlan {
  readonly lost: string;
  readonly lostClusters: readonly string[];
  readonly survivors: readonly SurvivorVerdict[];
  readonly absorbs: boolean;
}

function surgeOf(spec: DeploymentSpec, replicas: number): number {
  if (spec.strategy?.type === 'Recreate') return 0;
  const surge = spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
  return typeof surge === 'number' ? surge : Math.ceil((Number.parseFloat(surge) / 100) * replicas);
}

/** Which pool a pod template lands in: its mode/agentpool selector, else the user pool (the system pool is tainted). */
function poolOf(template: PodTemplateSpec): PoolMode | 'none' {
  const selector = template.nodeSelector ?? {};
  const mode = selector['kubernetes.azure.com/mode'];
  if (mode === 'system' || mode === 'user') return mode;
  if (mode !== undefined) return 'none';
  return 'user';
}

/** Front Door sends traffic to the origins of the lowest priority number, split by weight. */
function trafficShares(clusters: readonly Cluster[]): Map<string, number> {
  const shares = new Map<string, number>();
  if (clusters.length === 0) return shares;
  const active = Math.min(...clusters.map((c) => c.frontDoor.priority));
  const group = clusters.filter((c) => c.frontDoor.priority === active);
  const total = group.reduce((sum, c) => sum + c.frontDoor.weight, 0);
  for (const c of clusters)
    shares.set(
      c.name,
      c.frontDoor.priority === active ? (total > 0 ? c.frontDoor.weight / total : 1 / group.length) : 0,
    );
  return shares;
}

/**
 * The fix of an HPA maximum short of the need, naming the model field. The HPA maximum is FAILOVER_FACTOR × the
 * workload's replicas, and a cluster that served traffic sizes its need from its own replicas, so more replicas raise
 * the need as much: what lifts it is a larger share of Front Door's weight before the loss (the lowest weight that
 * does, searched within the schema's 1–1000), else less weight in the lost region. A standby cluster (no traffic
 * before) takes its sizing from the others: there more replicas do help.
 */
function hpaMaximumFix(
  fleet: Readonly<Fleet>,
  lostRegion: string,
  survivor: { readonly region: string; readonly cluster: Cluster },
  normal: number,
  hpa: { readonly min: number; readonly max: number },
  needed: number,
): string {
  const at = clusterPath(fleet, survivor.region, survivor.cluster);
  const all = clustersOf(fleet.spec).map((c) => c.cluster);
  const lostWeights = clustersOf(fleet.spec)
    .filter((c) => c.region === lostRegion)
    .map((c) => `${clusterPath(fleet, c.region, c.cluster)}.frontDoor.weight`);
  const lowerLost = `lower ${lostWeights.join(', ')}`;
  if ((trafficShares(all).get(survivor.cluster.name) ?? 0) === 0) {
    const replicas = Math.ceil(needed / FAILOVER_FACTOR);
    return (
      `raise ${at}.workload.replicas (else the fleet-wide workload.replicas) to at least ${replicas}: ` +
      `the HPA maximum is ${FAILOVER_FACTOR} × the replicas`
    );
  }
  const withWeight = (weight: number) => (c: Cluster) =>
    c === survivor.cluster ? { ...c, frontDoor: { ...c.frontDoor, weight } } : c;
  for (let weight = survivor.cluster.frontDoor.weight + 1; weight <= 1000; weight++) {
    const before = trafficShares(all.map(withWeight(weight))).get(survivor.cluster.name)!;
    const after = trafficShares(
      clustersOf(fleet.spec)
        .filter((c) => c.region !== lostRegion)
        .map((c) => withWeight(weight)(c.cluster)),
    ).get(survivor.cluster.name)!;
    if (Math.max(normal, Math.ceil((normal / before) * after - 1e-9)) <= hpa.max)
      return (
        `raise ${at}.frontDoor.weight to at least ${weight}, or ${lowerLost}; more replicas would not help, the need ` +
        `grows with them (HPA maximum = ${FAILOVER_FACTOR} × replicas)`
      );
  }
  return `${lowerLost}: the surviving clusters must carry at least 1/${FAILOVER_FACTOR} of the traffic before the loss`;
}

/** `regions.<region>.clusters[<i>]`: where a cluster is in the model, as the model's errors name it. */
function clusterPath(fleet: Readonly<Fleet>, region: string, cluster: Cluster): string {
  return `regions.${region}.clusters[${fleet.spec.regions[region]?.clusters.indexOf(cluster) ?? -1}]`;
}

/** One Deployment of a cluster as the plan reads it: everything that does not depend on the lost region. */
export interface DeploymentAtPeak {
  /** `namespace/name`. */
  readonly id: string;
  readonly nodeSelector?: Record<string, string>;
  readonly hpa?: { readonly min: number; readonly max: number };
  /** Replicas in normal operation (HPA minimum, or the Deployment's replicas). */
  readonly normal: number;
  /** Replicas at peak (HPA maximum, else replicas) and the extra pods of a rolling update. */
  readonly peak: number;
  readonly surge: number;
  readonly pool: PoolMode | 'none';
  /** Required anti-affinity on the hostname: one pod per node. */
  readonly onePerNode: boolean;
  /** Per pod. */
  readonly requests: { readonly cpuMillicores: number; readonly memoryMiB: number };
  /** Per pod. */
  readonly limits: { readonly cpuMillicores: number; readonly memoryMiB: number };
}

/** A ResourceQuota of a cluster as the plan reads it: the hard limits it checks, parsed. */
export interface QuotaLimits {
  readonly namespace: string;
  readonly name?: string;
  /** resource (of QUOTA_RESOURCES) → hard limit in the plan's unit (millicores, MiB, pods). */
  readonly hard: ReadonlyMap<string, number>;
}

/** What the plan reads of one cluster's synthesized objects: its Deployments (with their HPA) and ResourceQuotas. */
export interface ClusterWorkloads {
  readonly deployments: readonly DeploymentAtPeak[];
  readonly quotas: readonly QuotaLimits[];
}

/** The quota resources the plan checks, in its report's order, each with its parser. */
const QUOTA_RESOURCES: ReadonlyArray<readonly [string, (value: string) => number]> = [
  ['pods', Number],
  ['requests.cpu', cpuMillicores],
  ['requests.memory', memoryMiB],
  ['limits.cpu', cpuMillicores],
  ['limits.memory', memoryMiB],
];

/** Reads one cluster's Deployments (each with the HPA that scales it) and ResourceQuotas from its objects. */
export function readClusterWorkloads(objects: readonly ManifestObject[]): ClusterWorkloads {
  const deployments = new Map<string, { spec: DeploymentSpec; hpa?: { min: number; max: number } }>();
  const id = (o: ManifestObject, name = o.metadata?.name): string => `${o.metadata?.namespace ?? 'default'}/${name}`;
  for (const o of objects)
    if (o.kind === 'Deployment') deployments.set(id(o), { spec: (o.spec ?? {}) as DeploymentSpec });
  for (const o of objects) {
    if (o.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = (o.spec ?? {}) as {
      minReplicas?: number;
      maxReplicas?: number;
      scaleTargetRef?: { kind?: string; name?: string };
    };
    const target = deployments.get(id(o, spec.scaleTargetRef?.name));
    if (target && spec.scaleTargetRef?.kind === 'Deployment')
      target.hpa = { min: spec.minReplicas ?? 1, max: spec.maxReplicas ?? 1 };
  }
  return {
    deployments: [...deployments].map(([deploymentId, { spec, hpa }]): DeploymentAtPeak => {
      const template = spec.template?.spec ?? {};
      const normal = hpa?.min ?? spec.replicas ?? 1;
      const peak = hpa ? hpa.max : normal;
      const labels = spec.template?.metadata?.labels ?? {};
      const onePerNode = (
        template.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
      ).some(
        (t) =>
          t.topologyKey === 'kubernetes.io/hostname' &&
          Object.entries(t.labelSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v),
      );
      return {
        id: deploymentId,
        ...(template.nodeSelector ? { nodeSelector: template.nodeSelector } : {}),
        ...(hpa ? { hpa } : {}),
        normal,
        peak,
        surge: surgeOf(spec, peak),
        pool: poolOf(template),
        onePerNode,
        requests: podRequests(template),
        limits: podLimits(template),
      };
    }),
    quotas: objects
      .filter((o) => o.kind === 'ResourceQuota')
      .map((q): QuotaLimits => {
        const hard = ((q.spec ?? {}) as { hard?: Record<string, string> }).hard ?? {};
        return {
          namespace: q.metadata?.namespace ?? 'default',
          ...(q.metadata?.name !== undefined ? { name: q.metadata.name } : {}),
          hard: new Map(
            QUOTA_RESOURCES.filter(([resource]) => hard[resource] !== undefined).map(([resource, parse]) => [
              resource,
              parse(hard[resource]!),
            ]),
          ),
        };
      }),
  };
}

/**
 * Each cluster's workloads, read from its objects on first use and kept: the plans for the loss of every region
 * (deploy/failover-absorbs of `fleet validate`) read each cluster once when they share one. The caller owns it: one
 * per tree read, dropped with it.
 */
export class FailoverWorkloads {
  readonly #objectsOf: (cluster: string) => readonly ManifestObject[];
  readonly #read = new Map<string, ClusterWorkloads>();

  /** `objectsOf(cluster)` returns the cluster's synthesized objects. */
  constructor(objectsOf: (cluster: string) => readonly ManifestObject[]) {
    this.#objectsOf = objectsOf;
  }

  of(cluster: string): ClusterWorkloads {
    let workloads = this.#read.get(cluster);
    if (!workloads) this.#read.set(cluster, (workloads = readClusterWorkloads(this.#objectsOf(cluster))));
    return workloads;
  }
}

function podRequests(template: PodTemplateSpec): { cpuMillicores: number; memoryMiB: number } {
  const containers = template.containers ?? [];
  return {
    cpuMillicores: containers.reduce((sum, c) => sum + cpuMillicores(c.resources?.requests?.cpu), 0),
    memoryMiB: containers.reduce((sum, c) => sum + memoryMiB(c.resources?.requests?.memory), 0),
  };
}

function podLimits(template: PodTemplateSpec): { cpuMillicores: number; memoryMiB: number } {
  const containers = template.containers ?? [];
  return {
    cpuMillicores: containers.reduce((sum, c) => sum + cpuMillicores(c.resources?.limits?.cpu), 0),
    memoryMiB: containers.reduce((sum, c) => sum + memoryMiB(c.resources?.limits?.memory), 0),
  };
}

/** A quota quantity with its unit, as the plan counts it: `450m` CPU, `1152Mi` memory, `12` pods. */
export function quotaQuantity(resource: string, value: number): string {
  const unit = resource.endsWith('.cpu') ? 'm' : resource.endsWith('.memory') ? 'Mi' : '';
  return `${Math.ceil(value)}${unit}`;
}

export class UnknownRegionError extends Error {}

/**
 * The plan for losing `region`. `workloads` reads each cluster's synthesized objects: a FailoverWorkloads shared by
 * the plans of several regions reads each cluster once; a function `objectsOf(cluster)` returning the cluster's
 * objects is read for this plan only. Throws UnknownRegionError for a region with no cluster of the fleet.
 */
export function planFailover(
  fleet: Readonly<Fleet>,
  region: string,
  workloads: FailoverWorkloads | ((cluster: string) => readonly ManifestObject[]),
): FailoverPlan {
  const all = clustersOf(fleet.spec);
  const lost = all.filter((c) => c.region === region);
  if (lost.length === 0) {
    throw new UnknownRegionError(
      `--lose: "${region}" is not a region of the fleet; expected one of ${[...new Set(all.map((c) => c.region))].join(', ')}`,
    );
  }
  const survivors = all.filter((c) => c.region !== region);
  const before = trafficShares(all.map((c) => c.cluster));
  const after = trafficShares(survivors.map((c) => c.cluster));
  const source = workloads instanceof FailoverWorkloads ? workloads : new FailoverWorkloads(workloads);

  // Replicas each Deployment needs for all of the traffic, as sized where Front Door sent traffic before: normal
  // replicas ÷ that cluster's share. A cluster that served traffic scales its own sizing; a standby one the leanest.
  const fullTraffic = new Map<string, Map<string, number>>();
  for (const { cluster } of all) {
    const share = before.get(cluster.name) ?? 0;
    if (share === 0) continue;
    for (const d of source.of(cluster.name).deployments) {
      const perCluster = fullTraffic.get(d.id) ?? new Map<string, number>();
      perCluster.set(cluster.name, d.normal / share);
      fullTraffic.set(d.id, perCluster);
    }
  }
  const replicasForAllTraffic = (id: string, cluster: string, normal: number): number => {
    const sizing = fullTraffic.get(id);
    return sizing?.get(cluster) ?? (sizing && sizing.size > 0 ? Math.min(...sizing.values()) : normal);
  };

  const verdicts = survivors.map(({ region: survivorRegion, cluster }): SurvivorVerdict => {
    const findings: Finding[] = [];
    const at = clusterPath(fleet, survivorRegion, cluster);
    const share = after.get(cluster.name) ?? 0;
    const { deployments, quotas } = source.of(cluster.name);
    const atPeak: WorkloadAtPeak[] = [];
    const limitsOf = new Map(deployments.map((d) => [d.id, d.limits]));
    for (const { id, nodeSelector, hpa, normal, peak, surge, pool, onePerNode, requests } of deployments) {
      const needed = hpa
        ? Math.max(normal, Math.ceil(replicasForAllTraffic(id, cluster.name, normal) * share - 1e-9))
        : normal;
      atPeak.push({
        deployment: id,
        pool,
        normal,
        needed,
        ...(hpa ? { hpaMax: hpa.max } : {}),
        peak,
        surge,
        onePerNode,
        requests,
      });
      if (hpa && needed > hpa.max) {
        findings.push({
          factor: `HPA maximum of ${id}`,
          detail: `${needed} replicas needed for a ${(share * 100).toFixed(0)} % traffic share, the HPA stops at ${hpa.max}`,
          fix: hpaMaximumFix(fleet, region, { region: survivorRegion, cluster }, normal, hpa, needed),
        });
      }
      if (pool === 'none') {
        findings.push({
          factor: `node selector of ${id}`,
          detail: `nodeSelector ${JSON.stringify(nodeSelector)} matches no AKS node pool label`,
          fix: `select kubernetes.azure.com/mode: user (or system) in the pod template of ${id}`,
        });
      }
    }

    const pools: PoolAtPeak[] = (['system', 'user'] as const).map((mode) => {
      const pool = cluster.nodePools[mode];
      const sizing = nodeCapacity(pool.vmSize, AKS_NODE_MAX_PODS);
      const mine = atPeak.filter((w) => w.pool === mode);
      const pods = mine.reduce((sum, w) => sum + w.peak + w.surge, 0);
      const cpu = mine.reduce((sum, w) => sum + (w.peak + w.surge) * w.requests.cpuMillicores, 0);
      const memory = mine.reduce((sum, w) => sum + (w.peak + w.surge) * w.requests.memoryMiB, 0);
      const where = `nodePools.${mode}`;
      if (!sizing) {
        findings.push({
          factor: `${where}.vmSize`,
          detail: `${pool.vmSize} is not in the VM size table`,
          fix: `set ${at}.${where}.vmSize to a size listed in libs/fleet/src/capacity/vm-sizes.ts; or — if it is a real Azure size the table lacks — add it (vCPUs, memory) to that table in your fork`,
        });
        return {
          pool: mode,
          vmSize: pool.vmSize,
          maxCount: pool.maxCount,
          pods,
          cpuMillicores: cpu,
          memoryMiB: memory,
        };
      }
      const a = sizing.allocatable;
      for (const w of mine.filter((x) => x.onePerNode && x.peak + x.surge > pool.maxCount)) {
        findings.push({
          factor: `${where}.maxCount`,
          detail: `${w.deployment} needs ${w.peak + w.surge} nodes at peak (${w.peak} replicas + ${w.surge} surge, one pod per node), the pool stops at ${pool.maxCount}`,
          fix: `raise ${at}.${where}.maxCount to ${w.peak + w.surge}, or lower the replicas / maxSurge of ${w.deployment}`,
        });
      }
      const capacityChecks: Array<[string, number, number, string]> = [
        ['CPU requests', cpu, pool.maxCount * a.cpuMillicores, 'm'],
        ['memory requests', memory, pool.maxCount * a.memoryMiB, 'Mi'],
        ['pods', pods, pool.maxCount * a.pods, ''],
      ];
      for (const [what, need, have, unit] of capacityChecks) {
        if (need <= have) continue;
        const perNode = have / pool.maxCount;
        findings.push({
          factor: `${where}.maxCount`,
          detail: `${what} at peak ${Math.ceil(need)}${unit} > ${pool.maxCount} × ${perNode}${unit} allocatable (${pool.vmSize})`,
          fix: `raise ${at}.${where}.maxCount to ${Math.ceil(need / perNode)}, or a larger ${at}.${where}.vmSize`,
        });
      }
      for (const w of mine.filter(
        (x) => x.requests.cpuMillicores > a.cpuMillicores || x.requests.memoryMiB > a.memoryMiB,
      )) {
        findings.push({
          factor: `${where}.vmSize`,
          detail: `one pod of ${w.deployment} requests more than a ${pool.vmSize} node offers`,
          fix: `a larger ${at}.${where}.vmSize`,
        });
      }
      return {
        pool: mode,
        vmSize: pool.vmSize,
        maxCount: pool.maxCount,
        allocatablePerNode: a,
        pods,
        cpuMillicores: cpu,
        memoryMiB: memory,
      };
    });

    const quotaReports: QuotaAtPeak[] = quotas.map(({ namespace, name, hard }) => {
      const inNamespace = atPeak.filter((w) => w.deployment.startsWith(`${namespace}/`));
      const sum = (f: (w: WorkloadAtPeak) => number): number =>
        inNamespace.reduce((s, w) => s + (w.peak + w.surge) * f(w), 0);
      const needed: Record<string, number> = {
        pods: sum(() => 1),
        'requests.cpu': sum((w) => w.requests.cpuMillicores),
        'requests.memory': sum((w) => w.requests.memoryMiB),
        'limits.cpu': sum((w) => limitsOf.get(w.deployment)!.cpuMillicores),
        'limits.memory': sum((w) => limitsOf.get(w.deployment)!.memoryMiB),
      };
      const usage: Record<string, readonly [number, number]> = {};
      for (const [resource, need] of Object.entries(needed)) {
        const limit = hard.get(resource);
        if (limit === undefined) continue;
        usage[resource] = [need, limit];
        if (need > limit) {
          findings.push({
            factor: `ResourceQuota ${namespace}/${name} ${resource}`,
            detail: `${quotaQuantity(resource, need)} needed at peak (during a rolling update), quota ${quotaQuantity(resource, limit)}`,
            fix:
              `the quota is synthesized from workload.replicas (× ${FAILOVER_FACTOR}), the canary's replicas and ` +
              `workload.resources: re-run \`fleet synth\` if the manifests were edited, else lower ${at}.workload.replicas`,
          });
        }
      }
      return { namespace, name: name ?? '', usage };
    });

    const prefix = Number(cluster.spoke.subnets.nodes.split('/')[1]);
    const usable = azureSubnetUsableAddresses(prefix);
    const neededAddresses = azureCniAddresses(cluster.nodePools.system.maxCount + cluster.nodePools.user.maxCount);
    if (neededAddresses > usable) {
      findings.push({
        factor: 'spoke.subnets.nodes',
        detail: `${neededAddresses} addresses at max nodes under Azure CNI (nodes × (${AKS_NODE_MAX_PODS} + 1)), the subnet ${cluster.spoke.subnets.nodes} has ${usable}`,
        fix: `a larger ${at}.spoke.subnets.nodes, or lower ${at}.nodePools.system.maxCount / nodePools.user.maxCount`,
      });
    }
    return {
      cluster: cluster.name,
      region: survivorRegion,
      frontDoor: { priority: cluster.frontDoor.priority, weight: cluster.frontDoor.weight, trafficShare: share },
      workloads: atPeak,
      pools,
      quotas: quotaReports,
      subnet: { cidr: cluster.spoke.subnets.nodes, usable, neededAtMaxNodes: neededAddresses },
      absorbs: findings.length === 0,
      ...(findings[0] ? { limitingFactor: findings[0].factor } : {}),
      findings,
    };
  });
  return {
    lost: region,
    lostClusters: lost.map((c) => c.cluster.name),
    survivors: verdicts,
    absorbs: verdicts.length > 0 && verdicts.every((v) => v.absorbs),
  };
}
