/**
 * The whole e2e world for one fleet: a control plane per region (one cluster per region), the loopback git server
 * with the test repository, and the bootstrap each region gets. Everything it starts lives under one temp dir and
 * in one process supervisor, and `stop()` removes all of it — also after a failed start, and bounded in time.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clustersOf, type Cluster, type Fleet, type FleetSpec } from '@aks-fleet/fleet';
import { HARNESS_FIELD_MANAGER, RegionControlPlane } from './control-plane.ts';
import { readDesiredState, readEntrypoint, type DesiredState } from './desired-state.ts';
import { startGitServer, type GitServer } from './git-server.ts';
import type { KubeClient } from './kube-client.ts';
import { MemorySampler, type MemoryPeak } from './memory.ts';
import { NodeAutoscaler } from './node-autoscaler.ts';
import { minimumCounts, subnetPlan, waitNodesReady } from './nodes.ts';
import { ProcessSupervisor } from './processes.ts';
import { synthesize } from './synth-cli.ts';
import { TestRepository, type Commit, type CommitOptions } from './test-repository.ts';
import { writeFleetFile } from './test-fleet.ts';
import { locateTools, REPO_ROOT, type E2ETools } from './tools.ts';
import { sleep } from './wait.ts';
import { waveBootstrapObjects } from './wave-bootstrap.ts';

/** Where runs leave results and logs (git-ignored). */
export const E2E_STATE_DIR = process.env.E2E_STATE_DIR ?? path.join(REPO_ROOT, '.cache/e2e');

/**
 * This run's registry of started processes (`pids`) and temp dirs (`run-dirs`), named after the process that owns
 * the run (scripts/test-e2e.mjs sets it): whatever a crashed run leaves there is ended by the next runner.
 */
const REGISTRY_DIR = process.env.E2E_REGISTRY_DIR ?? path.join(E2E_STATE_DIR, 'runs', String(process.pid));

const REPOSITORY_NAME = 'aks-fleet.git';

export interface RegionHandle {
  readonly region: string;
  readonly cluster: string;
  /** The cluster in the fleet model the environment was started with (node pools, subnets). */
  readonly model: Cluster;
  readonly controlPlane: RegionControlPlane;
  readonly client: KubeClient;
  /** The harness standing in for the cluster autoscaler (node-autoscaler.ts). */
  readonly autoscaler: NodeAutoscaler;
  /** Seconds the first start took. */
  readonly startSeconds: number;
}

export class FleetEnvironment {
  private commits = 0;
  /** The fleet file and synthesized root of the latest commit (what `fleet failover` reads). */
  private latest: { fleetFile: string; root: string } | undefined;
  private readonly regionList: RegionHandle[] = [];
  private git: GitServer | undefined;
  private stopped = false;

  private constructor(
    readonly runDir: string,
    readonly tools: E2ETools,
    readonly repository: TestRepository,
    private readonly supervisor: ProcessSupervisor,
    private readonly memory: MemorySampler,
    /** The fleet the environment was started for: each cluster follows the branch of its rollout wave. */
    readonly spec: FleetSpec,
  ) {}

  get regions(): readonly RegionHandle[] {
    return this.regionList;
  }

  get gitServer(): GitServer {
    if (!this.git) throw new Error('git server not started');
    return this.git;
  }

