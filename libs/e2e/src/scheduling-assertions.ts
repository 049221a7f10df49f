/**
 * What the scheduler, the controllers and kwok made of a region's workloads, read back from its API server:
 * every Deployment Available, every pod scheduled (else the pod and the scheduler's reason) and Ready, required
 * anti-affinity on the hostname really giving distinct nodes, zone spread within its maxSkew, each PDB's allowed
 * disruptions as its spec implies, and a canary's share of a Service's ready endpoints (EndpointSlices).
 */
import type { KubeClient, KubeObject } from './kube-client.ts';

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
}

interface PodSpec {
  readonly nodeName?: string;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: readonly { key?: string; operator?: string; value?: string; effect?: string }[];
  readonly affinity?: {
    podAntiAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: readonly {
        labelSelector?: LabelSelector;
        topologyKey: string;
      }[];
    };
  };
  readonly topologySpreadConstraints?: readonly {
    maxSkew: number;
    topologyKey: string;
    whenUnsatisfiable?: string;
    labelSelector?: LabelSelector;
  }[];
}

type Pod = KubeObject & { spec: PodSpec; status?: { phase?: string; conditions?: Condition[] } };
type Deployment = KubeObject & {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
};
type NodeObject = KubeObject & {
  spec?: { taints?: readonly { key: string; value?: string; effect: string }[]; unschedulable?: boolean };
};
type Pdb = KubeObject & {
  spec: { maxUnavailable?: number | string; minAvailable?: number | string; selector?: LabelSelector };
  status?: {
    expectedPods?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    disruptionsAllowed?: number;
    observedGeneration?: number;
  };
};
type EndpointSlice = KubeObject & {
  endpoints?: readonly { conditions?: { ready?: boolean }; targetRef?: { kind?: string; name?: string } }[];
};

const ZONE_LABEL = 'topology.kubernetes.io/zone';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

async function items<T extends KubeObject>(client: KubeClient, path: string): Promise<T[]> {
  return (await client.request<{ items: T[] }>('GET', path)).body.items;
}

function ownerOf(o: KubeObject, kind: string): string | undefined {
  return (o.metadata.ownerReferences as { kind: string; name: string }[] | undefined)?.find((r) => r.kind === kind)
    ?.name;
}

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function matches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
}

function condition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Nodes a pod template may land on: its nodeSelector matches and it tolerates every NoSchedule/NoExecute taint. */
function eligibleNodes(spec: PodSpec, nodes: readonly NodeObject[]): NodeObject[] {
  return nodes.filter(
    (node) =>
      !node.spec?.unschedulable &&
      matches({ matchLabels: spec.nodeSelector ?? {} }, node.metadata.labels) &&
      (node.spec?.taints ?? [])
        .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
        .every((t) =>
          (spec.tolerations ?? []).some(
            (tol) =>
              (tol.operator === 'Exists' && (!tol.key || tol.key === t.key)) ||
              (tol.key === t.key && (tol.value ?? '') === (t.value ?? '')),
          ),
        ),
  );
}

/** Why a pod is not scheduled: its PodScheduled condition, else its latest FailedScheduling event. */
async function schedulingReason(client: KubeClient, pod: Pod): Promise<string> {
  const scheduled = condition(pod.status?.conditions, 'PodScheduled');
  if (scheduled?.message) return `${scheduled.reason ?? 'Unschedulable'}: ${scheduled.message}`;
  const selector = encodeURIComponent(`involvedObject.kind=Pod,involvedObject.name=${pod.metadata.name}`);
  const events = await items<KubeObject & { reason?: string; message?: string; lastTimestamp?: string }>(
    client,
    `/api/v1/namespaces/${pod.metadata.namespace}/events?fieldSelector=${selector}`,
  );
  const failed = events.filter((e) => e.reason === 'FailedScheduling').at(-1);
  return failed ? `FailedScheduling: ${failed.message ?? ''}` : 'no scheduling decision yet';
}

/** Pods not scheduled (with the scheduler's reason) or not Ready; empty when every pod runs. */
export async function unscheduledPods(client: KubeClient): Promise<string[]> {
  const pods = await items<Pod>(client, '/api/v1/pods');
  const problems: string[] = [];
  for (const pod of pods.filter((p) => !p.metadata.deletionTimestamp)) {
    if (!pod.spec.nodeName)
      problems.push(`pod ${key(pod)} Pending, not scheduled — ${await schedulingReason(client, pod)}`);
    else if (condition(pod.status?.conditions, 'Ready')?.status !== 'True')
      problems.push(`pod ${key(pod)} on ${pod.spec.nodeName} not Ready (phase ${pod.status?.phase ?? '?'})`);
  }
  return problems;
}

