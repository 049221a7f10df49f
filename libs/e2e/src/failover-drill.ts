/**
 * The failover drill and its static counterpart.
 *
 * Drill, in one surviving region: no metrics server and no cluster autoscaler run here, so the harness does their
 * job explicitly (and says so): every node pool goes to `maxCount` nodes, every autoscaled Deployment to its HPA's
 * maximum; then every Deployment gets a rolling update at that peak. Pass = every rollout completes with every pod
 * scheduled and Ready and no pod refused by a ResourceQuota; a pod that stays unschedulable with the pools at
 * maxCount is a stall, reported with the scheduler's reason.
 *
 * Static: `fleet failover --lose <region> --json` on the same fleet file and synthesized tree.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FAILOVER_FACTOR, type Cluster, type Fleet } from '@aks-fleet/fleet';
import type { RegionHandle } from './fleet-environment.ts';
import type { KubeObject } from './kube-client.ts';
import { maximumCounts, waitNodesReady } from './nodes.ts';
import { checkWorkloads, unscheduledPods } from './scheduling-assertions.ts';
import { FLEET_CLI } from './synth-cli.ts';
import { REPO_ROOT } from './tools.ts';
import { sleep, secondsSince } from './wait.ts';

const execFileAsync = promisify(execFile);

/** Field manager of the drill's own writes (scale, restart annotation). */
const DRILL_FIELD_MANAGER = 'aks-fleet-e2e-drill';
/** The annotation a restart puts on the pod template (what `kubectl rollout restart` does under its own name). */
const RESTART_ANNOTATION = 'aks-fleet.io/e2e-drill-restart';
/** An unschedulable pod with every pool at maxCount for this long is a stalled rollout. */
const STALL_MS = 20_000;
const DRILL_TIMEOUT_MS = 120_000;

/** The rolling update surge of the synthesized Deployments (maxSurge 1): one extra pod per Deployment at peak. */
const ROLLOUT_SURGE = 1;

type Deployment = KubeObject & {
  spec: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
  };
};

export interface DrillOutcome {
  readonly passed: boolean;
  readonly seconds: number;
  /** What the harness did in place of the autoscalers. */
  readonly actions: readonly string[];
  readonly problems: readonly string[];
  readonly summary: string;
}

export interface StaticVerdict {
  readonly cluster: string;
  readonly absorbs: boolean;
  readonly limitingFactor?: string;
  readonly findings: readonly { factor: string; detail: string; fix: string }[];
}

/** Runs `fleet failover --lose <region> --json` (exit 1 = some survivor cannot absorb) and returns its verdicts. */
export async function failoverVerdicts(
  fleetFile: string,
  root: string,
  lose: string,
): Promise<{ exitCode: number; survivors: StaticVerdict[] }> {
  const args = [FLEET_CLI, 'failover', '--lose', lose, '--json', '--fleet', fleetFile, '--root', root];
  let stdout: string;
  let exitCode = 0;
  try {
    ({ stdout } = await execFileAsync(process.execPath, args, {
      cwd: REPO_ROOT,
      timeout: 60_000,
      maxBuffer: 8 * 1024 * 1024,
    }));
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string; message: string };
    if (failed.code !== 1 || !failed.stdout)
      throw new Error(`fleet failover --lose ${lose} failed: ${failed.message.split('\n')[0]}\n${failed.stderr ?? ''}`);
    exitCode = 1;
    stdout = failed.stdout;
  }
  const plan = JSON.parse(stdout) as { survivors: StaticVerdict[] };
  return { exitCode, survivors: plan.survivors };
}

/**
 * A defect the model cannot see: the workload's HorizontalPodAutoscaler raised by hand, one replica past what the
 * user pool holds at `maxCount` with the rollout surge (the model itself refuses a pool that stops short of the
 * failover replicas + surge, so the drill's "does not fit" case is an edit of the synthesized tree).
 */
export function raiseHpaMaxByHand(root: string): void {
  const manifests = path.join(root, 'manifests');
  for (const cluster of readdirSync(manifests)) {
    const folder = path.join(manifests, cluster, 'workload');
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((f) => f.startsWith('horizontalpodautoscaler-'))) {
      const target = path.join(folder, file);
      const text = readFileSync(target, 'utf8');
      const edited = text.replace(
        /^(\s*maxReplicas: )(\d+)$/m,
        (_, key: string, n: string) => `${key}${Number(n) + 1}`,
      );
      if (edited === text) throw new Error(`no maxReplicas in ${target}`);
      writeFileSync(target, edited);
    }
  }
}

/** A fleet whose user pools hold the failover replicas plus the rollout surge. */
export function roomyFleet(base: Readonly<Fleet>): Fleet {
  return withUserMaxCount(base, (replicas) => FAILOVER_FACTOR * replicas + ROLLOUT_SURGE);
}

function withUserMaxCount(base: Readonly<Fleet>, maxCount: (replicas: number) => number): Fleet {
  const fleet = structuredClone(base) as Fleet;
  for (const region of Object.values(fleet.spec.regions)) {
    for (const cluster of region.clusters) {
      const replicas = cluster.workload.replicas ?? fleet.spec.workload.replicas;
      cluster.nodePools.user.maxCount = Math.max(maxCount(replicas), cluster.nodePools.user.minCount);
    }
  }
  return fleet;
}

