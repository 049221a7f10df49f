import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet } from '@aks-fleet/fleet';
import { toYaml, type KubernetesObject } from '@aks-fleet/synth';
import { afterEach, describe, expect, it } from 'vitest';
import { formatFinding } from './finding.ts';
import { readClusterTrees } from './tree.ts';
import { RULES } from './rules/index.ts';
import { defaultContainerPolicy, validate } from './validate.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const KUSTOMIZE = process.env.FLEET_KUSTOMIZE ?? path.join(REPO, '.cache/tools/bin/kustomize');
const CLUSTERS = ['bu0001a0042-03', 'bu0001a0042-04'];
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

type Tree = Record<string, Record<string, KubernetesObject[]>>;

/** A small, fully valid cluster: hardened Deployment, restricted namespace, default deny, internal LB, TLS Ingress. */
function validCluster(cluster: string): Record<string, KubernetesObject[]> {
  const ns = 'a0042';
  return {
    baseline: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-all', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    ],
    workload: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: 10001 },
              containers: [
                {
                  name: 'web',
                  image: 'mcr.microsoft.com/dotnet/samples:aspnetapp-9.0',
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '100m', memory: '256Mi' } },
                },
              ],
            },
          },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ilb', namespace: ns, annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: ns },
        spec: { tls: [{ hosts: ['app.example.com'] }], rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
      },
    ],
    entrypoint: ['baseline', 'workload'].map((layer, i) => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: `fleet-${layer}`, namespace: 'flux-system' },
      spec: {
        interval: '10m',
        path: `./manifests/${cluster}/${layer}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'aks-fleet', namespace: 'flux-system' },
        ...(i > 0 ? { dependsOn: [{ name: 'fleet-baseline' }] } : {}),
      },
    })),
  };
}

function writeTree(tree: Tree): string {
  const root = mkdtempSync(path.join(tmpdir(), 'gate-'));
  roots.push(root);
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  const kustomization = (resources: string[]) => toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
  for (const [cluster, layers] of Object.entries(tree)) {
    const manifestLayers = Object.keys(layers).filter((l) => l !== 'entrypoint');
    write(`manifests/${cluster}/kustomization.yaml`, kustomization(manifestLayers));
    for (const [layer, objects] of Object.entries(layers)) {
      const folder = layer === 'entrypoint' ? `clusters/${cluster}` : `manifests/${cluster}/${layer}`;
      const names = objects.map((o) => `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`);
      objects.forEach((o, i) => write(`${folder}/${names[i]}`, toYaml(o)));
      write(`${folder}/kustomization.yaml`, kustomization(names));
    }
  }
  return root;
}

async function run(mutate: (tree: Tree) => void = () => {}): Promise<string[]> {
  const tree: Tree = Object.fromEntries(CLUSTERS.map((c) => [c, validCluster(c)]));
  mutate(tree);
  const root = writeTree(tree);
  const { fleet } = loadFleet();
  const result = await validate({ root, fleet, clusters: readClusterTrees(root), kustomize: KUSTOMIZE, policy: defaultContainerPolicy('acraksbu0001a0042'), exceptions: [] });
  return result.findings.map(formatFinding);
}

const c3 = (tree: Tree) => tree['bu0001a0042-03']!;
const deployment = (tree: Tree) => c3(tree).workload![0]! as { spec: { template: { spec: { containers: Array<Record<string, unknown>>; securityContext: Record<string, unknown> } } } } & KubernetesObject;
const container = (tree: Tree) => deployment(tree).spec.template.spec.containers[0]! as { securityContext: Record<string, unknown>; resources: { limits: Record<string, string> }; image: string };
const DEP = 'manifests/bu0001a0042-03/workload/deployment-web.yaml Deployment/a0042/web';

/** Each rule: a fixture that breaks it, and the exact line (prefix) it must produce. */
const FIXTURES: ReadonlyArray<{ rule: string; mutate: (tree: Tree) => void; line: string }> = [
  { rule: 'schema/object', mutate: (t) => { (deployment(t).spec as Record<string, unknown>).replicas = 'three'; }, line: `ERROR schema/object ${DEP}: schema: data/spec/replicas must be integer` },
  { rule: 'kustomize/build', mutate: (t) => { c3(t).workload!.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '', namespace: 'a0042' } }); }, line: 'ERROR kustomize/build manifests/bu0001a0042-03/workload/kustomization.yaml -: kustomize build fails' },
  { rule: 'flux/depends-on', mutate: (t) => { (c3(t).entrypoint![1]!.spec as Record<string, unknown>).dependsOn = [{ name: 'fleet-nope' }]; }, line: 'ERROR flux/depends-on clusters/bu0001a0042-03/kustomization-fleet-workload.yaml Kustomization/flux-system/fleet-workload: dependsOn flux-system/fleet-nope does not exist' },
  { rule: 'flux/cycle', mutate: (t) => { (c3(t).entrypoint![0]!.spec as Record<string, unknown>).dependsOn = [{ name: 'fleet-workload' }]; }, line: 'ERROR flux/cycle clusters/bu0001a0042-03/kustomization-fleet-baseline.yaml Kustomization/flux-system/fleet-baseline: dependsOn cycle flux-system/fleet-baseline → flux-system/fleet-workload → flux-system/fleet-baseline' },
  { rule: 'flux/path', mutate: (t) => { (c3(t).entrypoint![1]!.spec as Record<string, unknown>).path = './manifests/bu0001a0042-03/missing'; }, line: 'ERROR flux/path clusters/bu0001a0042-03/kustomization-fleet-workload.yaml Kustomization/flux-system/fleet-workload: path ./manifests/bu0001a0042-03/missing has no kustomization.yaml' },
  { rule: 'flux/source-ref', mutate: (t) => { (c3(t).entrypoint![0]!.spec as Record<string, unknown>).sourceRef = { kind: 'GitRepository', name: 'flux-system' }; }, line: 'ERROR flux/source-ref clusters/bu0001a0042-03/kustomization-fleet-baseline.yaml Kustomization/flux-system/fleet-baseline: sourceRef GitRepository/flux-system/flux-system is not the bootstrap GitRepository' },
  { rule: 'flux/duplicate-object', mutate: (t) => { c3(t).workload!.push(structuredClone(c3(t).baseline![1]!)); }, line: 'ERROR flux/duplicate-object manifests/bu0001a0042-03/workload/networkpolicy-default-deny-all.yaml NetworkPolicy/a0042/default-deny-all: also emitted in manifests/bu0001a0042-03/baseline/networkpolicy-default-deny-all.yaml' },
  { rule: 'flux/crd-provided', mutate: (t) => { c3(t).workload!.push({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'gzip', namespace: 'a0042' } }); }, line: 'ERROR flux/crd-provided manifests/bu0001a0042-03/workload/middleware-gzip.yaml Middleware/a0042/gzip: no CRD for traefik.io/Middleware' },
  { rule: 'fleet/clusters-match-model', mutate: (t) => { t['bu0001a0042-99'] = validCluster('bu0001a0042-99'); }, line: 'ERROR fleet/clusters-match-model manifests/bu0001a0042-99 -: cluster bu0001a0042-99 is not in the fleet model' },
  { rule: 'fleet/every-layer', mutate: (t) => { t['bu0001a0042-04']!.policy = []; }, line: 'ERROR fleet/every-layer manifests/bu0001a0042-03 -: layer policy is missing' },
  { rule: 'fleet/unique-hosts', mutate: (t) => { c3(t).workload!.push({ ...structuredClone(c3(t).workload![2]!), metadata: { name: 'web2', namespace: 'a0042' } }); }, line: 'ERROR fleet/unique-hosts manifests/bu0001a0042-03/workload/ingress-web2.yaml Ingress/a0042/web2: host app.example.com/ is also claimed by Ingress/a0042/web' },
  { rule: 'security/no-secret', mutate: (t) => { c3(t).workload!.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'a0042' } }); }, line: 'ERROR security/no-secret manifests/bu0001a0042-03/workload/secret-db.yaml Secret/a0042/db: Secret objects must not be committed' },
  { rule: 'security/credential-data', mutate: (t) => { c3(t).workload!.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'a0042' }, data: { DB_PASSWORD: 'hunter2' } }); }, line: 'ERROR security/credential-data manifests/bu0001a0042-03/workload/configmap-cfg.yaml ConfigMap/a0042/cfg: data.DB_PASSWORD looks like a credential' },
  { rule: 'security/image-registry', mutate: (t) => { container(t).image = 'docker.io/library/traefik:v3.5.0'; }, line: `ERROR security/image-registry ${DEP}: container web: image docker.io/library/traefik:v3.5.0 is not from acraksbu0001a0042.azurecr.io or mcr.microsoft.com` },
  { rule: 'security/image-pinned', mutate: (t) => { container(t).image = 'mcr.microsoft.com/dotnet/samples:latest'; }, line: `ERROR security/image-pinned ${DEP}: container web: image mcr.microsoft.com/dotnet/samples:latest uses :latest` },
  { rule: 'security/run-as-non-root', mutate: (t) => { deployment(t).spec.template.spec.securityContext = {}; }, line: `ERROR security/run-as-non-root ${DEP}: container web: does not set runAsNonRoot: true` },
  { rule: 'security/no-privilege-escalation', mutate: (t) => { container(t).securityContext.allowPrivilegeEscalation = true; }, line: `ERROR security/no-privilege-escalation ${DEP}: container web: allows privilege escalation` },
  { rule: 'security/drop-capabilities', mutate: (t) => { container(t).securityContext.capabilities = { drop: ['NET_RAW'] }; }, line: `ERROR security/drop-capabilities ${DEP}: container web: does not drop ALL capabilities` },
  { rule: 'security/read-only-root-fs', mutate: (t) => { container(t).securityContext.readOnlyRootFilesystem = false; }, line: `ERROR security/read-only-root-fs ${DEP}: container web: root file system is writable` },
  { rule: 'security/resources', mutate: (t) => { container(t).resources.limits.memory = '1Gi'; }, line: `ERROR security/resources ${DEP}: container web: limits cpu=100m memory=1Gi exceed the policy maxima (1 cores, 512Mi)` },
  { rule: 'security/default-deny', mutate: (t) => { c3(t).baseline!.pop(); }, line: 'ERROR security/default-deny manifests/bu0001a0042-03/workload/deployment-web.yaml Namespace//a0042: namespace a0042 runs pods but has no default-deny NetworkPolicy' },
  { rule: 'security/psa-restricted', mutate: (t) => { (c3(t).baseline![0]!.metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce'] = 'baseline'; }, line: 'ERROR security/psa-restricted manifests/bu0001a0042-03/workload/deployment-web.yaml Namespace//a0042: namespace a0042 runs pods but does not enforce the restricted Pod Security level' },
  { rule: 'security/internal-load-balancer', mutate: (t) => { (c3(t).workload![1]!.metadata as { annotations?: unknown }).annotations = {}; }, line: 'ERROR security/internal-load-balancer manifests/bu0001a0042-03/workload/service-ilb.yaml Service/a0042/ilb: LoadBalancer Service is not internal' },
  { rule: 'security/ingress-tls', mutate: (t) => { delete (c3(t).workload![2]!.spec as Record<string, unknown>).tls; }, line: 'ERROR security/ingress-tls manifests/bu0001a0042-03/workload/ingress-web.yaml Ingress/a0042/web: Ingress has no spec.tls' },
  { rule: 'api/deprecated', mutate: (t) => { c3(t).workload!.push({ apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'a0042' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4 } }); }, line: 'ERROR api/deprecated manifests/bu0001a0042-03/workload/horizontalpodautoscaler-web.yaml HorizontalPodAutoscaler/a0042/web: autoscaling/v2beta2 HorizontalPodAutoscaler is removed on Kubernetes 1.30' },
];

describe('fleet validate rules', () => {
  it('finds nothing in a valid tree (positive control)', async () => {
    expect(await run()).toStrictEqual([]);
  });

  it('every rule has a failing fixture', () => {
    const covered = new Set([...FIXTURES.map((f) => f.rule), 'schema/yaml', 'infrastructure/schema', 'fleet/frontdoor-origins', 'fleet/acr-replicas']);
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toStrictEqual([]);
  });

  it.each(FIXTURES)('fails $rule with the documented line', async ({ rule, mutate, line }) => {
    const findings = await run(mutate);
    expect(findings.some((f) => f.startsWith(line)), `expected a line starting with\n  ${line}\ngot\n  ${findings.join('\n  ')}`).toBe(true);
    expect(findings.every((f) => / — \S/.test(f)), 'every finding says how to fix it').toBe(true);
    expect(findings.filter((f) => f.includes(` ${rule} `)).length).toBeGreaterThan(0);
  });

  it('fails schema/yaml on a file that does not parse', async () => {
    const root = writeTree(Object.fromEntries(CLUSTERS.map((c) => [c, validCluster(c)])));
    writeFileSync(path.join(root, 'manifests/bu0001a0042-03/workload/broken.yaml'), 'a: [1,\n');
    const { fleet } = loadFleet();
    const findings = (await validate({ root, fleet, clusters: readClusterTrees(root), kustomize: KUSTOMIZE, policy: defaultContainerPolicy('acraksbu0001a0042'), exceptions: [] })).findings.map(formatFinding);
    expect(findings.some((f) => f.startsWith('ERROR schema/yaml manifests/bu0001a0042-03/workload/broken.yaml -: not valid YAML'))).toBe(true);
  });

  it('honours an exception declared with a reason', async () => {
    const tree: Tree = Object.fromEntries(CLUSTERS.map((c) => [c, validCluster(c)]));
    container(tree).securityContext.readOnlyRootFilesystem = false;
    const root = writeTree(tree);
    const { fleet } = loadFleet();
    const base = { root, fleet, clusters: readClusterTrees(root), kustomize: KUSTOMIZE, policy: defaultContainerPolicy('acraksbu0001a0042') };
    expect((await validate({ ...base, exceptions: [] })).findings).toHaveLength(1);
    expect((await validate({ ...base, exceptions: [{ rule: 'security/read-only-root-fs', namespace: 'a0042', name: 'web', reason: 'writes its cache to /app' }] })).findings).toStrictEqual([]);
  });
});

describe('infrastructure rules', () => {
  const { fleet } = loadFleet();
  const template = (file: string) => JSON.parse(readFileSync(path.join(REPO, file), 'utf8')) as { resources: Array<{ type: string; location?: string }> };
  async function runInfra(mutate: (t: Map<string, ReturnType<typeof template>>) => void, problems: readonly string[] = []): Promise<string[]> {
    const templates = new Map([
      ['infrastructure/frontdoor/template.json', template('infrastructure/frontdoor/template.json')],
      ['infrastructure/shared/template.json', template('infrastructure/shared/template.json')],
    ]);
    mutate(templates);
    const root = writeTree(Object.fromEntries(CLUSTERS.map((c) => [c, validCluster(c)])));
    const context = { root, fleet, clusters: readClusterTrees(root), kustomize: KUSTOMIZE, policy: defaultContainerPolicy('acraksbu0001a0042'), exceptions: [] };
    return (await validate({ ...context, infrastructure: { templates, validateTemplate: () => problems } })).findings.map(formatFinding);
  }

  it('finds nothing in the committed infrastructure (positive control)', async () => {
    expect(await runInfra(() => {})).toStrictEqual([]);
  });

  it('fails fleet/frontdoor-origins when a cluster has no origin', async () => {
    const findings = await runInfra((t) => {
      const frontdoor = t.get('infrastructure/frontdoor/template.json')!;
      frontdoor.resources = frontdoor.resources.filter((r) => !JSON.stringify(r).includes('bu0001a0042-04'));
    });
    expect(findings.some((f) => /^ERROR fleet\/frontdoor-origins infrastructure\/frontdoor\/template\.json -: no Front Door origin for agw-bu0001a0042-04-[0-9a-f]+\.centralus\.cloudapp\.azure\.com/.test(f)), findings.join('\n')).toBe(true);
  });

  it('fails fleet/acr-replicas when a replica is in the wrong region', async () => {
    const findings = await runInfra((t) => {
      const replica = t.get('infrastructure/shared/template.json')!.resources.find((r) => r.type === 'Microsoft.ContainerRegistry/registries/replications')!;
      replica.location = 'westus3';
    });
    expect(findings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ERROR fleet\/acr-replicas infrastructure\/shared\/template\.json -: no ACR replica in centralus/),
      expect.stringMatching(/^ERROR fleet\/acr-replicas infrastructure\/shared\/template\.json -: ACR replica in westus3/),
    ]));
  });

  it('fails infrastructure/schema with each problem the ARM schema check reports', async () => {
    const findings = await runInfra(() => {}, ['resources[0].properties.networkPlugInMode: unknown property']);
    expect(findings).toContain('ERROR infrastructure/schema infrastructure/frontdoor/template.json -: resources[0].properties.networkPlugInMode: unknown property — fix the infra lib builder that emits it and re-synthesize');
  });
});