/** Replica sets' owning Deployment, to attribute pods to Deployments. */
async function podsByDeployment(client: KubeClient): Promise<Map<string, Pod[]>> {
  const replicaSets = await items<KubeObject>(client, '/apis/apps/v1/replicasets');
  const owner = new Map(replicaSets.map((rs) => [key(rs), ownerOf(rs, 'Deployment')]));
  const result = new Map<string, Pod[]>();
  for (const pod of await items<Pod>(client, '/api/v1/pods')) {
    if (pod.metadata.deletionTimestamp) continue;
    const rs = ownerOf(pod, 'ReplicaSet');
    const deployment = rs ? owner.get(`${pod.metadata.namespace}/${rs}`) : undefined;
    if (!deployment) continue;
    const k = `${pod.metadata.namespace}/${deployment}`;
    result.set(k, [...(result.get(k) ?? []), pod]);
  }
  return result;
}

/** Allowed disruptions a PDB must report for `expected` healthy pods (kube's rounding: percentages round up). */
export function expectedDisruptionsAllowed(spec: Pdb['spec'], expected: number, healthy: number): number {
  const scaled = (value: number | string): number =>
    typeof value === 'number' ? value : Math.ceil((Number.parseFloat(value) / 100) * expected);
  const desiredHealthy =
    spec.maxUnavailable !== undefined
      ? expected - scaled(spec.maxUnavailable)
      : spec.minAvailable !== undefined
        ? scaled(spec.minAvailable)
        : expected;
  return Math.max(0, healthy - Math.max(0, desiredHealthy));
}

export interface CanaryExpectation {
  readonly namespace: string;
  readonly service: string;
  readonly canaryDeployment: string;
  /** canary / (stable + canary) from the model. */
  readonly ratio: number;
}

export interface WorkloadReport {
  readonly problems: string[];
  readonly deployments: number;
  readonly pods: number;
  readonly nodes: number;
  readonly pdbs: string[];
  readonly canaryShare?: number;
}

/**
 * Every check above, for one region. `softSpread: false` skips the zone check of `ScheduleAnyway` constraints
 * (a preference the scheduler may trade away, e.g. after a rolling update at peak); `DoNotSchedule` is always held.
 */