  /** Starts the git server and one control plane per cluster of `fleet` (one after another: each costs CPU). */
  static async start(
    fleet: Readonly<Fleet>,
    { log = (_line: string) => undefined }: { log?: (line: string) => void } = {},
  ): Promise<FleetEnvironment> {
    const tools = await locateTools();
    mkdirSync(REGISTRY_DIR, { recursive: true });
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'aks-fleet-e2e-'));
    appendFileSync(path.join(REGISTRY_DIR, 'run-dirs'), `${runDir}\n`);
    const supervisor = new ProcessSupervisor(path.join(REGISTRY_DIR, 'pids'));
    const memory = new MemorySampler(supervisor);
    const repository = new TestRepository(path.join(runDir, 'git'), REPOSITORY_NAME, fleet.spec.gitSource.branch);
    const environment = new FleetEnvironment(runDir, tools, repository, supervisor, memory, fleet.spec);
    try {
      memory.start();
      await repository.init();
      environment.git = await startGitServer(path.join(runDir, 'git'));
      log(`git server: ${environment.git.url(REPOSITORY_NAME)}`);
      for (const { region, cluster } of clustersOf(fleet.spec)) {
        const podCidr = subnetPlan(cluster.spoke.subnets.nodes).podCidr;
        const controlPlane = await RegionControlPlane.create({
          region,
          dir: path.join(runDir, 'regions', region),
          tools,
          supervisor,
          podCidr,
        });
        const { seconds } = await controlPlane.start();
        // AKS creates each pool with minCount nodes; kwok makes them Ready.
        const autoscaler = new NodeAutoscaler(controlPlane.client, region, cluster, minimumCounts(cluster), log);
        await autoscaler.scaleTo(minimumCounts(cluster));
        const nodes = await waitNodesReady(controlPlane.client);
        autoscaler.start();
        environment.regionList.push({
          region,
          cluster: cluster.name,
          model: cluster,
          controlPlane,
          client: controlPlane.client,
          autoscaler,
          startSeconds: seconds,
        });
        log(
          `region ${region} (${cluster.name}): control plane up in ${seconds.toFixed(1)} s at ${controlPlane.apiServerUrl}; ${nodes} nodes Ready`,
        );
      }
      return environment;
    } catch (error) {
      await environment.stop();
      throw error;
    }
  }

  /** Writes `fleet` to a fleet file, synthesizes it with the CLI and commits the result to the test repository. */
  /**
   * Synthesizes `fleet` and commits the tree. `editSynthesized` edits the synthesized tree before the commit — a
   * hand edit of the manifests, which every reader of the tree (the commit, `fleet failover`) then sees.
   */
  async commitModel(
    fleet: Readonly<Fleet>,
    message: string,
    options: CommitOptions & { readonly editSynthesized?: (root: string) => void } = {},
  ): Promise<Commit> {
    const n = ++this.commits;
    const fleetFile = path.join(this.runDir, 'models', `${String(n).padStart(2, '0')}.fleet.yaml`);
    mkdirSync(path.dirname(fleetFile), { recursive: true });
    writeFleetFile(fleet, fleetFile);
    const synthRoot = path.join(this.runDir, 'synth');
    await synthesize(fleetFile, synthRoot);
    options.editSynthesized?.(synthRoot);
    this.latest = { fleetFile, root: synthRoot };
    return this.repository.commitSynthesized(synthRoot, message, options);
  }

  get latestSynthesis(): { fleetFile: string; root: string } {
    if (!this.latest) throw new Error('nothing committed yet');
    return this.latest;
  }

  /** What each cluster should hold at the work tree's current commit. */
  async desiredState(cluster: string): Promise<DesiredState> {
    return readDesiredState(this.tools.bin('kustomize'), this.repository.workTree, cluster);
  }

  /** The entrypoint objects (layer Kustomizations) at the work tree's current commit. */
  async entrypoint(cluster: string): Promise<Awaited<ReturnType<typeof readEntrypoint>>> {
    return readEntrypoint(this.tools.bin('kustomize'), this.repository.workTree, cluster);
  }

  /**
   * Creates what the AKS Flux extension creates in the region: the credentials Secret (from the deploy-time
   * credential, not from git), GitRepository (its wave's branch) + root Kustomization with the deploy-time values.
   */
  async bootstrap(region: RegionHandle): Promise<void> {
    const url = this.gitServer.url(REPOSITORY_NAME);
    const { credentialsSecret, gitRepository, rootKustomization } = waveBootstrapObjects(
      this.spec,
      region.cluster,
      url,
      this.gitServer.credentials,
    );
    await region.client.apply(credentialsSecret, { fieldManager: HARNESS_FIELD_MANAGER, force: true });
    await region.client.apply(gitRepository, { fieldManager: HARNESS_FIELD_MANAGER, force: true });
    await region.client.apply(rootKustomization, { fieldManager: HARNESS_FIELD_MANAGER, force: true });
  }

  memoryPeak(): MemoryPeak {
    this.memory.sample();
    return this.memory.peak();
  }

  /**
   * Stops every process (control planes in parallel, each SIGTERM → SIGKILL), the git server, keeps the logs in
   * .cache/e2e/logs and removes the temp dir. Never takes more than about a minute; never throws.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.memory.stop();
    for (const region of this.regionList) region.autoscaler.stop();
    const work = (async () => {
      await Promise.allSettled(this.regionList.map((r) => r.controlPlane.stop()));
      await this.supervisor.stopAll();
      await this.git?.close();
    })();
    await Promise.race([work, sleep(60_000)]);
    this.supervisor.killAllNow();
    this.supervisor.dispose();
    const logs = path.join(E2E_STATE_DIR, 'logs');
    try {
      rmSync(logs, { recursive: true, force: true });
      for (const region of this.regionList)
        cpSync(path.join(region.controlPlane.dir, 'logs'), path.join(logs, region.region), { recursive: true });
    } catch {
      // logs are a convenience
    }
    rmSync(this.runDir, { recursive: true, force: true, maxRetries: 3 });
    // A registry of our own (no runner owns it) is no longer needed once everything is gone.
    if (!process.env.E2E_REGISTRY_DIR && this.supervisor.list().length === 0)
      rmSync(REGISTRY_DIR, { recursive: true, force: true });
  }
}
