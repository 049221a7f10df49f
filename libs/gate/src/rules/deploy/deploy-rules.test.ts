/**
 * The deploy/* rules on the committed, synthesized default fleet (positive control) and on mutations of it that
 * bring each defect back (one failing fixture per rule at least, asserted by the exact finding line).
 */
import { fileURLToPath } from 'node:url';
import { loadFleet, type Fleet } from '@aks-fleet/fleet';
import type { KubernetesObject } from '@aks-fleet/synth';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../finding.ts';
import type { GateContext } from '../../rule.ts';
import { readClusterTrees, readWorkingTree, type ClusterTree } from '../../tree.ts';
import { defaultContainerPolicy, validate } from '../../validate.ts';
import type { ArmResource } from '../arm-resources.ts';
import { deployRules, surgeAt } from './index.ts';

const REPO = fileURLToPath(new URL('../../../../../', import.meta.url));

interface Fixture {
  fleet: Fleet;
  templates: Map<string, { resources: ArmResource[] }>;
  clusters: ClusterTree[];
}

const committed = (() => {
  const templates = new Map<string, { resources: ArmResource[] }>();
  for (const [file, content] of readWorkingTree(REPO, ['infrastructure']))
    if (file.endsWith('/template.json')) templates.set(file, JSON.parse(content));
  return { fleet: loadFleet().fleet as Fleet, templates, clusters: readClusterTrees(REPO) };
})();

async function run(mutate: (f: Fixture) => void = () => {}): Promise<string[]> {
  const fixture: Fixture = structuredClone(committed);
  mutate(fixture);
  const context: GateContext = {
    root: REPO,
    fleet: fixture.fleet,
    clusters: fixture.clusters,
    policy: defaultContainerPolicy(fixture.fleet.spec.sharedServices.containerRegistry.name),
    exceptions: [],
    infrastructure: { templates: fixture.templates, validateTemplate: () => [] },
  };
  return (await validate(context, deployRules)).findings.map(formatFinding);
}

const STAMP_03 = 'infrastructure/clusters/bu0001a0042-03/stamp/template.json';
const stamp = (f: Fixture, cluster = '03') =>
  f.templates.get(`infrastructure/clusters/bu0001a0042-${cluster}/stamp/template.json`)!.resources;
const ofType = (resources: ArmResource[], type: string) => resources.filter((r) => r.type === type);
const props = (r: ArmResource) => r.properties as Record<string, unknown>;
const aks = (f: Fixture) =>
  ofType(stamp(f), 'Microsoft.ContainerService/managedClusters')[0]! as ArmResource & { sku: Record<string, unknown> };
const keyVaultEndpoint = (f: Fixture) =>
  stamp(f).find((r) => r.type === 'Microsoft.Network/privateEndpoints' && r.name!.startsWith('pe-kv-'))!;
