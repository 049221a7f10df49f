import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet } from '@aks-fleet/fleet';
import { toYaml, type KubernetesObject } from '@aks-fleet/synth';
import { kustomizeLocation } from '@aks-fleet/util';
import { afterEach, describe, expect, it } from 'vitest';
import { formatFinding } from './finding.ts';
import { readClusterTrees, readWorkingTree } from './tree.ts';
import { deployRules } from './rules/deploy/index.ts';
import { RULES } from './rules/index.ts';
import { defaultContainerPolicy, validate } from './validate.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const KUSTOMIZE = kustomizeLocation(REPO);
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
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny-all', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
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
              securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
              automountServiceAccountToken: false,
              containers: [
                {
                  name: 'web',
                  image: 'mcr.microsoft.com/dotnet/samples:aspnetapp-9.0',
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ['ALL'] },
                  },
                  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '100m', memory: '256Mi' } },
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'ilb',
          namespace: ns,
          annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
        },
        spec: { type: 'LoadBalancer', ports: [{ port: 443 }] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: ns },
        spec: {
          tls: [{ hosts: ['app.example.com'] }],
          rules: [
            {
              host: 'app.example.com',
              http: {
                paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
              },
            },
          ],
        },
      },
    ],
    // Every layer of the real list has its folder (empty ones too): fleet/every-layer reads LAYERS.
    policy: [],
    ingress: [],
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
  const kustomization = (resources: string[]) =>
    toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
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
  const result = await validate({
    root,
    fleet,
    clusters: readClusterTrees(root),
    kustomize: KUSTOMIZE,
    policy: defaultContainerPolicy('acraksbu0001a0042'),
    exceptions: [],
  });
  return result.findings.map(formatFinding);
}

const c3 = (tree: Tree) => tree['bu0001a0042-03']!;
const deployment = (tree: Tree) =>
  c3(tree).workload![0]! as {
    spec: {
      template: { spec: { containers: Array<Record<string, unknown>>; securityContext: Record<string, unknown> } };
    };
  } & KubernetesObject;
const container = (tree: Tree) =>
  deployment(tree).spec.template.spec.containers[0]! as {
    securityContext: Record<string, unknown>;
    resources: { limits: Record<string, string> };
    image: string;
    ports?: unknown;
    readinessProbe?: unknown;
  };
const podSpec = (tree: Tree) => deployment(tree).spec.template.spec as Record<string, unknown>;
const podSecurity = (tree: Tree) => deployment(tree).spec.template.spec.securityContext;
const DEP = 'manifests/bu0001a0042-03/workload/deployment-web.yaml Deployment/a0042/web';

