/**
 * One regional "cluster" on loopback: etcd, kube-apiserver, kube-controller-manager (all its default controllers:
 * deployments, replica sets, HPA, disruption, endpoint slices, namespaces, garbage collection, node lifecycle…),
 * kube-scheduler, kwok (the kubelet of the simulated nodes: kwok-stages.ts) and the Flux source-controller and
 * kustomize-controller, each on its own free 127.0.0.1 ports, leader election off, all talking to the API server
 * through the region's own kubeconfig. Nodes are registered by the harness (nodes.ts).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import { parseAllDocuments } from 'yaml';
import { KubeClient, refOf, type KubeObject } from './kube-client.ts';
import { KWOK_NODE_ANNOTATION, KWOK_NODE_ANNOTATION_VALUE, kwokConfigYaml } from './kwok-stages.ts';
import { createRegionPki, writeKubeconfig, type RegionPki } from './pki.ts';
import { freePorts } from './ports.ts';
import type { ManagedProcess, ProcessSupervisor } from './processes.ts';
import { COMPONENTS, type Component, type E2ETools } from './tools.ts';
import { pollUntil, secondsSince } from './wait.ts';

const PORT_NAMES = [
  'etcd',
  'etcdPeer',
  'apiserver',
  'controllerManager',
  'scheduler',
  'sourceStorage',
  'sourceMetrics',
  'sourceHealth',
  'kustomizeMetrics',
  'kustomizeHealth',
] as const;
type PortName = (typeof PORT_NAMES)[number];

/** Field manager of everything the harness itself applies (CRDs, bootstrap objects). */
export const HARNESS_FIELD_MANAGER = 'aks-fleet-e2e';

/**
 * How long kustomize-controller waits before re-checking a Kustomization whose `dependsOn` is not Ready yet.
 * Upstream default is 30 s; our four layers are chained, so a region that catches up on its own (no reconcile
 * request, e.g. after a restart) would need up to 3 × 30 s. A controller flag, not a change to any manifest.
 */
export const REQUEUE_DEPENDENCY = '5s';

export interface ControlPlaneOptions {
  readonly region: string;
  readonly dir: string;
  readonly tools: E2ETools;
  readonly supervisor: ProcessSupervisor;
  /** Pod IPs kwok hands out (Azure CNI: a range of the cluster's nodes subnet). */
  readonly podCidr: string;
}