const wafPolicy = (f: Fixture) =>
  ofType(stamp(f), 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies')[0]!;
const lockRule = (f: Fixture) => (props(wafPolicy(f)).customRules as Array<Record<string, unknown>>)[0]!;
const lockCondition = (f: Fixture) => (lockRule(f).matchConditions as Array<Record<string, unknown>>)[0]!;
const objectOf = (f: Fixture, cluster: string, kind: string, name: string) =>
  f.clusters
    .find((c) => c.name === cluster)!
    .objects.find(({ object }) => object.kind === kind && object.metadata.name === name)!.object as KubernetesObject & {
    spec: Record<string, unknown>;
  };
const toIngressSubnet = (id: unknown) => String(id).replace('snet-privatelinkendpoints', 'snet-clusteringressservices');

const TRAEFIK_03 =
  'manifests/bu0001a0042-03/ingress/service-traefik-ingress-controller.yaml Service/traefik-ingress/traefik-ingress-controller';
const ORIGIN_03 = /origin\/agw-bu0001a0042-03-[0-9a-f]+\.eastus2\.cloudapp\.azure\.com/.source;
const AKS_03 = `${STAMP_03} managedClusters/aks-bu0001a0042-03`;

/**
 * Each fixture brings one defect back; `line` must match one finding exactly from its start. `also`: rules that
 * rightly fire on the same defect (a pool too small for the peak cannot absorb a failover either).
 */
const FIXTURES: ReadonlyArray<{
  rule: string;
  name: string;
  mutate: (f: Fixture) => void;
  line: RegExp;
  also?: readonly string[];
}> = [
  {
    rule: 'deploy/fixed-ip-subnet',
    name: 'a private endpoint back in the ingress subnet',
    mutate: (f) => {
      const subnet = props(keyVaultEndpoint(f)).subnet as { id: string };
      subnet.id = toIngressSubnet(subnet.id);
    },
    line: new RegExp(
      `^ERROR deploy/fixed-ip-subnet ${TRAEFIK_03}: fixed ILB IP 10\\.243\\.4\\.4 in subnet snet-clusteringressservices, which also holds Microsoft\\.Network/privateEndpoints pe-kv-\\S+ \\(${STAMP_03}\\) with a dynamic address`,
    ),
  },
  {
    rule: 'deploy/fixed-ip-subnet',
    name: 'a private endpoint given the ILB IP itself',
    mutate: (f) => {
      const endpoint = props(keyVaultEndpoint(f));
      (endpoint.subnet as { id: string }).id = toIngressSubnet((endpoint.subnet as { id: string }).id);
      endpoint.ipConfigurations = [
        { name: 'vault', properties: { groupId: 'vault', memberName: 'default', privateIPAddress: '10.243.4.4' } },
      ];
    },
    line: /^ERROR deploy\/fixed-ip-subnet .* holds Microsoft\.Network\/privateEndpoints pe-kv-\S+ \(.*\) on that very address/,
  },
  {
    rule: 'deploy/fixed-ip-subnet',
    name: 'an internal load balancer without a subnet annotation (it lands among the dynamic node and pod IPs)',
    mutate: (f) => {
      const annotations = objectOf(f, 'bu0001a0042-03', 'Service', 'traefik-ingress-controller').metadata
        .annotations as Record<string, string>;
      delete annotations['service.beta.kubernetes.io/azure-load-balancer-internal-subnet'];
    },
    line: new RegExp(
      `^ERROR deploy/fixed-ip-subnet ${TRAEFIK_03}: fixed ILB IP 10\\.243\\.4\\.4 in subnet snet-clusternodes, which also holds Microsoft\\.ContainerService/managedClusters aks-bu0001a0042-03`,
    ),
  },
  {
    rule: 'deploy/kubernetes-support',
    name: 'Kubernetes 1.30 on the Standard tier',
    mutate: (f) => {
      props(aks(f)).kubernetesVersion = '1.30';
    },
    line: new RegExp(
      `^ERROR deploy/kubernetes-support ${AKS_03}: Kubernetes 1\\.30 is not in AKS standard support \\(1\\.34, 1\\.35, 1\\.36, 1\\.37 as of 2026-11-29, https://learn\\.microsoft\\.com/azure/aks/supported-kubernetes-versions\\)`,
    ),
  },
  {
    rule: 'deploy/kubernetes-support',
    name: 'long-term support without the Premium tier',
    mutate: (f) => {
      props(aks(f)).supportPlan = 'AKSLongTermSupport';
    },
    line: new RegExp(
      `^ERROR deploy/kubernetes-support ${AKS_03}: supportPlan AKSLongTermSupport on sku\\.tier Standard`,
    ),
  },
  {
    rule: 'deploy/container-insights',
    name: 'no data collection rule',
    mutate: (f) => {
      f.templates.get(STAMP_03)!.resources = stamp(f).filter(
        (r) => r.type !== 'Microsoft.Insights/dataCollectionRules',
      );
    },
    line: new RegExp(
      `^ERROR deploy/container-insights ${AKS_03}: monitoring add-on \\(useAADAuth\\) without a data collection rule sending Microsoft-ContainerInsights-Group-Default to Log Analytics`,
    ),
  },
  {
    rule: 'deploy/container-insights',
    name: 'no association of the rule with the cluster',
    mutate: (f) => {
      f.templates.get(STAMP_03)!.resources = stamp(f).filter(
        (r) => r.type !== 'Microsoft.Insights/dataCollectionRuleAssociations',
      );
    },
    line: new RegExp(
      `^ERROR deploy/container-insights ${AKS_03}: no association ContainerInsightsExtension links the cluster to its collection rule`,
    ),
  },
  {
    rule: 'deploy/container-insights',
    name: 'the hub firewall without the regional control handler',
    mutate: (f) => {
      const egress = f.templates.get('infrastructure/regions/eastus2/hub-egress/template.json')!;
      const text = JSON.stringify(egress).replaceAll('"eastus2.handler.control.monitor.azure.com",', '');
      f.templates.set('infrastructure/regions/eastus2/hub-egress/template.json', JSON.parse(text));
    },
    line: new RegExp(
      `^ERROR deploy/container-insights ${AKS_03}: the eastus2 hub firewall does not admit Azure Monitor endpoints eastus2\\.handler\\.control\\.monitor\\.azure\\.com \\(HTTPS 443\\)`,
    ),
  },
  {
    rule: 'deploy/peak-fits',
    name: "the reference's user pool of 6 under an HPA maximum of 6, one pod per node, maxSurge 1",
    mutate: (f) => {
      f.fleet.spec.regions.centralus!.clusters[0]!.nodePools.user.maxCount = 6;
    },
    also: ['deploy/failover-absorbs'],
    line: /^ERROR deploy\/peak-fits manifests\/bu0001a0042-04\/workload\/deployment-aspnetapp\.yaml Deployment\/a0042\/aspnetapp: peak 7 pods \(HPA aspnetapp maxReplicas 6 \+ rolling-update surge 1\) one per node \(required anti-affinity on kubernetes\.io\/hostname\) need 7 nodes; the user pool allows 6 — fix: raise regions\.centralus\.clusters\[0\]\.nodePools\.user\.maxCount to at least 7/,
  },
  {
    rule: 'deploy/peak-fits',
    name: 'a percentage surge rounds up',
    mutate: (f) => {
      const deployment = objectOf(f, 'bu0001a0042-03', 'Deployment', 'aspnetapp');
      deployment.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: 0 } };
    },
    also: ['deploy/failover-absorbs'],
    line: /^ERROR deploy\/peak-fits manifests\/bu0001a0042-03\/workload\/deployment-aspnetapp\.yaml Deployment\/a0042\/aspnetapp: peak 6 pods \(HPA aspnetapp maxReplicas 4 \+ rolling-update surge 2\)/,
  },
  {
    rule: 'deploy/failover-absorbs',
    name: 'eastus2 with two thirds of the Front Door weight (as a second cluster copied into it has)',
    mutate: (f) => {
      f.fleet.spec.regions.eastus2!.clusters[0]!.frontDoor.weight = 100;
    },
    line: /^ERROR deploy\/failover-absorbs infrastructure\/frontdoor\/template\.json -: losing eastus2, bu0001a0042-04 \(centralus\) cannot absorb its traffic; limited by HPA maximum of a0042\/aspnetapp: 9 replicas needed for a 100 % traffic share, the HPA stops at 6 — fix: raise regions\.centralus\.clusters\[0\]\.frontDoor\.weight to at least 100, or lower regions\.eastus2\.clusters\[0\]\.frontDoor\.weight; .*\(see `fleet failover --lose eastus2`\)$/,
  },
  {
    rule: 'deploy/failover-absorbs',
    name: 'a survivor whose user pool cannot hold the failover peak',
    also: ['deploy/peak-fits'],
    mutate: (f) => {
      f.fleet.spec.regions.eastus2!.clusters[0]!.nodePools.user.maxCount = 4;
    },
    line: /^ERROR deploy\/failover-absorbs infrastructure\/frontdoor\/template\.json -: losing centralus, bu0001a0042-03 \(eastus2\) cannot absorb its traffic; limited by nodePools\.user\.maxCount: .* — fix: raise regions\.eastus2\.clusters\[0\]\.nodePools\.user\.maxCount to \d+/,
  },
  {
    rule: 'deploy/front-door-lock',
    name: 'a WAF policy without the X-Azure-FDID rule',
    mutate: (f) => {
      props(wafPolicy(f)).customRules = [];
    },
    line: new RegExp(
      `^ERROR deploy/front-door-lock ${STAMP_03} ${ORIGIN_03}: App Gateway apw-aks-bu0001a0042-03 does not block requests whose x-azure-fdid header is not Front Door profile afd-bu0001a0042's frontDoorId`,
    ),
  },
  {
    rule: 'deploy/front-door-lock',
    name: "the rule matching another profile's id",
    mutate: (f) => {
      lockCondition(f).matchValues = [
        String((lockCondition(f).matchValues as string[])[0]).replace("'afd-bu0001a0042'", "'afd-someone-else'"),
      ];
    },
    line: new RegExp(`^ERROR deploy/front-door-lock ${STAMP_03} ${ORIGIN_03}: `),
  },
  {
    rule: 'deploy/front-door-lock',
    name: 'the rule only logging (Detection mode)',
    mutate: (f) => {
      (props(wafPolicy(f)).policySettings as Record<string, unknown>).mode = 'Detection';
    },
    line: new RegExp(`^ERROR deploy/front-door-lock ${STAMP_03} ${ORIGIN_03}: `),
  },
  {
    rule: 'deploy/deep-health-probe',
    name: "the reference's /favicon.ico probe",
    mutate: (f) => {
      const group = f.templates
        .get('infrastructure/shared/template.json')!
        .resources.find((r) => r.type === 'Microsoft.Cdn/profiles/originGroups')!;
      (props(group).healthProbeSettings as Record<string, unknown>).probePath = '/favicon.ico';
    },
    line: new RegExp(
      `^ERROR deploy/deep-health-probe ${STAMP_03} ${ORIGIN_03}: Front Door's health probe /favicon\\.ico does not reach a workload health endpoint through App Gateway apw-aks-bu0001a0042-03: bu0001a0042\\.aks-ingress\\.contoso\\.com/favicon\\.ico reaches Service a0042/aspnetapp, whose pods' health endpoints are /healthz`,
    ),
  },
  {
    rule: 'deploy/deep-health-probe',
    name: 'no Ingress for the backend host',
    mutate: (f) => {
      const ingress = objectOf(f, 'bu0001a0042-03', 'Ingress', 'aspnetapp');
      (ingress.spec.rules as Array<{ host: string }>)[0]!.host = 'elsewhere.aks-ingress.contoso.com';
    },
    line: new RegExp(
      `^ERROR deploy/deep-health-probe ${STAMP_03} ${ORIGIN_03}: .*: no Ingress routes bu0001a0042\\.aks-ingress\\.contoso\\.com/healthz`,
    ),
  },
];