export async function checkWorkloads(
  client: KubeClient,
  { canary, softSpread = true }: { canary?: CanaryExpectation; softSpread?: boolean } = {},
): Promise<WorkloadReport> {
  const problems = await unscheduledPods(client);
  const [deployments, nodes, pdbs, byDeployment] = await Promise.all([
    items<Deployment>(client, '/apis/apps/v1/deployments'),
    items<NodeObject>(client, '/api/v1/nodes'),
    items<Pdb>(client, '/apis/policy/v1/poddisruptionbudgets'),
    podsByDeployment(client),
  ]);
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name, n]));
  // The HPA controller raises its target to minReplicas on its own schedule: until then the Deployment is not settled.
  const hpas = await items<
    KubeObject & { spec: { minReplicas?: number; scaleTargetRef: { kind: string; name: string } } }
  >(client, '/apis/autoscaling/v2/horizontalpodautoscalers');
  for (const hpa of hpas.filter((h) => h.spec.scaleTargetRef.kind === 'Deployment')) {
    const target = deployments.find(
      (d) => d.metadata.namespace === hpa.metadata.namespace && d.metadata.name === hpa.spec.scaleTargetRef.name,
    );
    const min = hpa.spec.minReplicas ?? 1;
    if (target && (target.spec.replicas ?? 1) < min)
      problems.push(
        `Deployment ${key(target)}: ${target.spec.replicas ?? 1} replicas, below its HPA's minReplicas ${min} (not scaled yet)`,
      );
  }
  let podCount = 0;
  for (const deployment of deployments) {
    const id = key(deployment);
    const want = deployment.spec.replicas ?? 1;
    const status = deployment.status ?? {};
    const available = condition(status.conditions, 'Available');
    const failure = condition(status.conditions, 'ReplicaFailure');
    if (available?.status !== 'True' || (status.readyReplicas ?? 0) < want || (status.updatedReplicas ?? 0) < want) {
      problems.push(
        `Deployment ${id} not Available: ${status.readyReplicas ?? 0}/${want} ready, ${status.updatedReplicas ?? 0} updated${failure?.status === 'True' ? `; ReplicaFailure: ${failure.message}` : ''}`,
      );
    }
    const pods = byDeployment.get(id) ?? [];
    podCount += pods.length;
    const placed = pods.filter((p) => p.spec.nodeName);
    const template = deployment.spec.template;
    const ownLabels = template.metadata?.labels;
    const oneByHost = (
      template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
    ).some((t) => t.topologyKey === HOSTNAME_LABEL && matches(t.labelSelector, ownLabels));
    if (oneByHost) {
      const hosts = placed.map((p) => p.spec.nodeName!);
      if (new Set(hosts).size !== hosts.length)
        problems.push(
          `Deployment ${id}: required anti-affinity on ${HOSTNAME_LABEL}, but pods share nodes (${hosts.sort().join(', ')})`,
        );
    }
    for (const spread of template.spec.topologySpreadConstraints ?? []) {
      if (spread.topologyKey !== ZONE_LABEL || !matches(spread.labelSelector, ownLabels)) continue;
      if (!softSpread && spread.whenUnsatisfiable === 'ScheduleAnyway') continue;
      const zones = new Set(
        eligibleNodes(template.spec, nodes)
          .map((n) => n.metadata.labels?.[ZONE_LABEL])
          .filter((z): z is string => !!z),
      );
      const counts = new Map([...zones].map((z) => [z, 0]));
      for (const pod of placed) {
        const zone = nodeByName.get(pod.spec.nodeName!)?.metadata.labels?.[ZONE_LABEL];
        if (zone) counts.set(zone, (counts.get(zone) ?? 0) + 1);
      }
      const values = [...counts.values()];
      const skew = values.length > 0 ? Math.max(...values) - Math.min(...values) : 0;
      if (skew > spread.maxSkew)
        problems.push(
          `Deployment ${id}: zone skew ${skew} > maxSkew ${spread.maxSkew} (${[...counts].map(([z, n]) => `${z}=${n}`).join(', ')})`,
        );
    }
  }
  const pdbNotes: string[] = [];
  for (const pdb of pdbs) {
    const s = pdb.status ?? {};
    const expected = expectedDisruptionsAllowed(pdb.spec, s.expectedPods ?? 0, s.currentHealthy ?? 0);
    if (s.observedGeneration !== pdb.metadata.generation)
      problems.push(
        `PDB ${key(pdb)}: not observed by the disruption controller (generation ${pdb.metadata.generation}, observed ${s.observedGeneration ?? 'none'})`,
      );
    else if ((s.expectedPods ?? 0) === 0) problems.push(`PDB ${key(pdb)}: selects no pods`);
    else if (s.disruptionsAllowed !== expected || expected < 1)
      problems.push(
        `PDB ${key(pdb)}: ${s.disruptionsAllowed} disruptions allowed, expected ${expected} (≥ 1, else node drains block) for ${s.currentHealthy}/${s.expectedPods} healthy`,
      );
    pdbNotes.push(`${pdb.metadata.name} ${s.disruptionsAllowed ?? 0}/${s.expectedPods ?? 0}`);
  }
  let canaryShare: number | undefined;
  if (canary) {
    const slices = await items<EndpointSlice>(
      client,
      `/apis/discovery.k8s.io/v1/namespaces/${canary.namespace}/endpointslices?labelSelector=${encodeURIComponent(`${SERVICE_NAME_LABEL}=${canary.service}`)}`,
    );
    const canaryPods = new Set(
      (byDeployment.get(`${canary.namespace}/${canary.canaryDeployment}`) ?? []).map((p) => p.metadata.name),
    );
    const ready = slices
      .flatMap((s) => s.endpoints ?? [])
      .filter((e) => e.conditions?.ready === true && e.targetRef?.kind === 'Pod');
    const fromCanary = ready.filter((e) => canaryPods.has(e.targetRef!.name!)).length;
    canaryShare = ready.length > 0 ? fromCanary / ready.length : 0;
    if (Math.abs(canaryShare - canary.ratio) > 1e-9) {
      problems.push(
        `Service ${canary.namespace}/${canary.service}: canary share of ready endpoints ${fromCanary}/${ready.length} = ${canaryShare.toFixed(3)}, model ratio ${canary.ratio.toFixed(3)}`,
      );
    }
  }
  const usedNodes = new Set(
    [...byDeployment.values()]
      .flat()
      .map((p) => p.spec.nodeName)
      .filter(Boolean),
  );
  return {
    problems,
    deployments: deployments.length,
    pods: podCount,
    nodes: usedNodes.size,
    pdbs: pdbNotes,
    ...(canaryShare !== undefined ? { canaryShare } : {}),
  };
}