/** Each rule: a fixture that breaks it, and the exact line (prefix) it must produce. */
const FIXTURES: ReadonlyArray<{ rule: string; mutate: (tree: Tree) => void; line: string }> = [
  {
    rule: 'schema/object',
    mutate: (t) => {
      (deployment(t).spec as Record<string, unknown>).replicas = 'three';
    },
    line: `ERROR schema/object ${DEP}: schema: data/spec/replicas must be integer`,
  },
  {
    rule: 'kustomize/build',
    mutate: (t) => {
      c3(t).workload!.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '', namespace: 'a0042' } });
    },
    line: 'ERROR kustomize/build manifests/bu0001a0042-03/workload/kustomization.yaml -: kustomize build fails',
  },
  {
    rule: 'flux/depends-on',
    mutate: (t) => {
      (c3(t).entrypoint![1]!.spec as Record<string, unknown>).dependsOn = [{ name: 'fleet-nope' }];
    },
    line: 'ERROR flux/depends-on clusters/bu0001a0042-03/kustomization-fleet-workload.yaml Kustomization/flux-system/fleet-workload: dependsOn flux-system/fleet-nope does not exist',
  },
  {
    rule: 'flux/cycle',
    mutate: (t) => {
      (c3(t).entrypoint![0]!.spec as Record<string, unknown>).dependsOn = [{ name: 'fleet-workload' }];
    },
    line: 'ERROR flux/cycle clusters/bu0001a0042-03/kustomization-fleet-baseline.yaml Kustomization/flux-system/fleet-baseline: dependsOn cycle flux-system/fleet-baseline → flux-system/fleet-workload → flux-system/fleet-baseline',
  },
  {
    rule: 'flux/path',
    mutate: (t) => {
      (c3(t).entrypoint![1]!.spec as Record<string, unknown>).path = './manifests/bu0001a0042-03/missing';
    },
    line: 'ERROR flux/path clusters/bu0001a0042-03/kustomization-fleet-workload.yaml Kustomization/flux-system/fleet-workload: path ./manifests/bu0001a0042-03/missing has no kustomization.yaml',
  },
  {
    rule: 'flux/source-ref',
    mutate: (t) => {
      (c3(t).entrypoint![0]!.spec as Record<string, unknown>).sourceRef = {
        kind: 'GitRepository',
        name: 'flux-system',
      };
    },
    line: 'ERROR flux/source-ref clusters/bu0001a0042-03/kustomization-fleet-baseline.yaml Kustomization/flux-system/fleet-baseline: sourceRef GitRepository/flux-system/flux-system is not the bootstrap GitRepository',
  },
  {
    rule: 'flux/duplicate-object',
    mutate: (t) => {
      c3(t).workload!.push(structuredClone(c3(t).baseline![1]!));
    },
    line: 'ERROR flux/duplicate-object manifests/bu0001a0042-03/workload/networkpolicy-default-deny-all.yaml NetworkPolicy/a0042/default-deny-all: also emitted in manifests/bu0001a0042-03/baseline/networkpolicy-default-deny-all.yaml',
  },
  {
    rule: 'flux/crd-provided',
    mutate: (t) => {
      c3(t).workload!.push({
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'gzip', namespace: 'a0042' },
      });
    },
    line: 'ERROR flux/crd-provided manifests/bu0001a0042-03/workload/middleware-gzip.yaml Middleware/a0042/gzip: no CRD for traefik.io/Middleware',
  },
  {
    rule: 'fleet/clusters-match-model',
    mutate: (t) => {
      t['bu0001a0042-99'] = validCluster('bu0001a0042-99');
    },
    line: 'ERROR fleet/clusters-match-model manifests/bu0001a0042-99 -: cluster bu0001a0042-99 is not in the fleet model',
  },
  {
    rule: 'fleet/every-layer',
    mutate: (t) => {
      delete t['bu0001a0042-04']!.policy;
    },
    line: 'ERROR fleet/every-layer manifests/bu0001a0042-04 -: layer policy is missing',
  },
  {
    rule: 'fleet/unique-hosts',
    mutate: (t) => {
      c3(t).workload!.push({ ...structuredClone(c3(t).workload![2]!), metadata: { name: 'web2', namespace: 'a0042' } });
    },
    line: 'ERROR fleet/unique-hosts manifests/bu0001a0042-03/workload/ingress-web2.yaml Ingress/a0042/web2: host app.example.com/ is also claimed by Ingress/a0042/web',
  },
  {
    rule: 'security/no-secret',
    mutate: (t) => {
      c3(t).workload!.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'a0042' } });
    },
    line: 'ERROR security/no-secret manifests/bu0001a0042-03/workload/secret-db.yaml Secret/a0042/db: Secret objects must not be committed',
  },
  {
    rule: 'security/credential-data',
    mutate: (t) => {
      c3(t).workload!.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cfg', namespace: 'a0042' },
        data: { DB_PASSWORD: 'hunter2' },
      });
    },
    line: 'ERROR security/credential-data manifests/bu0001a0042-03/workload/configmap-cfg.yaml ConfigMap/a0042/cfg: data.DB_PASSWORD looks like a credential',
  },
  {
    rule: 'security/image-registry',
    mutate: (t) => {
      container(t).image = 'docker.io/library/traefik:v3.5.0';
    },
    line: `ERROR security/image-registry ${DEP}: container web: image docker.io/library/traefik:v3.5.0 is not from acraksbu0001a0042.azurecr.io or mcr.microsoft.com`,
  },
  {
    rule: 'security/image-pinned',
    mutate: (t) => {
      container(t).image = 'mcr.microsoft.com/dotnet/samples:latest';
    },
    line: `ERROR security/image-pinned ${DEP}: container web: image mcr.microsoft.com/dotnet/samples:latest uses :latest`,
  },
  {
    rule: 'security/pss-baseline-host-process',
    mutate: (t) => {
      podSecurity(t).windowsOptions = { hostProcess: true };
    },
    line: `ERROR security/pss-baseline-host-process ${DEP}: spec.template.spec.securityContext.windowsOptions.hostProcess is true; baseline allows false or unset`,
  },
  {
    rule: 'security/pss-baseline-host-namespaces',
    mutate: (t) => {
      podSpec(t).hostNetwork = true;
    },
    line: `ERROR security/pss-baseline-host-namespaces ${DEP}: spec.template.spec.hostNetwork is true; baseline allows false or unset — fix: remove spec.template.spec.hostNetwork`,
  },
  {
    rule: 'security/pss-baseline-privileged',
    mutate: (t) => {
      container(t).securityContext.privileged = true;
    },
    line: `ERROR security/pss-baseline-privileged ${DEP}: container web: spec.template.spec.containers[0].securityContext.privileged is true; baseline allows false or unset — fix: remove spec.template.spec.containers[0].securityContext.privileged`,
  },
  {
    rule: 'security/pss-baseline-capabilities',
    mutate: (t) => {
      container(t).securityContext.capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] };
    },
    line: `ERROR security/pss-baseline-capabilities ${DEP}: container web: spec.template.spec.containers[0].securityContext.capabilities.add is ["SYS_ADMIN"]; baseline allows only AUDIT_WRITE`,
  },
  {
    rule: 'security/pss-baseline-host-path',
    mutate: (t) => {
      podSpec(t).volumes = [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }];
    },
    line: `ERROR security/pss-baseline-host-path ${DEP}: spec.template.spec.volumes[0].hostPath is {"path":"/var/run/docker.sock"}; baseline allows no hostPath volume — fix: replace volume docker`,
  },
  {
    rule: 'security/pss-baseline-host-ports',
    mutate: (t) => {
      container(t).ports = [{ containerPort: 8080, hostPort: 8080 }];
    },
    line: `ERROR security/pss-baseline-host-ports ${DEP}: container web: spec.template.spec.containers[0].ports[0].hostPort is 8080; baseline allows 0 or unset`,
  },
  {
    rule: 'security/pss-baseline-host-probes',
    mutate: (t) => {
      container(t).readinessProbe = { httpGet: { host: '169.254.169.254', path: '/metadata', port: 80 } };
    },
    line: `ERROR security/pss-baseline-host-probes ${DEP}: container web: spec.template.spec.containers[0].readinessProbe.httpGet.host is "169.254.169.254"; baseline allows unset or ""`,
  },
  {
    rule: 'security/pss-baseline-apparmor',
    mutate: (t) => {
      container(t).securityContext.appArmorProfile = { type: 'Unconfined' };
    },
    line: `ERROR security/pss-baseline-apparmor ${DEP}: container web: spec.template.spec.containers[0].securityContext.appArmorProfile.type is "Unconfined"; baseline allows RuntimeDefault or Localhost or unset`,
  },
  {
    rule: 'security/pss-baseline-selinux',
    mutate: (t) => {
      podSecurity(t).seLinuxOptions = { type: 'spc_t' };
    },
    line: `ERROR security/pss-baseline-selinux ${DEP}: spec.template.spec.securityContext.seLinuxOptions.type is "spc_t"; baseline allows container_t`,
  },
  {
    rule: 'security/pss-baseline-proc-mount',
    mutate: (t) => {
      container(t).securityContext.procMount = 'Unmasked';
    },
    line: `ERROR security/pss-baseline-proc-mount ${DEP}: container web: spec.template.spec.containers[0].securityContext.procMount is "Unmasked"; baseline allows Default or unset`,
  },
  {
    rule: 'security/pss-baseline-seccomp',
    mutate: (t) => {
      container(t).securityContext.seccompProfile = { type: 'Unconfined' };
    },
    line: `ERROR security/pss-baseline-seccomp ${DEP}: container web: spec.template.spec.containers[0].securityContext.seccompProfile.type is "Unconfined"; baseline allows RuntimeDefault or Localhost or unset`,
  },
  {
    rule: 'security/pss-baseline-sysctls',
    mutate: (t) => {
      podSecurity(t).sysctls = [{ name: 'kernel.msgmax', value: '65536' }];
    },
    line: `ERROR security/pss-baseline-sysctls ${DEP}: spec.template.spec.securityContext.sysctls[0].name is "kernel.msgmax"; baseline allows only kernel.shm_rmid_forced`,
  },
  {
    rule: 'security/pss-restricted-volume-types',
    mutate: (t) => {
      podSpec(t).volumes = [{ name: 'share', nfs: { server: '10.240.0.4', path: '/' } }];
    },
    line: `ERROR security/pss-restricted-volume-types ${DEP}: spec.template.spec.volumes[0].nfs is {"path":"/","server":"10.240.0.4"}; restricted allows only configMap`,
  },
  {
    rule: 'security/pss-restricted-privilege-escalation',
    mutate: (t) => {
      container(t).securityContext.allowPrivilegeEscalation = true;
    },
    line: `ERROR security/pss-restricted-privilege-escalation ${DEP}: container web: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation is true; restricted allows false — fix: change spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation to false`,
  },
  {
    rule: 'security/pss-restricted-run-as-non-root',
    mutate: (t) => {
      delete podSecurity(t).runAsNonRoot;
    },
    line: `ERROR security/pss-restricted-run-as-non-root ${DEP}: container web: spec.template.spec.securityContext.runAsNonRoot is unset; restricted allows true — fix: add spec.template.spec.securityContext.runAsNonRoot: true`,
  },
  {
    rule: 'security/pss-restricted-run-as-user',
    mutate: (t) => {
      podSecurity(t).runAsUser = 0;
    },
    line: `ERROR security/pss-restricted-run-as-user ${DEP}: spec.template.spec.securityContext.runAsUser is 0; restricted allows a non-zero UID or unset`,
  },
  {
    rule: 'security/pss-restricted-seccomp',
    mutate: (t) => {
      delete podSecurity(t).seccompProfile;
    },
    line: `ERROR security/pss-restricted-seccomp ${DEP}: container web: spec.template.spec.securityContext.seccompProfile.type is unset; restricted allows RuntimeDefault or Localhost — fix: add spec.template.spec.securityContext.seccompProfile.type: RuntimeDefault`,
  },
  {
    rule: 'security/pss-restricted-capabilities',
    mutate: (t) => {
      container(t).securityContext.capabilities = { drop: ['NET_RAW'] };
    },
    line: `ERROR security/pss-restricted-capabilities ${DEP}: container web: spec.template.spec.containers[0].securityContext.capabilities.drop is ["NET_RAW"]; restricted allows a list containing ALL — fix: add ALL to spec.template.spec.containers[0].securityContext.capabilities.drop`,
  },
  {
    rule: 'security/rbac-escalation',
    mutate: (t) => {
      c3(t).workload!.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'everyone-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
      });
    },
    line: 'ERROR security/rbac-escalation manifests/bu0001a0042-03/workload/clusterrolebinding-everyone-admin.yaml ClusterRoleBinding//everyone-admin: subjects[0] Group system:authenticated (everyone in it) is bound to ClusterRole cluster-admin (cluster-admin)',
  },
  {
    rule: 'security/node-port',
    mutate: (t) => {
      c3(t).workload!.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'debug', namespace: 'a0042' },
        spec: { type: 'NodePort', ports: [{ port: 8080 }] },
      });
    },
    line: 'ERROR security/node-port manifests/bu0001a0042-03/workload/service-debug.yaml Service/a0042/debug: spec.type is "NodePort" — fix: change spec.type to ClusterIP',
  },
  {
    rule: 'security/external-ips',
    mutate: (t) => {
      c3(t).workload!.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'claim', namespace: 'a0042' },
        spec: { externalIPs: ['10.240.4.10'], ports: [{ port: 443 }] },
      });
    },
    line: 'ERROR security/external-ips manifests/bu0001a0042-03/workload/service-claim.yaml Service/a0042/claim: spec.externalIPs is ["10.240.4.10"] — fix: remove spec.externalIPs',
  },
  {
    rule: 'security/service-account-token',
    mutate: (t) => {
      podSpec(t).automountServiceAccountToken = true;
    },
    line: `ERROR security/service-account-token ${DEP}: spec.template.spec.automountServiceAccountToken is true — fix: change spec.template.spec.automountServiceAccountToken to false`,
  },
  {
    rule: 'security/read-only-root-fs',
    mutate: (t) => {
      container(t).securityContext.readOnlyRootFilesystem = false;
    },
    line: `ERROR security/read-only-root-fs ${DEP}: container web: root file system is writable`,
  },
  {
    rule: 'security/resources',
    mutate: (t) => {
      container(t).resources.limits.memory = '1Gi';
    },
    line: `ERROR security/resources ${DEP}: container web: limits cpu=100m memory=1Gi exceed the policy maxima (1 cores, 512Mi)`,
  },
  {
    rule: 'security/default-deny',
    mutate: (t) => {
      c3(t).baseline!.pop();
    },
    line: 'ERROR security/default-deny manifests/bu0001a0042-03/workload/deployment-web.yaml Namespace//a0042: namespace a0042 runs pods but has no default-deny NetworkPolicy',
  },
  {
    rule: 'security/psa-restricted',
    mutate: (t) => {
      (c3(t).baseline![0]!.metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce'] =
        'baseline';
    },
    line: 'ERROR security/psa-restricted manifests/bu0001a0042-03/workload/deployment-web.yaml Namespace//a0042: namespace a0042 runs pods but does not enforce the restricted Pod Security level',
  },
  {
    rule: 'security/internal-load-balancer',
    mutate: (t) => {
      (c3(t).workload![1]!.metadata as { annotations?: unknown }).annotations = {};
    },
    line: 'ERROR security/internal-load-balancer manifests/bu0001a0042-03/workload/service-ilb.yaml Service/a0042/ilb: LoadBalancer Service is not internal',
  },
  {
    rule: 'security/ingress-tls',
    mutate: (t) => {
      delete (c3(t).workload![2]!.spec as Record<string, unknown>).tls;
    },
    line: 'ERROR security/ingress-tls manifests/bu0001a0042-03/workload/ingress-web.yaml Ingress/a0042/web: Ingress has no spec.tls',
  },
  {
    rule: 'api/deprecated',
    mutate: (t) => {
      c3(t).workload!.push({
        apiVersion: 'autoscaling/v2beta2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: 'a0042' },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4 },
      });
    },
    line: 'ERROR api/deprecated manifests/bu0001a0042-03/workload/horizontalpodautoscaler-web.yaml HorizontalPodAutoscaler/a0042/web: autoscaling/v2beta2 HorizontalPodAutoscaler is removed on Kubernetes 1.35',
  },
];