describe('deploy/* rules', () => {
  it('find nothing in the committed default fleet (positive control)', async () => {
    expect(await run()).toStrictEqual([]);
  });

  it('every deploy rule has a failing fixture', () => {
    expect(deployRules.map((r) => r.id).filter((id) => !FIXTURES.some((f) => f.rule === id))).toStrictEqual([]);
  });

  it.each(FIXTURES)('fail $rule on $name', async ({ rule, mutate, line, also = [] }) => {
    const findings = await run(mutate);
    expect(
      findings.some((f) => line.test(f)),
      `expected a line matching\n  ${line.source}\ngot\n  ${findings.join('\n  ')}`,
    ).toBe(true);
    // Exactly the rule under test fires, and each rule a fixture names as also firing does fire (not merely may).
    expect(
      [...new Set(findings.map((f) => f.split(' ')[1]))].sort(),
      `rules that fired:\n  ${findings.join('\n  ')}`,
    ).toStrictEqual([rule, ...also].sort());
  });

  it('accept what the defects are not: a private endpoint with its own static address, LTS on Premium, no AAD monitoring', async () => {
    expect(
      await run((f) => {
        const endpoint = props(keyVaultEndpoint(f));
        (endpoint.subnet as { id: string }).id = toIngressSubnet((endpoint.subnet as { id: string }).id);
        endpoint.ipConfigurations = [
          { name: 'vault', properties: { groupId: 'vault', memberName: 'default', privateIPAddress: '10.243.4.10' } },
        ];
        Object.assign(props(aks(f)), { kubernetesVersion: '1.32', supportPlan: 'AKSLongTermSupport' });
        aks(f).sku.tier = 'Premium';
        for (const pool of props(aks(f)).agentPoolProfiles as Array<Record<string, unknown>>)
          pool.orchestratorVersion = '1.32';
        f.templates.get(STAMP_03)!.resources = stamp(f).filter(
          (r) => !r.type!.startsWith('Microsoft.Insights/dataCollection'),
        );
        (
          (props(aks(f)).addonProfiles as Record<string, Record<string, unknown>>).omsagent!.config as Record<
            string,
            string
          >
        ).useAADAuth = 'false';
      }),
    ).toStrictEqual([]);
  });

  it('failover-absorbs: the weight its fix names makes the survivor absorb (and the other loss still absorbs)', async () => {
    expect(
      await run((f) => {
        f.fleet.spec.regions.eastus2!.clusters[0]!.frontDoor.weight = 100;
        f.fleet.spec.regions.centralus!.clusters[0]!.frontDoor.weight = 100;
      }),
    ).toStrictEqual([]);
  });

  it('peak-fits agrees with (max replicas + surge) <= pool nodes × pods per node on every small case', () => {
    const rule = deployRules.find((r) => r.id === 'deploy/peak-fits')!;
    const fleet = structuredClone(committed.fleet);
    const pool = fleet.spec.regions.eastus2!.clusters[0]!.nodePools.user;
    const labels = { app: 'web' };
    for (const maxCount of [1, 2, 3, 5, 8]) {
      for (const max of [1, 2, 4, 6, 8, 40]) {
        for (const maxSurge of [0, 1, 2, '25%', '50%'] as const) {
          for (const antiAffinity of [true, false]) {
            pool.maxCount = maxCount;
            const affinity = antiAffinity
              ? {
                  podAntiAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: [
                      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } },
                    ],
                  },
                }
              : {};
            const deployment = {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: { name: 'web', namespace: 'a0042' },
              spec: {
                strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge } },
                template: {
                  metadata: { labels },
                  spec: { nodeSelector: { 'kubernetes.azure.com/mode': 'user' }, affinity },
                },
              },
            };
            const hpa = {
              apiVersion: 'autoscaling/v2',
              kind: 'HorizontalPodAutoscaler',
              metadata: { name: 'web', namespace: 'a0042' },
              spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: max },
            };
            const tree: ClusterTree = {
              name: 'bu0001a0042-03',
              folders: [],
              unreadable: [],
              objects: [deployment, hpa].map((object) => ({
                file: 'x.yaml',
                cluster: 'bu0001a0042-03',
                layer: 'workload',
                object,
              })),
            };
            const findings = rule.check({
              root: REPO,
              fleet,
              clusters: [tree],
              policy: defaultContainerPolicy('acr'),
              exceptions: [],
            });
            const surge = typeof maxSurge === 'number' ? maxSurge : Math.ceil((max * Number.parseInt(maxSurge)) / 100);
            const fits = max + surge <= maxCount * (antiAffinity ? 1 : 30);
            expect(findings.length, JSON.stringify({ maxCount, max, maxSurge, antiAffinity })).toBe(fits ? 0 : 1);
          }
        }
      }
    }
  });

  it('computes the rolling-update surge as Kubernetes does', () => {
    expect(surgeAt(6, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } })).toBe(1);
    expect(surgeAt(6, undefined)).toBe(2); // default 25%, rounded up
    expect(surgeAt(4, { rollingUpdate: { maxSurge: '50%' } })).toBe(2);
    expect(surgeAt(3, { rollingUpdate: { maxSurge: '10%' } })).toBe(1);
    expect(surgeAt(6, { type: 'Recreate' })).toBe(0);
  });
});
