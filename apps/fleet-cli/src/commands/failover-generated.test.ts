/**
 * Issue 15: deploy/failover-absorbs planned the loss of every region and each plan parsed every cluster's workloads
 * again (regions × clusters reads: ≈1 s of `fleet validate` at 500 clusters). On a synthesized generated fleet whose
 * Front Door weights make one loss fail: the rule's findings and every `fleet failover --lose <region>` plan are the
 * ones planned before the change, and each cluster's manifests are read once for all regions.
 */
import { clustersOf, FailoverWorkloads, loadFleet, planFailover, type ManifestObject } from '@aks-fleet/fleet';
import { generateFleet } from '@aks-fleet/fleet/testing/generated';
import {
  defaultContainerPolicy,
  formatFinding,
  readClusterTrees,
  RULES,
  type ClusterTree,
  type GateContext,
} from '@aks-fleet/gate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanScratch, runCli, scratchDir, writeFleetFile } from '../testing/run-cli.ts';

const SLOW = { timeout: 120_000 };

/** Six clusters in six regions; the first region carries most of the traffic, the fifth is a standby. */
function generatedFleet() {
  const fleet = generateFleet(6);
  const frontDoor = [
    { priority: 1, weight: 1000 },
    { priority: 1, weight: 1 },
    { priority: 1, weight: 50 },
    { priority: 1, weight: 200 },
    { priority: 2, weight: 50 },
    { priority: 1, weight: 300 },
  ];
  Object.values(fleet.spec.regions).forEach((region, i) => (region.clusters[0]!.frontDoor = frontDoor[i]!));
  return fleet;
}

let fleetFile: string;
let root: string;

beforeAll(async () => {
  fleetFile = writeFleetFile(generatedFleet());
  root = scratchDir('fleet-failover-');
  const synth = await runCli(['synth', '--fleet', fleetFile, '--root', root]);
  if (synth.code !== 0) throw new Error(`fleet synth of the generated fleet failed: ${synth.stderr}`);
}, SLOW.timeout);

afterAll(cleanScratch);

const fix = (weight: number, region: string) =>
  `raise regions.${region}.clusters[0].frontDoor.weight to at least ${weight}, or lower ` +
  'regions.australiacentral.clusters[0].frontDoor.weight; more replicas would not help, the need grows with them ' +
  '(HPA maximum = 2 × replicas) (see `fleet failover --lose australiacentral`)';
const cannotAbsorb = (region: string, share: number, weight: number) =>
  `ERROR deploy/failover-absorbs infrastructure/frontdoor/template.json -: losing australiacentral, ` +
  `aks-${region}-00 (${region}) cannot absorb its traffic; limited by HPA maximum of a0042/aspnetapp: 6 replicas ` +
  `needed for a ${share} % traffic share, the HPA stops at 4 — fix: ${fix(weight, region)}`;

/** The findings (and exit codes below) `fleet validate` and `fleet failover` gave before the change. */
const EXPECTED_FINDINGS = [
  cannotAbsorb('australiacentral2', 0, 450),
  cannotAbsorb('australiaeast', 9, 499),
  cannotAbsorb('australiasoutheast', 36, 649),
  cannotAbsorb('belgiumcentral', 54, 749),
];

/** The cluster trees, each counting how often its objects are read. */
function countingTrees(reads: Map<string, number>): ClusterTree[] {
  return readClusterTrees(root).map((tree) => ({
    ...tree,
    get objects() {
      reads.set(tree.name, (reads.get(tree.name) ?? 0) + 1);
      return tree.objects;
    },
  }));
}

