/**
 * The cluster autoscaler's job, done by the harness (no cluster autoscaler runs here), and said so in the output:
 * when a pod is unschedulable and its node pool is below `maxCount`, add one node to that pool — what AKS's
 * autoscaler does for pods that fit no existing node. It never goes above `maxCount`, so a pool too small stays
 * visible as Pending pods with the scheduler's reason. Scale-down is not simulated.
 */
import type { Cluster } from '@aks-fleet/fleet';
import type { KubeClient, KubeObject } from './kube-client.ts';
import { ensureNodes, type NodeCounts, type PoolMode } from './nodes.ts';

const POLL_MS = 1_000;
/** After adding a node, give the scheduler time to retry the pending pods before adding another. */
const COOLDOWN_MS = 5_000;

type PendingPod = KubeObject & {
  spec: { nodeSelector?: Record<string, string>; tolerations?: { key?: string }[] };
  status?: { conditions?: { type: string; status: string; reason?: string }[] };
};

/** The pool a pending pod asks for: its `kubernetes.azure.com/mode` selector, else the (untainted) user pool. */
function poolFor(pod: PendingPod): PoolMode | undefined {
  const mode = pod.spec.nodeSelector?.['kubernetes.azure.com/mode'];
  if (mode === 'system' || mode === 'user') return mode;
  return mode === undefined ? 'user' : undefined;
}

export class NodeAutoscaler {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly lastScaleUp = new Map<PoolMode, number>();
  readonly scaleUps: string[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly region: string,
    private cluster: Cluster,
    private counts: NodeCounts,
    private readonly log: (line: string) => void,
  ) {}

  /** The model the pools' bounds come from (a commit may change maxCount). */
  setCluster(cluster: Cluster): void {
    this.cluster = cluster;
  }

  get nodeCounts(): NodeCounts {
    return this.counts;
  }

  /** Sets the pools to `counts` nodes (never fewer than already exist): AKS or the drill scaling a pool. */
  async scaleTo(counts: NodeCounts): Promise<string[]> {
    this.counts = {
      system: Math.max(this.counts.system, counts.system),
      user: Math.max(this.counts.user, counts.user),
    };
    return ensureNodes(this.client, this.region, this.cluster, this.counts);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const selector = encodeURIComponent('spec.nodeName=');
      const { body } = await this.client.request<{ items: PendingPod[] }>(
        'GET',
        `/api/v1/pods?fieldSelector=${selector}`,
      );
      const unschedulable = body.items.filter(
        (p) =>
          !p.metadata.deletionTimestamp &&
          p.status?.conditions?.some(
            (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
          ),
      );
      const pools = new Set(unschedulable.map(poolFor).filter((p): p is PoolMode => !!p));
      for (const pool of pools) {
        const max = this.cluster.nodePools[pool].maxCount;
        if (this.counts[pool] >= max || Date.now() - (this.lastScaleUp.get(pool) ?? 0) < COOLDOWN_MS) continue;
        this.lastScaleUp.set(pool, Date.now());
        const next = { ...this.counts, [pool]: this.counts[pool] + 1 };
        const added = await this.scaleTo(next);
        const line = `${this.region}: autoscaler stand-in added ${added.join(', ') || 'no node'} to the ${pool} pool (${next[pool]}/${max}) for unschedulable pods`;
        this.scaleUps.push(line);
        this.log(line);
      }
    } catch {
      // the region may be down (region-loss scenarios): try again on the next tick
    } finally {
      this.busy = false;
    }
  }
}