async function list<T extends KubeObject>(region: RegionHandle, path: string): Promise<T[]> {
  return (await region.client.request<{ items: T[] }>('GET', path)).body.items;
}

function rolledOut(d: Deployment): boolean {
  const want = d.spec.replicas ?? 1;
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    s.updatedReplicas === want &&
    s.replicas === want &&
    s.availableReplicas === want &&
    s.readyReplicas === want
  );
}

/** ReplicaSets the controller could not create pods for (ResourceQuota refusals among them). */
async function replicaFailures(region: RegionHandle): Promise<string[]> {
  const sets = await list<
    KubeObject & { status?: { conditions?: { type: string; status: string; message?: string }[] } }
  >(region, '/apis/apps/v1/replicasets');
  return sets.flatMap((rs) =>
    (rs.status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure' && c.status === 'True')
      .map((c) => `ReplicaSet ${rs.metadata.namespace}/${rs.metadata.name}: ${c.message ?? 'ReplicaFailure'}`),
  );
}

/** The drill in one surviving region, with `cluster` (the committed model's) giving the pools' maxCount. */
export async function runDrill(
  region: RegionHandle,
  cluster: Cluster,
  log: (line: string) => void,
): Promise<DrillOutcome> {
  const started = performance.now();
  const actions: string[] = [];
  region.autoscaler.setCluster(cluster);
  const counts = maximumCounts(cluster);
  await region.autoscaler.scaleTo(counts);
  const nodes = await waitNodesReady(region.client, { timeoutMs: 60_000 });
  actions.push(
    `as the cluster autoscaler: pools at maxCount (system ${counts.system}, user ${counts.user}; ${nodes} nodes Ready)`,
  );

  const hpas = await list<
    KubeObject & { spec: { maxReplicas: number; scaleTargetRef: { kind: string; name: string } } }
  >(region, '/apis/autoscaling/v2/horizontalpodautoscalers');
  for (const hpa of hpas.filter((h) => h.spec.scaleTargetRef.kind === 'Deployment')) {
    const path = `/apis/apps/v1/namespaces/${hpa.metadata.namespace}/deployments/${hpa.spec.scaleTargetRef.name}/scale?fieldManager=${DRILL_FIELD_MANAGER}`;
    await region.client.request('PATCH', path, {
      body: { spec: { replicas: hpa.spec.maxReplicas } },
      contentType: 'application/merge-patch+json',
    });
    actions.push(
      `as the HPA: ${hpa.metadata.namespace}/${hpa.spec.scaleTargetRef.name} → ${hpa.spec.maxReplicas} (maxReplicas)`,
    );
  }
  const deployments = await list<Deployment>(region, '/apis/apps/v1/deployments');
  const stamp = new Date().toISOString();
  for (const d of deployments) {
    await region.client.mergePatch(
      { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, namespace: d.metadata.namespace },
      { spec: { template: { metadata: { annotations: { [RESTART_ANNOTATION]: stamp } } } } },
      { fieldManager: DRILL_FIELD_MANAGER },
    );
  }
  actions.push(`rolling update of ${deployments.length} Deployments at peak`);
  for (const action of actions) log(`${region.region}: drill: ${action}`);

  let stuckSince: number | undefined;
  let problems: string[] = [];
  while (performance.now() - started < DRILL_TIMEOUT_MS) {
    const live = await list<Deployment>(region, '/apis/apps/v1/deployments');
    const pods = await unscheduledPods(region.client);
    const failures = await replicaFailures(region);
    const pending = live
      .filter((d) => !rolledOut(d))
      .map(
        (d) =>
          `Deployment ${d.metadata.namespace}/${d.metadata.name} rollout: ${d.status?.updatedReplicas ?? 0} updated, ${d.status?.availableReplicas ?? 0}/${d.spec.replicas ?? 1} available`,
      );
    problems = [...pending, ...pods, ...failures];
    if (pending.length === 0 && pods.length === 0 && failures.length === 0) {
      const report = await checkWorkloads(region.client, { softSpread: false });
      const summary = `${report.deployments} Deployments rolled out at peak: ${report.pods} pods Ready on ${report.nodes} nodes`;
      return {
        passed: report.problems.length === 0,
        seconds: secondsSince(started),
        actions,
        problems: report.problems,
        summary,
      };
    }
    const unschedulable = pods.some((p) => p.includes('not scheduled') && !p.includes('no scheduling decision yet'));
    const atMax =
      region.autoscaler.nodeCounts.user >= counts.user && region.autoscaler.nodeCounts.system >= counts.system;
    if ((unschedulable && atMax) || failures.length > 0) {
      stuckSince ??= performance.now();
      if (performance.now() - stuckSince >= STALL_MS) break;
    } else {
      stuckSince = undefined;
    }
    await sleep(1_000);
  }
  return {
    passed: false,
    seconds: secondsSince(started),
    actions,
    problems,
    summary: `rollout stalled: ${problems[0] ?? 'timeout'}`,
  };
}