describe('fleet validate rules', () => {
  it('finds nothing in a valid tree (positive control)', async () => {
    expect(await run()).toStrictEqual([]);
  });

  it('every rule has a failing fixture', () => {
    // deploy/* rules run on the whole synthesized fleet; rules/deploy/deploy-rules.test.ts holds (and checks) their fixtures.
    const covered = new Set([
      ...FIXTURES.map((f) => f.rule),
      'schema/yaml',
      'infrastructure/schema',
      'fleet/frontdoor-origins',
      'fleet/acr-replicas',
      ...deployRules.map((r) => r.id),
      'deploy/key-vault-objects',
    ]);
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toStrictEqual([]);
  });

  it.each(FIXTURES)('fails $rule with the documented line', async ({ rule, mutate, line }) => {
    const findings = await run(mutate);
    expect(
      findings.some((f) => f.startsWith(line)),
      `expected a line starting with\n  ${line}\ngot\n  ${findings.join('\n  ')}`,
    ).toBe(true);
    expect(
      findings.every((f) => / — fix: \S/.test(f)),
      'every finding says how to fix it',
    ).toBe(true);
    expect(findings.filter((f) => f.includes(` ${rule} `)).length).toBeGreaterThan(0);
  });

  it('fleet/every-layer reads the real layer list: a layer no cluster has is still missing', async () => {
    const findings = await run((t) => {
      for (const cluster of CLUSTERS) delete t[cluster]!.ingress;
    });
    expect(findings.filter((f) => f.includes('fleet/every-layer'))).toStrictEqual(
      CLUSTERS.map(
        (c) =>
          `ERROR fleet/every-layer manifests/${c} -: layer ingress is missing — fix: synthesize every cluster from the same layer charts`,
      ),
    );
  });

  it('fails schema/yaml on a file that does not parse', async () => {
    const root = writeTree(Object.fromEntries(CLUSTERS.map((c) => [c, validCluster(c)])));
    writeFileSync(path.join(root, 'manifests/bu0001a0042-03/workload/broken.yaml'), 'a: [1,\n');
    const { fleet } = loadFleet();
    const findings = (
      await validate({
        root,
        fleet,
        clusters: readClusterTrees(root),
        kustomize: KUSTOMIZE,
        policy: defaultContainerPolicy('acraksbu0001a0042'),
        exceptions: [],
      })
    ).findings.map(formatFinding);
    expect(
      findings.some((f) =>
        f.startsWith('ERROR schema/yaml manifests/bu0001a0042-03/workload/broken.yaml -: not valid YAML'),
      ),
    ).toBe(true);
  });

  it('reads regular files only (regression: a FIFO in the tree blocked validate forever)', () => {
    const root = writeTree(Object.fromEntries(CLUSTERS.map((c) => [c, validCluster(c)])));
    execFileSync('mkfifo', [path.join(root, 'manifests/bu0001a0042-03/workload/pipe.yaml')]);
    const files = readWorkingTree(root);
    expect(files.has('manifests/bu0001a0042-03/workload/kustomization.yaml')).toBe(true);
    expect(files.has('manifests/bu0001a0042-03/workload/pipe.yaml')).toBe(false);
  });

  it('kustomize/build: builds run in batches of clusters, and exactly the broken folders are named', async () => {
    // GIVEN 30 copies of a valid cluster (two batches), two of them broken in different batches
    const names = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const tree: Tree = Object.fromEntries(names.map((c) => [c, validCluster(c)]));
    const brokenName = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '', namespace: 'a0042' } };
    tree.c03!.workload!.push(brokenName);
    tree.c27!.baseline!.push(brokenName);
    const root = writeTree(tree);
    // WHEN only the kustomize rule runs
    const rules = RULES.filter((r) => r.id === 'kustomize/build');
    const { fleet } = loadFleet();
    const context = { root, fleet, clusters: readClusterTrees(root), kustomize: KUSTOMIZE, exceptions: [] };
    const policy = defaultContainerPolicy('acraksbu0001a0042');
    const findings = (await validate({ ...context, policy }, rules)).findings;
    // THEN each broken folder (and the cluster folder listing it), with kustomize's reason, and nothing else
    expect(findings.map((f) => f.file)).toStrictEqual([
      'manifests/c03/kustomization.yaml',
      'manifests/c03/workload/kustomization.yaml',
      'manifests/c27/baseline/kustomization.yaml',
      'manifests/c27/kustomization.yaml',
    ]);
    for (const finding of findings) expect(finding.message).toMatch(/^kustomize build fails: .+/);
  });

  it('honours an exception declared with a reason', async () => {
    const tree: Tree = Object.fromEntries(CLUSTERS.map((c) => [c, validCluster(c)]));
    container(tree).securityContext.readOnlyRootFilesystem = false;
    const root = writeTree(tree);
    const { fleet } = loadFleet();
    const base = {
      root,
      fleet,
      clusters: readClusterTrees(root),
      kustomize: KUSTOMIZE,
      policy: defaultContainerPolicy('acraksbu0001a0042'),
    };
    expect((await validate({ ...base, exceptions: [] })).findings).toHaveLength(1);
    expect(
      (
        await validate({
          ...base,
          exceptions: [
            { rule: 'security/read-only-root-fs', namespace: 'a0042', name: 'web', reason: 'writes its cache to /app' },
          ],
        })
      ).findings,
    ).toStrictEqual([]);
  });
});