function httpOk(url: string): Promise<boolean> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const request = client.get(url, { rejectUnauthorized: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 300);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

function readYamlObjects(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object' && 'kind' in o);
}

export class RegionControlPlane {
  private readonly processes = new Map<Component, ManagedProcess>();
  private initialized = false;

  private constructor(
    readonly region: string,
    readonly dir: string,
    readonly ports: Readonly<Record<PortName, number>>,
    readonly pki: RegionPki,
    readonly kubeconfig: string,
    readonly client: KubeClient,
    private readonly tools: E2ETools,
    private readonly supervisor: ProcessSupervisor,
    private readonly podCidr: string,
  ) {}

  static async create({ region, dir, tools, supervisor, podCidr }: ControlPlaneOptions): Promise<RegionControlPlane> {
    for (const sub of ['etcd', 'artifacts', 'home', 'tmp', 'logs', 'kcm-certs'])
      mkdirSync(path.join(dir, sub), { recursive: true });
    const ports = await freePorts(PORT_NAMES);
    const pki = await createRegionPki(path.join(dir, 'pki'), region);
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, region, ports.apiserver, pki);
    const client = await KubeClient.fromKubeconfig(kubeconfig);
    writeFileSync(path.join(dir, 'kwok.yaml'), kwokConfigYaml());
    return new RegionControlPlane(region, dir, ports, pki, kubeconfig, client, tools, supervisor, podCidr);
  }

  get apiServerUrl(): string {
    return `https://127.0.0.1:${this.ports.apiserver}`;
  }

  get running(): boolean {
    return COMPONENTS.every((c) => this.processes.get(c)?.running);
  }

  runningProcesses(): readonly ManagedProcess[] {
    return [...this.processes.values()].filter((p) => p.running);
  }

  private launch(component: Component, args: readonly string[], env: NodeJS.ProcessEnv = {}): ManagedProcess {
    const managed = this.supervisor.start(`${this.region}/${component}`, this.tools.bin(component), args, {
      group: this.region,
      logFile: path.join(this.dir, 'logs', `${component}.log`),
      env: {
        PATH: process.env.PATH,
        HOME: path.join(this.dir, 'home'),
        TMPDIR: path.join(this.dir, 'tmp'),
        // Collect at 50 % heap growth instead of 100 %: a region's seven Go processes hold a few hundred objects, so
        // the extra GC work is small and the memory a CI machine spends on three regions drops.
        GOGC: '50',
        ...env,
      },
    });
    this.processes.set(component, managed);
    return managed;
  }

  /** Waits for `ready`; fails fast with the log tail when the process exits meanwhile. */
  private async waitReady(
    managed: ManagedProcess,
    what: string,
    ready: () => Promise<boolean>,
    timeoutMs: number,
  ): Promise<void> {
    await pollUntil(
      `${managed.name} ${what}`,
      async () => {
        if (!managed.running) throw new Error(managed.describeExit());
        return (await ready()) ? { done: true, value: undefined } : { done: false, state: 'not ready' };
      },
      { timeoutMs, intervalMs: 200 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${managed.logFile} (tail) ---\n${managed.logTail()}`);
    });
  }

  /** Starts (or restarts, on the same ports and data) every component; the first start also installs CRDs. */
  async start(): Promise<{ seconds: number }> {
    const started = performance.now();
    const { ports, pki } = this;
    const etcd = this.launch('etcd', [
      '--name',
      'r1',
      '--data-dir',
      path.join(this.dir, 'etcd'),
      '--listen-client-urls',
      `http://127.0.0.1:${ports.etcd}`,
      '--advertise-client-urls',
      `http://127.0.0.1:${ports.etcd}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${ports.etcdPeer}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${ports.etcdPeer}`,
      '--initial-cluster',
      `r1=http://127.0.0.1:${ports.etcdPeer}`,
      '--listen-metrics-urls=',
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await this.waitReady(etcd, 'health', () => httpOk(`http://127.0.0.1:${ports.etcd}/health`), 30_000);

    const apiserver = this.launch('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--service-account-issuer=https://127.0.0.1:${ports.apiserver}`,
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      `--token-auth-file=${pki.tokensFile}`,
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      '--profiling=false',
      '--endpoint-reconciler-type=none',
      // A few hundred objects per region: reads straight from etcd cost little, the watch cache's memory a lot.
      '--watch-cache=false',
    ]);
    await this.waitReady(
      apiserver,
      '/readyz',
      async () =>
        await this.client.request('GET', '/readyz').then(
          () => true,
          () => false,
        ),
      90_000,
    );

    if (!this.initialized) {
      await this.installClusterBasics();
      this.initialized = true;
    }

    const controllerManager = this.launch('kube-controller-manager', [
      `--kubeconfig=${this.kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      `--cert-dir=${path.join(this.dir, 'kcm-certs')}`,
      '--leader-elect=false',
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
      '--use-service-account-credentials=false',
    ]);
    const scheduler = this.launch('kube-scheduler', [
      `--kubeconfig=${this.kubeconfig}`,
      `--authentication-kubeconfig=${this.kubeconfig}`,
      `--authorization-kubeconfig=${this.kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.scheduler}`,
      '--leader-elect=false',
    ]);
    // kwok is the kubelet of the nodes that carry our annotation (and only those); no server of its own.
    const kwok = this.launch('kwok', [
      `--kubeconfig=${this.kubeconfig}`,
      `--config=${path.join(this.dir, 'kwok.yaml')}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=${KWOK_NODE_ANNOTATION_VALUE}`,
      `--cidr=${this.podCidr}`,
    ]);

    const fluxEnv = { KUBECONFIG: this.kubeconfig, RUNTIME_NAMESPACE: FLUX_BOOTSTRAP.namespace };
    const source = this.launch(
      'source-controller',
      [
        '--watch-all-namespaces',
        '--log-encoding=console',
        `--storage-path=${path.join(this.dir, 'artifacts')}`,
        `--storage-addr=127.0.0.1:${ports.sourceStorage}`,
        `--storage-adv-addr=127.0.0.1:${ports.sourceStorage}`,
        `--metrics-addr=127.0.0.1:${ports.sourceMetrics}`,
        `--health-addr=127.0.0.1:${ports.sourceHealth}`,
        '--enable-leader-election=false',
      ],
      fluxEnv,
    );
    const kustomize = this.launch(
      'kustomize-controller',
      [
        '--watch-all-namespaces',
        '--log-encoding=console',
        '--no-remote-bases=true',
        `--requeue-dependency=${REQUEUE_DEPENDENCY}`,
        `--metrics-addr=127.0.0.1:${ports.kustomizeMetrics}`,
        `--health-addr=127.0.0.1:${ports.kustomizeHealth}`,
        '--enable-leader-election=false',
      ],
      fluxEnv,
    );
    await Promise.all([
      this.waitReady(
        controllerManager,
        '/healthz',
        () => httpOk(`https://127.0.0.1:${ports.controllerManager}/healthz`),
        60_000,
      ),
      this.waitReady(scheduler, '/healthz', () => httpOk(`https://127.0.0.1:${ports.scheduler}/healthz`), 60_000),
      this.waitReady(kwok, 'start', async () => kwok.logTail(50).includes('Watch nodes'), 60_000),
      this.waitReady(source, '/readyz', () => httpOk(`http://127.0.0.1:${ports.sourceHealth}/readyz`), 60_000),
      this.waitReady(kustomize, '/readyz', () => httpOk(`http://127.0.0.1:${ports.kustomizeHealth}/readyz`), 60_000),
    ]);
    return { seconds: secondsSince(started) };
  }

  /** The flux-system namespace, the Flux CRDs of the pinned controllers and the CRDs AKS add-ons provide. */
  private async installClusterBasics(): Promise<void> {
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: FLUX_BOOTSTRAP.namespace } };
    await this.client.apply(namespace, { fieldManager: HARNESS_FIELD_MANAGER, force: true });
    const crdFiles = [
      ...this.tools.fluxCrdDirs.flatMap((dir) =>
        readdirSync(dir)
          .filter((f) => f.endsWith('.yaml'))
          .sort()
          .map((f) => path.join(dir, f)),
      ),
      ...this.tools.addOnCrdFiles,
    ];
    const crds = crdFiles.flatMap(readYamlObjects).filter((o) => o.kind === 'CustomResourceDefinition');
    await Promise.all(crds.map((crd) => this.client.apply(crd, { fieldManager: HARNESS_FIELD_MANAGER, force: true })));
    await Promise.all(
      crds.map((crd) =>
        pollUntil(
          `CRD ${crd.metadata.name} Established in ${this.region}`,
          async () => {
            const live = await this.client.get(refOf(crd));
            const conditions =
              (live?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
            return conditions.some((c) => c.type === 'Established' && c.status === 'True')
              ? { done: true, value: undefined }
              : { done: false, state: 'not established' };
          },
          { timeoutMs: 30_000 },
        ),
      ),
    );
    this.client.resetDiscovery();
  }

  /**
   * Stops every component (controllers first, etcd last). `abrupt` sends SIGKILL at once: a region lost, not shut
   * down. Data (etcd, artifacts) stays, so `start()` brings the same cluster back.
   */
  async stop({ abrupt = false }: { abrupt?: boolean } = {}): Promise<void> {
    const order: Component[] = [
      'kustomize-controller',
      'source-controller',
      'kwok',
      'kube-scheduler',
      'kube-controller-manager',
      'kube-apiserver',
      'etcd',
    ];
    if (abrupt) {
      await Promise.all(
        order
          .map((c) => this.processes.get(c))
          .filter((p): p is ManagedProcess => !!p)
          .map((p) => this.supervisor.stop(p, { abrupt: true })),
      );
    } else {
      for (const component of order) {
        const managed = this.processes.get(component);
        if (managed) await this.supervisor.stop(managed);
      }
    }
    this.processes.clear();
    this.client.close();
  }
}
