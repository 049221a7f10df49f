/**
 * deploy/peak-fits: for every Deployment, its most replicas (the autoscaler's maximum, else its replicas) plus the
 * rolling update's surge fit the node pool(s) it can land on, at one pod per node under a required hostname
 * anti-affinity on its own pods, else at the pools' pods per node.
 */
import { clustersOf, AKS_NODE_MAX_PODS } from '@aks-fleet/fleet';
import type { SyncRule } from '../../rule.ts';
import { objectRef, type ClusterTree, type TreeObject } from '../../tree.ts';
import { deployFinding } from './finding.ts';

const RULE = 'deploy/peak-fits';
const HOSTNAME = 'kubernetes.io/hostname';
const AKS_MODE = 'kubernetes.azure.com/mode';
const SYSTEM_TAINT = 'CriticalAddonsOnly';

type Labels = Readonly<Record<string, string>>;
interface AntiAffinityTerm {
  readonly topologyKey?: string;
  readonly labelSelector?: { readonly matchLabels?: Labels };
}
type RequiredAntiAffinity = { readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly AntiAffinityTerm[] };
interface PodTemplate {
  readonly metadata?: { readonly labels?: Labels };
  readonly spec?: {
    readonly nodeSelector?: Labels;
    readonly tolerations?: ReadonlyArray<{ readonly key?: string }>;
    readonly affinity?: { readonly podAntiAffinity?: RequiredAntiAffinity };
  };
}
export interface DeploymentStrategy {
  readonly type?: string;
  readonly rollingUpdate?: { readonly maxSurge?: number | string };
}
interface DeploymentSpec {
  readonly replicas?: number;
  readonly strategy?: DeploymentStrategy;
  readonly template?: PodTemplate;
}

/** Extra pods a rolling update starts at `replicas` (Kubernetes rounds a percentage up; default 25%). */
export function surgeAt(replicas: number, strategy: DeploymentStrategy | undefined): number {
  if (strategy?.type === 'Recreate') return 0;
  const surge = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(surge);
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : Number(surge) || 0;
}

/** One pod per node when a required anti-affinity term on the hostname selects the pod's own labels. */
function onePerNode(template: PodTemplate | undefined): boolean {
  const labels = template?.metadata?.labels ?? {};
  const terms = template?.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const selectsOwn = (term: AntiAffinityTerm) =>
    Object.entries(term.labelSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return terms.some((term) => term.topologyKey === HOSTNAME && selectsOwn(term));
}

/** The node pools a pod can land on: its AKS mode selector, else the user pool (the system pool is tainted). */
function poolsOf(template: PodTemplate | undefined): Array<'system' | 'user'> {
  const mode = template?.spec?.nodeSelector?.[AKS_MODE];
  if (mode === 'system' || mode === 'user') return [mode];
  return (template?.spec?.tolerations ?? []).some((t) => t.key === SYSTEM_TAINT) ? ['system', 'user'] : ['user'];
}

function maxReplicasOf(cluster: ClusterTree, deployment: TreeObject): { replicas: number; source: string } {
  const { name, namespace } = deployment.object.metadata;
  const hpa = cluster.objects.find(({ object }) => {
    const target = (object.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
    const sameNamespace = object.metadata.namespace === namespace;
    const targetsIt = target?.kind === 'Deployment' && target.name === name;
    return object.kind === 'HorizontalPodAutoscaler' && sameNamespace && targetsIt;
  });
  const max = (hpa?.object.spec as { maxReplicas?: number } | undefined)?.maxReplicas;
  if (hpa && typeof max === 'number') {
    return { replicas: max, source: `HPA ${hpa.object.metadata.name} maxReplicas ${max}` };
  }
  const replicas = (deployment.object.spec as DeploymentSpec | undefined)?.replicas ?? 1;
  return { replicas, source: `replicas ${replicas}` };
}

export const peakFits: SyncRule = {
  id: RULE,
  rationale:
    'At peak (the autoscaler maximum, e.g. with a failed-over region) a rolling update still needs room for its ' +
    'surge pods; pods that cannot schedule stall the rollout exactly then.',
  check: ({ clusters, fleet }) => {
    if (!fleet) return [];
    const model = new Map(clustersOf(fleet.spec).map((entry) => [entry.cluster.name, entry]));
    return clusters.flatMap((cluster) => {
      const entry = model.get(cluster.name);
      if (!entry) return [];
      const index = fleet.spec.regions[entry.region]!.clusters.indexOf(entry.cluster);
      const nodePools = entry.cluster.nodePools;
      return cluster.objects
        .filter(({ object }) => object.kind === 'Deployment')
        .flatMap((deployment) => {
          const spec = deployment.object.spec as DeploymentSpec | undefined;
          const { replicas, source } = maxReplicasOf(cluster, deployment);
          const surge = surgeAt(replicas, spec?.strategy);
          const peak = replicas + surge;
          const pools = poolsOf(spec?.template);
          const nodes = pools.reduce((sum, pool) => sum + nodePools[pool].maxCount, 0);
          const one = onePerNode(spec?.template);
          if (peak <= nodes * (one ? 1 : AKS_NODE_MAX_PODS)) return [];
          const needed = one ? peak : Math.ceil(peak / AKS_NODE_MAX_PODS);
          const last = pools[pools.length - 1]!;
          const antiAffinity = 'one per node (required anti-affinity on kubernetes.io/hostname)';
          const packing = one ? antiAffinity : `at ${AKS_NODE_MAX_PODS} per node`;
          const allow = `the ${pools.join(' + ')} pool${pools.length > 1 ? 's allow' : ' allows'} ${nodes}`;
          return [
            deployFinding(
              RULE,
              deployment.file,
              objectRef(deployment.object),
              `peak ${peak} pods (${source} + rolling-update surge ${surge}) ${packing} need ${needed} nodes; ${allow}`,
              `raise regions.${entry.region}.clusters[${index}].nodePools.${last}.maxCount to at least ` +
                `${needed - nodes + nodePools[last].maxCount}, or lower the autoscaler maximum or maxSurge`,
            ),
          ];
        });
    });
  },
};