describe('infrastructure rules', () => {
  const { fleet } = loadFleet();
  const template = (file: string) =>
    JSON.parse(readFileSync(path.join(REPO, file), 'utf8')) as {
      resources: Array<{ type: string; location?: string }>;
    };
  async function runInfra(
    mutate: (t: Map<string, ReturnType<typeof template>>) => void,
    problems: readonly string[] = [],
  ): Promise<string[]> {
    const templates = new Map([
      ['infrastructure/frontdoor/template.json', template('infrastructure/frontdoor/template.json')],
      ['infrastructure/shared/template.json', template('infrastructure/shared/template.json')],
    ]);
    mutate(templates);
    const root = writeTree(Object.fromEntries(CLUSTERS.map((c) => [c, validCluster(c)])));
    const context = {
      root,
      fleet,
      clusters: readClusterTrees(root),
      kustomize: KUSTOMIZE,
      policy: defaultContainerPolicy('acraksbu0001a0042'),
      exceptions: [],
    };
    // Two templates only, on a synthetic tree: the deploy/* rules (whole-fleet) have their own fixtures.
    const rules = RULES.filter((r) => !r.id.startsWith('deploy/'));
    return (
      await validate({ ...context, infrastructure: { templates, validateTemplate: () => problems } }, rules)
    ).findings.map(formatFinding);
  }

  it('finds nothing in the committed infrastructure (positive control)', async () => {
    expect(await runInfra(() => {})).toStrictEqual([]);
  });

  it('fails fleet/frontdoor-origins when a cluster has no origin', async () => {
    const findings = await runInfra((t) => {
      const frontdoor = t.get('infrastructure/frontdoor/template.json')!;
      frontdoor.resources = frontdoor.resources.filter((r) => !JSON.stringify(r).includes('bu0001a0042-04'));
    });
    expect(
      findings.some((f) =>
        /^ERROR fleet\/frontdoor-origins infrastructure\/frontdoor\/template\.json -: no Front Door origin for agw-bu0001a0042-04-[0-9a-f]+\.centralus\.cloudapp\.azure\.com/.test(
          f,
        ),
      ),
      findings.join('\n'),
    ).toBe(true);
  });

  it('fails fleet/acr-replicas when a replica is in the wrong region', async () => {
    const findings = await runInfra((t) => {
      const replica = t
        .get('infrastructure/shared/template.json')!
        .resources.find((r) => r.type === 'Microsoft.ContainerRegistry/registries/replications')!;
      replica.location = 'westus3';
    });
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ERROR fleet\/acr-replicas infrastructure\/shared\/template\.json -: no ACR replica in centralus/,
        ),
        expect.stringMatching(
          /^ERROR fleet\/acr-replicas infrastructure\/shared\/template\.json -: ACR replica in westus3/,
        ),
      ]),
    );
  });

  it('fails infrastructure/schema with each problem the ARM schema check reports', async () => {
    const findings = await runInfra(() => {}, ['resources[0].properties.networkPlugInMode: unknown property']);
    expect(findings).toContain(
      'ERROR infrastructure/schema infrastructure/frontdoor/template.json -: resources[0].properties.networkPlugInMode: unknown property — fix: correct the infra lib builder that emits it, then re-synthesize',
    );
  });
});

