import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { TraefikIngressController, type TraefikIngressControllerProps } from './traefik-ingress-controller.ts';

const BASE: TraefikIngressControllerProps = {
  namespace: 'traefik-ingress',
  image: 'registry.azurecr.io/library/traefik:v3.7.11',
  workloadIdentityClientId: '00000000-0000-0000-0000-000000000030',
  secretProviderClassName: 'ingress-tls',
  watchNamespaces: ['apps'],
  ingressClassName: 'traefik-internal',
  loadBalancer: { ip: '10.243.4.4', subnetName: 'snet-clusteringressservices' },
  clientCidrs: ['10.243.5.0/24'],
  nodeSelector: { 'kubernetes.azure.com/mode': 'user' },
};

type KubeObject = {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
};

function render(props: Partial<TraefikIngressControllerProps> = {}): KubeObject[] {
  const chart = Testing.chart();
  new TraefikIngressController(chart, 'Traefik', { ...BASE, ...props });
  return Testing.synth(chart) as KubeObject[];
}

const find = (objects: KubeObject[], kind: string, namespace?: string) =>
  objects.find((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace))!;

describe('TraefikIngressController', () => {
  it('emits the controller objects, and no Secret and no CRD', () => {
    expect(render().map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toStrictEqual([
      'ServiceAccount/traefik-ingress/traefik-ingress-controller',
      'ClusterRole//traefik-ingress-controller',
      'ClusterRoleBinding//traefik-ingress-controller',
      'Role/apps/traefik-ingress-controller',
      'RoleBinding/apps/traefik-ingress-controller',
      'ConfigMap/traefik-ingress/traefik-ingress-controller',
      'Deployment/traefik-ingress/traefik-ingress-controller',
      'PodDisruptionBudget/traefik-ingress/traefik-ingress-controller',
      'Service/traefik-ingress/traefik-ingress-controller',
      'IngressClass//traefik-internal',
    ]);
  });

  it('annotates the ServiceAccount with the workload identity client id and mounts its API token', () => {
    const objects = render();
    expect(find(objects, 'ServiceAccount').metadata.annotations).toStrictEqual({
      'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000030',
    });
    expect(find(objects, 'Deployment').spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  it('reads cluster-wide only nodes and IngressClasses, and Secrets only in the watched namespaces', () => {
    const objects = render({ watchNamespaces: ['apps', 'more'] });
    expect(find(objects, 'ClusterRole').rules).toStrictEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
    ]);
    for (const namespace of ['apps', 'more']) {
      expect(find(objects, 'Role', namespace).rules).toStrictEqual([
        { apiGroups: [''], resources: ['services', 'secrets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      ]);
      expect(find(objects, 'RoleBinding', namespace).subjects).toStrictEqual([
        { kind: 'ServiceAccount', name: 'traefik-ingress-controller', namespace: 'traefik-ingress' },
      ]);
    }
    const everyRule = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').flatMap((o) => o.rules);
    expect(
      everyRule.every(
        (rule: { verbs: string[] }) =>
          !rule.verbs.includes('*') && !rule.verbs.includes('create') && !rule.verbs.includes('delete'),
      ),
    ).toBe(true);
  });

  it('exposes :8443 as 443 on an internal load balancer with the fixed IP, the subnet and Local traffic policy', () => {
    const service = find(render(), 'Service');
    expect(service.metadata.annotations).toStrictEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': 'snet-clusteringressservices',
      'service.beta.kubernetes.io/azure-load-balancer-ipv4': '10.243.4.4',
    });
    expect(service.spec).toStrictEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: {
        'app.kubernetes.io/name': 'traefik',
        'app.kubernetes.io/instance': 'traefik-ingress-controller',
        'app.kubernetes.io/component': 'ingress-controller',
      },
      ports: [{ name: 'https', port: 443, targetPort: 'websecure', protocol: 'TCP' }],
    });
  });

  it('mounts the certificate through the Secrets Store CSI driver, runs as 65532 and probes /ping', () => {
    const spec = find(render(), 'Deployment').spec.template.spec;
    expect(spec.volumes).toContainEqual({
      name: 'certificates',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        volumeAttributes: { secretProviderClass: 'ingress-tls' },
      },
    });
    expect(spec.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toStrictEqual([
      '/tmp',
      '/data',
      '/config',
      '/certs',
    ]);
    expect(spec.securityContext.runAsUser).toBe(65532);
    expect(spec.containers[0].readinessProbe.httpGet).toStrictEqual({ path: '/ping', port: 'ping', scheme: 'HTTP' });
    expect(spec.containers[0].args).toStrictEqual(['--configFile=/config/traefik.toml']);
    expect(spec.nodeSelector).toStrictEqual({ 'kubernetes.azure.com/mode': 'user' });
  });

  it('rolls its pods when the configuration changes (config hash in the pod template)', () => {
    const hash = (objects: KubeObject[]) =>
      find(objects, 'Deployment').spec.template.metadata.annotations['aks-fleet.io/config-hash'];
    expect(hash(render())).toMatch(/^[0-9a-f]{16}$/);
    expect(hash(render())).toBe(hash(render()));
    expect(hash(render({ clientCidrs: ['10.244.5.0/24'] }))).not.toBe(hash(render()));
  });

  it('owns an IngressClass for the Traefik controller', () => {
    expect(find(render(), 'IngressClass').spec).toStrictEqual({ controller: 'traefik.io/ingress-controller' });
  });

  it('fails on no watched namespace (would watch the whole cluster), no client network and a single replica', () => {
    expect(() => render({ watchNamespaces: [] })).toThrow(/watchNamespaces must name at least one namespace/);
    expect(() => render({ clientCidrs: [] })).toThrow(/clientCidrs must name at least one network/);
    expect(() => render({ replicas: 1 })).toThrow(/replicas must be at least 2/);
  });

  it('matches the snapshot', () => {
    expect(render()).toMatchSnapshot();
  });
});