describe('deploy/failover-absorbs and fleet failover on a generated fleet (issue 15)', () => {
  it('the rule reads each cluster once for all six lost regions, and finds what it found before', SLOW, async () => {
    const { fleet } = loadFleet(fleetFile);
    const reads = new Map<string, number>();
    const context: GateContext = {
      root,
      fleet,
      clusters: countingTrees(reads),
      policy: defaultContainerPolicy(fleet.spec.sharedServices.containerRegistry.name),
      exceptions: [],
    };
    const rule = RULES.find((r) => r.id === 'deploy/failover-absorbs')!;
    const findings = (await rule.check(context)).map(formatFinding);
    expect(findings).toStrictEqual(EXPECTED_FINDINGS);
    const clusters = clustersOf(fleet.spec).map(({ cluster }) => cluster.name);
    expect(clusters).toHaveLength(6);
    expect(Object.fromEntries(reads)).toStrictEqual(Object.fromEntries(clusters.map((name) => [name, 1])));
  });

  it('plans sharing one FailoverWorkloads read each cluster once and equal plans that read their own', () => {
    const { fleet } = loadFleet(fleetFile);
    const trees = new Map(
      readClusterTrees(root).map((t) => [t.name, t.objects.map((o) => o.object as ManifestObject)]),
    );
    const reads = new Map<string, number>();
    const shared = new FailoverWorkloads((cluster) => {
      reads.set(cluster, (reads.get(cluster) ?? 0) + 1);
      return trees.get(cluster) ?? [];
    });
    const regions = [...new Set(clustersOf(fleet.spec).map((c) => c.region))];
    for (const region of regions)
      expect(planFailover(fleet, region, shared)).toStrictEqual(
        planFailover(fleet, region, (cluster) => trees.get(cluster) ?? []),
      );
    expect([...reads.values()]).toStrictEqual(regions.map(() => 1));
  });

  it(
    'fleet failover --lose <region> prints the plan of every region, exit 1 only for the failing loss',
    SLOW,
    async () => {
      const { fleet } = loadFleet(fleetFile);
      const trees = new Map(
        readClusterTrees(root).map((t) => [t.name, t.objects.map((o) => o.object as ManifestObject)]),
      );
      const codes: Record<string, number> = {};
      for (const region of [...new Set(clustersOf(fleet.spec).map((c) => c.region))]) {
        const result = await runCli(['failover', '--lose', region, '--json', '--fleet', fleetFile, '--root', root]);
        codes[region] = result.code;
        const fresh = planFailover(fleet, region, (cluster) => trees.get(cluster) ?? []);
        expect(JSON.parse(result.stdout)).toStrictEqual(JSON.parse(JSON.stringify(fresh)));
      }
      expect(codes).toStrictEqual({
        australiacentral: 1,
        australiacentral2: 0,
        australiaeast: 0,
        australiasoutheast: 0,
        austriaeast: 0,
        belgiumcentral: 0,
      });
      const text = await runCli(['failover', '--lose', 'australiacentral', '--fleet', fleetFile, '--root', root]);
      // As printed before the change, line for line.
      expect(text.stdout).toContain(
        [
          'aks-australiacentral2-00 (australiacentral2): CANNOT ABSORB — limited by HPA maximum of a0042/aspnetapp',
          '  traefik-ingress/traefik-ingress-controller: 2 → needs 2; peak 2 + 0 surge on user (one per node)',
          '  a0042/aspnetapp: 2 → needs 6, HPA max 4; peak 4 + 1 surge on user (one per node)',
          '  pool system Standard_DS2_v2 ≤ 4 nodes: requests 0m / 0Mi / 0 pods of 4 × 1900m / 6418Mi / 30 pods',
          '  pool user Standard_DS3_v2 ≤ 5 nodes: requests 450m / 768Mi / 7 pods of 5 × 3860m / 13586Mi / 30 pods',
          '  quota a0042/compute: pods 5/5, requests.cpu 250m/250m, requests.memory 640Mi/640Mi, limits.cpu 500m/500m, ' +
            'limits.memory 1280Mi/1280Mi',
          '  nodes subnet 10.0.16.0/22: 279 of 1019 addresses at max nodes (Azure CNI)',
          '  ✗ HPA maximum of a0042/aspnetapp: 6 replicas needed for a 0 % traffic share, the HPA stops at 4 — fix: ' +
            fix(450, 'australiacentral2').replace(/ \(see .*$/, ''),
          '',
        ].join('\n'),
      );
      expect(text.stdout).toContain('aks-austriaeast-00 (austriaeast): ABSORBS\n');
      expect(text.stdout).toMatch(/\n4 surviving cluster\(s\) cannot absorb the loss of australiacentral\n$/);
    },
  );
});