describe('deploy/key-vault-objects', () => {
  const { fleet } = loadFleet();
  const read = (file: string) => JSON.parse(readFileSync(path.join(REPO, file), 'utf8')) as Record<string, unknown>;
  const templateFiles = CLUSTERS.flatMap((c) => [
    `infrastructure/clusters/${c}/key-vault/template.json`,
    `infrastructure/clusters/${c}/stamp/template.json`,
  ]);
  const SPC_FILE = 'manifests/bu0001a0042-03/ingress/secretproviderclass-ingress-tls-key-vault.yaml';

  type Spc = { spec: { parameters: Record<string, string> } };
  /** The committed tree and infrastructure, optionally changed: a real fleet, not a hand-made fixture. */
  async function runDeploy(
    mutate: (change: {
      spc: Spc;
      templates: Map<string, Record<string, unknown>>;
      plan: { steps: Array<Record<string, unknown>> };
    }) => void = () => {},
  ): Promise<string[]> {
    const clusters = readClusterTrees(REPO).map((tree) => ({
      ...tree,
      objects: tree.objects.map((o) => ({ ...o, object: structuredClone(o.object) })),
    }));
    const spc = clusters.flatMap((c) => c.objects).find((o) => o.file === SPC_FILE)!.object as unknown as Spc;
    const templates = new Map(templateFiles.map((f) => [f, read(f)]));
    const plan = read('infrastructure/plan.json') as { steps: Array<Record<string, unknown>> };
    mutate({ spc, templates, plan });
    const rule = RULES.find((r) => r.id === 'deploy/key-vault-objects')!;
    return (
      await rule.check({
        root: REPO,
        fleet,
        clusters,
        policy: defaultContainerPolicy('acraksbu0001a0042'),
        exceptions: [],
        infrastructure: { templates, plan, validateTemplate: () => [] },
      })
    ).map(formatFinding);
  }
  const spcObjects = (spc: Spc, type: string, name = 'traefik-ingress-internal-aks-ingress-tls') =>
    (spc.spec.parameters.objects = `array:\n  - |\n    objectName: ${name}\n    objectType: ${type}\n    objectAlias: tls.pem\n`);
  const LINE = `ERROR deploy/key-vault-objects ${SPC_FILE} SecretProviderClass/traefik-ingress/ingress-tls-key-vault:`;

  it('finds nothing in the committed default fleet (positive control)', async () => {
    expect(await runDeploy()).toStrictEqual([]);
  });

  it('fails the original defect: objectType cert on a name the stamp writes as a plain secret', async () => {
    const findings = await runDeploy(({ spc, templates, plan }) => {
      spcObjects(spc, 'cert');
      for (const step of plan.steps) delete step.importCertificates;
      const keyVault = templates.get('infrastructure/clusters/bu0001a0042-03/key-vault/template.json') as {
        resources: Array<Record<string, unknown>>;
      };
      const vault = String(keyVault.resources.find((r) => r.type === 'Microsoft.KeyVault/vaults')!.name);
      keyVault.resources.push({
        type: 'Microsoft.KeyVault/vaults/secrets',
        apiVersion: '2026-02-01',
        name: `${vault}/traefik-ingress-internal-aks-ingress-tls`,
      });
    });
    expect(findings).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${escape(LINE)} objectType cert "traefik-ingress-internal-aks-ingress-tls": Key Vault kv-bu0001a0042-03-[0-9a-f]+ holds a plain secret .* — fix: import it as a certificate`,
        ),
      ),
    );
    expect(findings).toContainEqual(
      expect.stringMatching(
        /identity mi-aks-bu0001a0042-03-ingress-controller holds no Key Vault role on kv-bu0001a0042-03-[0-9a-f]+ that reads cert objects .* — fix: assign it the least role that reads cert objects \(Key Vault Certificate User\)/,
      ),
    );
  });

  it('fails an object the vault does not hold, and an identity without a reading role', async () => {
    expect(await runDeploy(({ spc }) => spcObjects(spc, 'secret', 'no-such-object'))).toContainEqual(
      expect.stringMatching(
        /objectType secret "no-such-object": Key Vault \S+ holds nothing of that name — fix: create it/,
      ),
    );
    const withoutRole = await runDeploy(({ templates }) => {
      const stamp = templates.get('infrastructure/clusters/bu0001a0042-03/stamp/template.json') as {
        resources: Array<{ type: string; properties?: { principalId?: string } }>;
      };
      stamp.resources = stamp.resources.filter(
        (r) =>
          !(
            r.type === 'Microsoft.Authorization/roleAssignments' &&
            String(r.properties?.principalId).includes('ingress-controller')
          ),
      );
    });
    expect(withoutRole).toContainEqual(
      expect.stringMatching(
        /^ERROR deploy\/key-vault-objects .* identity mi-aks-bu0001a0042-03-ingress-controller holds no Key Vault role on \S+ that reads secret objects \(it holds none\) — fix: assign it Key Vault Secrets User/,
      ),
    );
  });

  it('fails an App Gateway certificate reference its identity cannot read, or that the vault does not hold', async () => {
    const findings = await runDeploy(({ templates }) => {
      const stamp = templates.get('infrastructure/clusters/bu0001a0042-04/stamp/template.json') as {
        resources: Array<{ type: string; properties?: Record<string, unknown> }>;
      };
      stamp.resources = stamp.resources.filter(
        (r) =>
          !(
            r.type === 'Microsoft.Authorization/roleAssignments' &&
            String(r.properties?.principalId).includes('-appgateway')
          ),
      );
      const gateway = stamp.resources.find((r) => r.type === 'Microsoft.Network/applicationGateways')!;
      const listener = (gateway.properties!.sslCertificates as Array<{ properties: { keyVaultSecretId: string } }>)[0]!;
      listener.properties.keyVaultSecretId = listener.properties.keyVaultSecretId.replace(/[^/]+$/, 'missing-cert');
    });
    expect(findings).toContainEqual(
      expect.stringMatching(
        /^ERROR deploy\/key-vault-objects infrastructure\/clusters\/bu0001a0042-04\/stamp\/template\.json ApplicationGateway\/apw-aks-bu0001a0042-04\/sslCertificates\/apw-listener-certificate: keyVaultSecretId https:\/\/kv-bu0001a0042-04-[0-9a-f]+\.vault\.azure\.net\/secrets\/missing-cert: Key Vault \S+ holds nothing of that name/,
      ),
    );
    expect(findings).toContainEqual(
      expect.stringMatching(
        /trustedRootCertificates\/root-cert-ingress: the gateway's identity mi-aks-bu0001a0042-04-appgateway holds no Key Vault role on \S+ that reads secrets — fix: give the gateway/,
      ),
    );
  });

  it('fails a clientID it cannot trace to an identity of the stamp', async () => {
    const findings = await runDeploy(
      ({ spc }) => (spc.spec.parameters.clientID = '00000000-0000-0000-0003-000000000030'),
    );
    expect(findings).toContainEqual(
      expect.stringContaining(
        `${LINE} clientID "00000000-0000-0000-0003-000000000030" is not traceable to a user-assigned identity of the stamp`,
      ),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
