import {
  clustersOf,
  cpuMillicores,
  loadFleet,
  memoryMiB,
  nodeCapacity,
  planFailover,
  UnknownRegionError,
  type Fleet,
  type ManifestObject,
} from '@aks-fleet/fleet';
import { describe, expect, it } from 'vitest';
import { cleanScratch, REPO_ROOT, runCli } from '../testing/run-cli.ts';

/** The default fleet with both clusters' pools and Front Door settings pinned, so the cases do not drift with it. */
function fleet({ userMaxCount = 5, nodesSubnet }: { userMaxCount?: number; nodesSubnet?: string } = {}): Fleet {
  const f = structuredClone(loadFleet().fleet) as Fleet;
  for (const { cluster } of clustersOf(f.spec)) {
    cluster.nodePools.user = { vmSize: 'Standard_DS3_v2', minCount: 2, maxCount: userMaxCount, zones: ['1', '2', '3'] };
    cluster.frontDoor = { priority: 1, weight: 50 };
    if (nodesSubnet) cluster.spoke.subnets.nodes = nodesSubnet;
  }
  return f;
}

/** One autoscaled, one-pod-per-node Deployment on the user pool, plus its namespace quota. */
function manifests({
  min = 2,
  max = 4,
  surge = 1,
  cpu = '50m',
  quotaPods = '5',
  onePerNode = true,
  nodeSelector = { 'kubernetes.azure.com/mode': 'user' } as Record<string, string>,
} = {}): ManifestObject[] {
  const labels = { app: 'web' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'app' },
      spec: {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: 0 } },
        template: {
          metadata: { labels },
          spec: {
            nodeSelector,
            ...(onePerNode
              ? {
                  affinity: {
                    podAntiAffinity: {
                      requiredDuringSchedulingIgnoredDuringExecution: [
                        { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' },
                      ],
                    },
                  },
                }
              : {}),
            containers: [
              { resources: { requests: { cpu, memory: '128Mi' }, limits: { cpu: '100m', memory: '256Mi' } } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'app' },
      spec: { minReplicas: min, maxReplicas: max, scaleTargetRef: { kind: 'Deployment', name: 'web' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'app' },
      spec: { hard: { pods: quotaPods, 'requests.cpu': '100' } },
    },
  ];
}

/** The quota of `manifests()` with a `requests.cpu` of `hard`. */
const withCpuQuota =
  (hard: string) =>
  (o: ManifestObject): ManifestObject =>
    o.kind === 'ResourceQuota' ? { ...o, spec: { hard: { pods: '5', 'requests.cpu': hard } } } : o;

describe('planFailover', () => {
  it('a survivor absorbs when HPA max + surge fits its pool, quota and subnet', () => {
    const plan = planFailover(fleet(), 'centralus', () => manifests());
    expect(plan.absorbs).toBe(true);
    const [survivor] = plan.survivors;
    expect(survivor).toMatchObject({
      cluster: 'bu0001a0042-03',
      absorbs: true,
      frontDoor: { priority: 1, weight: 50, trafficShare: 1 },
    });
    expect(survivor!.workloads[0]).toMatchObject({
      normal: 2,
      needed: 4,
      hpaMax: 4,
      peak: 4,
      surge: 1,
      onePerNode: true,
      pool: 'user',
    });
  });

  it('names maxCount as the limit when peak + surge needs more nodes than the pool has (one pod per node)', () => {
    const plan = planFailover(fleet({ userMaxCount: 4 }), 'centralus', () => manifests());
    expect(plan.absorbs).toBe(false);
    expect(plan.survivors[0]).toMatchObject({ absorbs: false, limitingFactor: 'nodePools.user.maxCount' });
    expect(plan.survivors[0]!.findings[0]!.fix).toContain(
      'raise regions.eastus2.clusters[0].nodePools.user.maxCount to 5',
    );
  });

  it('names the HPA maximum when the traffic share needs more replicas than it allows', () => {
    const plan = planFailover(fleet({ userMaxCount: 10 }), 'centralus', () =>
      manifests({ min: 3, max: 4, quotaPods: '20' }),
    );
    expect(plan.survivors[0]!.limitingFactor).toBe('HPA maximum of app/web');
    // Was: "raise the HPA maximum (the model's failover factor)", a field the model does not have. 3 × (50 + w) / w
    // replicas fit an HPA maximum of 4 from w = 150.
    expect(plan.survivors[0]!.findings[0]!.fix).toBe(
      'raise regions.eastus2.clusters[0].frontDoor.weight to at least 150, or lower ' +
        'regions.centralus.clusters[0].frontDoor.weight; more replicas would not help, the need grows with them ' +
        '(HPA maximum = 2 × replicas)',
    );
    const withTheFix = fleet({ userMaxCount: 10 });
    withTheFix.spec.regions.eastus2!.clusters[0]!.frontDoor.weight = 150;
    expect(planFailover(withTheFix, 'centralus', () => manifests({ min: 3, max: 4, quotaPods: '20' })).absorbs).toBe(
      true,
    );
    withTheFix.spec.regions.eastus2!.clusters[0]!.frontDoor.weight = 149;
    expect(planFailover(withTheFix, 'centralus', () => manifests({ min: 3, max: 4, quotaPods: '20' })).absorbs).toBe(
      false,
    );
  });

  it('a standby survivor (no traffic before the loss) is told to raise its replicas', () => {
    const f = fleet({ userMaxCount: 10 });
    f.spec.regions.eastus2!.clusters[0]!.frontDoor.priority = 2;
    // centralus served all the traffic with 4 replicas; the standby eastus2 stops at 2.
    const plan = planFailover(f, 'centralus', (cluster) =>
      cluster === 'bu0001a0042-04' ? manifests({ min: 4, max: 8 }) : manifests({ min: 1, max: 2, quotaPods: '20' }),
    );
    expect(plan.survivors[0]!.workloads[0]).toMatchObject({ needed: 4, hpaMax: 2 });
    expect(plan.survivors[0]!.findings[0]!.fix).toBe(
      'raise regions.eastus2.clusters[0].workload.replicas (else the fleet-wide workload.replicas) to at least 2: ' +
        'the HPA maximum is 2 × the replicas',
    );
  });

  it('names the ResourceQuota when it cannot admit the pods of a rollout at peak', () => {
    const plan = planFailover(fleet(), 'centralus', () => manifests({ quotaPods: '4' }));
    expect(plan.survivors[0]!.findings.map((f) => f.factor)).toEqual(['ResourceQuota app/compute pods']);
    const cpu = planFailover(fleet(), 'centralus', () => manifests({ cpu: '100m' }).map(withCpuQuota('450m')));
    expect(cpu.survivors[0]!.findings.map((f) => f.detail)).toEqual([
      '500m needed at peak (during a rolling update), quota 450m',
    ]);
  });

  it('names the pool when the requests at peak exceed maxCount × allocatable, or one pod exceeds a node', () => {
    const perNode = nodeCapacity('Standard_DS3_v2')!.allocatable.cpuMillicores;
    // 5 nodes × 3860m: 19 pods of 1000m fit (18 + 1 surge), 21 do not.
    const fits = planFailover(fleet(), 'centralus', () =>
      manifests({ onePerNode: false, max: 18, cpu: '1000m', quotaPods: '100' }),
    );
    expect(fits.absorbs).toBe(true);
    const over = planFailover(fleet(), 'centralus', () =>
      manifests({ onePerNode: false, max: 20, cpu: '1000m', quotaPods: '100' }),
    );
    expect(over.survivors[0]!.findings.map((f) => f.detail)).toEqual([
      `CPU requests at peak 21000m > 5 × ${perNode}m allocatable (Standard_DS3_v2)`,
    ]);
    const tooBig = planFailover(fleet({ userMaxCount: 10 }), 'centralus', () => manifests({ cpu: `${perNode + 10}m` }));
    expect(tooBig.survivors[0]!.findings.map((f) => f.factor)).toContain('nodePools.user.vmSize');
  });

  it('names the nodes subnet when max nodes × (maxPods + 1) exceeds it under Azure CNI', () => {
    const plan = planFailover(fleet({ nodesSubnet: '10.243.0.0/26' }), 'centralus', () => manifests());
    expect(plan.survivors[0]!.limitingFactor).toBe('spoke.subnets.nodes');
  });

  it('a nodeSelector that matches no AKS pool label cannot be placed', () => {
    const plan = planFailover(fleet(), 'centralus', () =>
      manifests({ nodeSelector: { 'kubernetes.azure.com/mode': 'gpu' } }),
    );
    expect(plan.survivors[0]!.findings.map((f) => f.factor)).toContain('node selector of app/web');
  });

  it('rejects a region that is not in the fleet, listing the ones that are', () => {
    expect(() => planFailover(fleet(), 'westeurope', () => [])).toThrow(UnknownRegionError);
    expect(() => planFailover(fleet(), 'westeurope', () => [])).toThrow(/eastus2, centralus/);
  });

  it('reads Kubernetes quantities', () => {
    expect([cpuMillicores('250m'), cpuMillicores('2'), cpuMillicores('0.5')]).toEqual([250, 2000, 500]);
    expect([memoryMiB('640Mi'), memoryMiB('1Gi'), memoryMiB('1024Ki')]).toEqual([640, 1024, 1]);
  });
});

describe('fleet failover', () => {
  it('prints the survivors of the committed tree and exits 2 on an unknown region', async () => {
    const json = await runCli(['failover', '--lose', 'centralus', '--json', '--root', REPO_ROOT]);
    const plan = JSON.parse(json.stdout) as { survivors: { cluster: string }[]; absorbs: boolean };
    expect(plan.survivors.map((s) => s.cluster)).toEqual(['bu0001a0042-03']);
    expect(json.code).toBe(plan.absorbs ? 0 : 1);
    const text = await runCli(['failover', '--lose', 'centralus', '--root', REPO_ROOT]);
    // Quota quantities with their units (was: "requests.cpu 450/450").
    expect(text.stdout).toMatch(
      /^ {2}quota a0042\/compute: pods \d+\/\d+, requests\.cpu \d+m\/\d+m, requests\.memory \d+Mi\/\d+Mi,/m,
    );
    const unknown = await runCli(['failover', '--lose', 'nowhere', '--root', REPO_ROOT]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"nowhere" is not a region of the fleet');
    cleanScratch();
  });
});
