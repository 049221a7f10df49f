/**
 * The cluster content contract (issue 4): what every cluster of a fleet gets, with its own region's values and
 * nothing of another's, validated like `fleet synth` validates it. Each test renders in memory (no files).
 */
import {
  backendHostname,
  clusterAzureNames,
  clustersOf,
  INGRESS_CONTROLLER_SERVICE_ACCOUNT,
  loadFleet,
  parseFleet,
  type Fleet,
} from '@aks-fleet/fleet';
import { defaultFleetDocument, threeRegionDocument } from '@aks-fleet/fleet/testing';
import { renderCluster, type RenderedCluster } from '@aks-fleet/synth';
import { describe, expect, it } from 'vitest';
import { clusterDefinitions } from './cluster-definitions.ts';
import { ingressWorkloadIdentitySubject } from './cluster-context.ts';
import { clusterObjectValidators } from './object-validators.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const VALIDATORS = clusterObjectValidators();

/** Renders every cluster of a fleet, failing on any validation problem. */
function renderFleet(fleet: Readonly<Fleet>): Map<string, RenderedCluster> {
  const out = new Map<string, RenderedCluster>();
  for (const definition of clusterDefinitions(fleet)) {
    const { cluster, problems } = renderCluster(definition, { validators: VALIDATORS });
    expect(problems).toStrictEqual([]);
    out.set(cluster.name, cluster);
  }
  return out;
}

const DEFAULT = loadFleet().fleet;
const RENDERED = renderFleet(DEFAULT);
const CLUSTERS = ['bu0001a0042-03', 'bu0001a0042-04'] as const;

function objectsOf(cluster: RenderedCluster): Json[] {
  return [...cluster.layers.flatMap((layer) => layer.objects), ...cluster.entrypoint];
}
function layer(cluster: string, name: string): Json[] {
  return [...RENDERED.get(cluster)!.layers.find((l) => l.name === name)!.objects];
}
function find(objects: readonly Json[], kind: string, name: string, namespace?: string): Json {
  const found = objects.find(
    (o) =>
      o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
  );
  if (!found)
    throw new Error(
      `no ${kind} ${namespace ?? ''}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
    );
  return found;
}
/** Pod templates of every workload object. */
function podSpecs(objects: readonly Json[]): Array<{ owner: string; spec: Json }> {
  return objects
    .filter((o) => o.spec?.template?.spec)
    .map((o) => ({ owner: `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, spec: o.spec.template.spec }));
}

/** The values that identify a cluster's region: none of them may appear in another cluster's manifests. */
function regionalValues(fleet: Readonly<Fleet>, name: string): string[] {
  const { region, cluster } = clustersOf(fleet.spec).find((c) => c.cluster.name === name)!;
  return [
    name,
    region,
    cluster.ingress.internalLoadBalancerIp,
    cluster.spoke.subnets.appGateway,
    clusterAzureNames(fleet.spec, name).keyVault,
    cluster.entra.operatorGroupObjectId!,
    cluster.entra.readerGroupObjectId!,
  ];
}

describe('cluster content of the default fleet', () => {
  it('renders the four layers with exactly these objects per cluster, every object passing schema validation', () => {
    const ids = (cluster: string) =>
      Object.fromEntries(
        RENDERED.get(cluster)!.layers.map((l) => [
          l.name,
          l.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
        ]),
      );
    const common = {
      baseline: [
        'Namespace//a0042',
        'Namespace//cluster-baseline-settings',
        'Namespace//traefik-ingress',
        'ResourceQuota/a0042/compute',
        'LimitRange/a0042/compute',
        'ConfigMap/kube-system/container-azm-ms-agentconfig',
        'RoleBinding/a0042/a0042-operators',
        'RoleBinding/a0042/a0042-readers',
      ],
      policy: [
        'NetworkPolicy/a0042/allow-dns-egress',
        'NetworkPolicy/a0042/allow-ingress-from-traefik',
        'NetworkPolicy/a0042/default-deny-all',
        'NetworkPolicy/traefik-ingress/allow-dns-egress',
        'NetworkPolicy/traefik-ingress/allow-egress-to-api-server',
        'NetworkPolicy/traefik-ingress/allow-egress-to-workload',
        'NetworkPolicy/traefik-ingress/allow-https-from-app-gateway',
        'NetworkPolicy/traefik-ingress/allow-metrics-from-kube-system',
        'NetworkPolicy/traefik-ingress/default-deny-all',
      ],
      ingress: [
        'PodDisruptionBudget/traefik-ingress/traefik-ingress-controller',
        'ServiceAccount/traefik-ingress/traefik-ingress-controller',
        'SecretProviderClass/traefik-ingress/ingress-tls-key-vault',
        'ConfigMap/traefik-ingress/traefik-ingress-controller',
        'ClusterRole//traefik-ingress-controller',
        'ClusterRoleBinding//traefik-ingress-controller',
        'Role/a0042/traefik-ingress-controller',
        'RoleBinding/a0042/traefik-ingress-controller',
        'Service/traefik-ingress/traefik-ingress-controller',
        'Deployment/traefik-ingress/traefik-ingress-controller',
        'IngressClass//traefik-internal',
      ],
    };
    expect(ids('bu0001a0042-03')).toStrictEqual({
      ...common,
      workload: [
        'PodDisruptionBudget/a0042/aspnetapp',
        'ServiceAccount/a0042/aspnetapp',
        'Service/a0042/aspnetapp',
        'Deployment/a0042/aspnetapp',
        'HorizontalPodAutoscaler/a0042/aspnetapp',
        'Ingress/a0042/aspnetapp',
      ],
    });
    expect(ids('bu0001a0042-04')).toStrictEqual({
      ...common,
      workload: [
        'PodDisruptionBudget/a0042/aspnetapp',
        'PodDisruptionBudget/a0042/aspnetapp-canary',
        'ServiceAccount/a0042/aspnetapp',
        'Service/a0042/aspnetapp',
        'Deployment/a0042/aspnetapp',
        'Deployment/a0042/aspnetapp-canary',
        'HorizontalPodAutoscaler/a0042/aspnetapp',
        'Ingress/a0042/aspnetapp',
      ],
    });
  });

  it.each([
    ['bu0001a0042-03', '10.243.4.4', '10.243.5.0/24'],
    ['bu0001a0042-04', '10.244.4.4', '10.244.5.0/24'],
  ])(
    '%s carries its own ILB IP, App Gateway subnet, Key Vault, and the deploy-time client id placeholder',
    (cluster, ilbIp, appGatewaySubnet) => {
      // Azure assigns the client id when the stamp deploys; the stamp hands it to Flux, which substitutes it.
      const clientId = '${INGRESS_CLIENT_ID}';
      const ingress = layer(cluster, 'ingress');
      const keyVault = clusterAzureNames(DEFAULT.spec, cluster).keyVault;
      expect(keyVault).toMatch(new RegExp(`^kv-${cluster}-[0-9a-f]{5}$`));

      const service = find(ingress, 'Service', 'traefik-ingress-controller');
      expect(service.metadata.annotations['service.beta.kubernetes.io/azure-load-balancer-ipv4']).toBe(ilbIp);
      expect(service.metadata.annotations['service.beta.kubernetes.io/azure-load-balancer-internal']).toBe('true');
      expect(service.metadata.annotations['service.beta.kubernetes.io/azure-load-balancer-internal-subnet']).toBe(
        'snet-clusteringressservices',
      );
      expect(service.spec.externalTrafficPolicy).toBe('Local');

      const config = find(ingress, 'ConfigMap', 'traefik-ingress-controller').data;
      expect(config['traefik.toml']).toContain(
        `[entryPoints.websecure.forwardedHeaders]\ntrustedIPs = [ "${appGatewaySubnet}" ]\n`,
      );
      expect(config['traefik.toml']).toContain(`[providers.kubernetesIngress.ingressEndpoint]\nip = "${ilbIp}"\n`);
      expect(config['dynamic.toml']).toContain(
        `[http.middlewares.app-gateway-allowlist.ipAllowList]\nsourceRange = [ "${appGatewaySubnet}" ]\n`,
      );

      const fromAppGateway = find(layer(cluster, 'policy'), 'NetworkPolicy', 'allow-https-from-app-gateway');
      expect(fromAppGateway.spec.ingress).toStrictEqual([
        { from: [{ ipBlock: { cidr: appGatewaySubnet } }], ports: [{ port: 8443, protocol: 'TCP' }] },
      ]);

      const spc = find(ingress, 'SecretProviderClass', 'ingress-tls-key-vault');
      expect(spc.spec.parameters).toMatchObject({
        keyvaultName: keyVault,
        clientID: clientId,
        tenantId: '00000000-0000-0000-0000-000000000001',
        usePodIdentity: 'false',
        useVMManagedIdentity: 'false',
      });
      expect(spc.spec.parameters.objects).toBe(
        'array:\n  - |\n    objectName: traefik-ingress-internal-aks-ingress-tls\n    objectType: secret\n    objectAlias: tls.pem\n',
      );
      expect(find(ingress, 'ServiceAccount', 'traefik-ingress-controller').metadata.annotations).toStrictEqual({
        'azure.workload.identity/client-id': clientId,
      });
    },
  );

  it('contains nothing of another region in any object', () => {
    for (const cluster of CLUSTERS) {
      const text = JSON.stringify(objectsOf(RENDERED.get(cluster)!));
      for (const other of CLUSTERS.filter((c) => c !== cluster)) {
        for (const value of regionalValues(DEFAULT, other))
          expect(text.includes(value), `${cluster} mentions ${other}'s ${value}`).toBe(false);
      }
      for (const value of regionalValues(DEFAULT, cluster))
        expect(text.includes(value), `${cluster} lacks its own ${value}`).toBe(true);
    }
  });

  it('serves the single backend hostname the model derives, and no other host name of the ingress domain', () => {
    const host = backendHostname(DEFAULT.spec);
    expect(host).toBe('bu0001a0042.aks-ingress.contoso.com');
    for (const cluster of CLUSTERS) {
      const ingress = find(layer(cluster, 'workload'), 'Ingress', 'aspnetapp');
      expect(ingress.spec.rules.map((r: Json) => r.host)).toStrictEqual([host]);
      expect(ingress.spec.tls).toStrictEqual([{ hosts: [host] }]);
      expect(ingress.spec.ingressClassName).toBe('traefik-internal');
      expect(ingress.metadata.annotations).toStrictEqual({
        'kubernetes.io/ingress.allow-http': 'false',
        'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
        'traefik.ingress.kubernetes.io/router.tls': 'true',
      });
      const names =
        JSON.stringify(objectsOf(RENDERED.get(cluster)!)).match(/[a-z0-9.-]*aks-ingress\.contoso\.com/g) ?? [];
      expect(new Set(names)).toStrictEqual(new Set([host]));
    }
  });

  it('runs every container non-root, with a read-only root file system, no privilege escalation, resources within the policy and both probes', () => {
    for (const cluster of CLUSTERS) {
      const pods = podSpecs(objectsOf(RENDERED.get(cluster)!));
      expect(pods.map((p) => p.owner).sort()).toStrictEqual(
        [
          'Deployment/a0042/aspnetapp',
          ...(cluster === 'bu0001a0042-04' ? ['Deployment/a0042/aspnetapp-canary'] : []),
          'Deployment/traefik-ingress/traefik-ingress-controller',
        ].sort(),
      );
      for (const { owner, spec } of pods) {
        for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
          const where = `${cluster} ${owner} ${container.name}`;
          const security = { ...spec.securityContext, ...container.securityContext };
          expect(security.runAsNonRoot, where).toBe(true);
          expect(security.runAsUser, where).toBeGreaterThan(0);
          expect(container.securityContext.readOnlyRootFilesystem, where).toBe(true);
          expect(container.securityContext.allowPrivilegeEscalation, where).toBe(false);
          expect(container.securityContext.capabilities, where).toStrictEqual({ drop: ['ALL'] });
          expect(Object.keys(container.resources.requests).sort(), where).toStrictEqual(['cpu', 'memory']);
          expect(Object.keys(container.resources.limits).sort(), where).toStrictEqual(['cpu', 'memory']);
          expect(parseInt(container.resources.limits.cpu, 10), where).toBeLessThanOrEqual(1000);
          expect(parseInt(container.resources.limits.memory, 10), where).toBeLessThanOrEqual(512);
          expect(container.readinessProbe?.httpGet, where).toBeDefined();
          expect(container.livenessProbe?.httpGet, where).toBeDefined();
        }
      }
    }
  });

  it('pulls every image from the fleet registry or MCR, with a pinned tag or digest', () => {
    const registry = `${DEFAULT.spec.sharedServices.containerRegistry.name}.azurecr.io`;
    const pinned = new RegExp(
      `^(${registry.replace(/\./g, '\\.')}|mcr\\.microsoft\\.com)/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`,
    );
    const images = CLUSTERS.flatMap((cluster) =>
      podSpecs(objectsOf(RENDERED.get(cluster)!)).flatMap(({ spec }) =>
        spec.containers.map((c: Json) => c.image as string),
      ),
    );
    expect([...new Set(images)].sort()).toStrictEqual([
      'acraksbu0001a0042.azurecr.io/library/traefik:v3.7.11',
      'mcr.microsoft.com/dotnet/samples:aspnetapp-9.0',
    ]);
    for (const image of images) {
      expect(image).toMatch(pinned);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('emits no Secret, and syncs no Key Vault content into one', () => {
    for (const cluster of CLUSTERS) {
      const objects = objectsOf(RENDERED.get(cluster)!);
      expect(objects.filter((o) => o.kind === 'Secret')).toStrictEqual([]);
      expect(
        objects.filter((o) => o.kind === 'SecretProviderClass').every((o) => o.spec.secretObjects === undefined),
      ).toBe(true);
    }
  });

  it('closes every namespace that runs pods with a default-deny policy, and enforces the restricted Pod Security level there', () => {
    for (const cluster of CLUSTERS) {
      const objects = objectsOf(RENDERED.get(cluster)!);
      const withPods = [
        ...new Set(objects.filter((o) => o.spec?.template?.spec).map((o) => o.metadata.namespace as string)),
      ].sort();
      expect(withPods).toStrictEqual(['a0042', 'traefik-ingress']);
      for (const namespace of withPods) {
        const deny = find(layer(cluster, 'policy'), 'NetworkPolicy', 'default-deny-all', namespace);
        expect(deny.spec).toStrictEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
        expect(
          find(layer(cluster, 'baseline'), 'Namespace', namespace).metadata.labels[
            'pod-security.kubernetes.io/enforce'
          ],
        ).toBe('restricted');
      }
      for (const policy of objects.filter((o) => o.kind === 'NetworkPolicy')) {
        expect(
          policy.metadata.annotations['aks-fleet.io/reason'],
          `${policy.metadata.namespace}/${policy.metadata.name}`,
        ).toMatch(/^[^\n]{10,}$/);
      }
    }
  });

  it('lets only Traefik reach the application port, and Traefik reach only the application port, DNS and the API server', () => {
    const policy = layer('bu0001a0042-03', 'policy');
    const traefikPeer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik-ingress' } },
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/component': 'ingress-controller',
          'app.kubernetes.io/instance': 'traefik-ingress-controller',
          'app.kubernetes.io/name': 'traefik',
        },
      },
    };
    expect(find(policy, 'NetworkPolicy', 'allow-ingress-from-traefik').spec).toStrictEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'aspnetapp' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [traefikPeer], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(find(policy, 'NetworkPolicy', 'allow-egress-to-workload').spec.egress).toStrictEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a0042' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'aspnetapp' } },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(find(policy, 'NetworkPolicy', 'allow-egress-to-api-server').spec.egress).toStrictEqual([
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
    ]);
    expect(find(policy, 'NetworkPolicy', 'allow-dns-egress', 'a0042').spec.egress).toStrictEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    ]);
    // The policy's selectors match the pods the other layers create.
    const app = find(layer('bu0001a0042-03', 'workload'), 'Deployment', 'aspnetapp').spec.template.metadata.labels;
    const traefik = find(layer('bu0001a0042-03', 'ingress'), 'Deployment', 'traefik-ingress-controller').spec.template
      .metadata.labels;
    expect(app).toMatchObject(find(policy, 'NetworkPolicy', 'allow-ingress-from-traefik').spec.podSelector.matchLabels);
    expect(traefik).toMatchObject(traefikPeer.podSelector.matchLabels);
  });

  it('sizes the workload for failover: autoscaler max = 2× replicas, quota for every Deployment at failover plus a rollout surge', () => {
    for (const [cluster, replicas, canary] of [
      ['bu0001a0042-03', 2, 0],
      ['bu0001a0042-04', 3, 1],
    ] as const) {
      const hpa = find(layer(cluster, 'workload'), 'HorizontalPodAutoscaler', 'aspnetapp');
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toStrictEqual([replicas, 2 * replicas]);
      expect(find(layer(cluster, 'workload'), 'Deployment', 'aspnetapp').spec.replicas).toBeUndefined();
      const pods = 2 * replicas + canary + (canary > 0 ? 2 : 1);
      expect(find(layer(cluster, 'baseline'), 'ResourceQuota', 'compute').spec.hard).toStrictEqual({
        pods: String(pods),
        'requests.cpu': `${50 * pods}m`,
        'requests.memory': `${128 * pods}Mi`,
        'limits.cpu': `${100 * pods}m`,
        'limits.memory': `${256 * pods}Mi`,
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      });
      expect(find(layer(cluster, 'workload'), 'PodDisruptionBudget', 'aspnetapp').spec.maxUnavailable).toBe('25%');
    }
  });

  it('gives the canary the share of the traffic the model sets: 3:1 in centralus, none in eastus2', () => {
    const workload = layer('bu0001a0042-04', 'workload');
    const stable = find(workload, 'HorizontalPodAutoscaler', 'aspnetapp').spec.minReplicas;
    const canary = find(workload, 'Deployment', 'aspnetapp-canary');
    expect([stable, canary.spec.replicas]).toStrictEqual([3, 1]);
    const selector = find(workload, 'Service', 'aspnetapp').spec.selector;
    expect(canary.spec.template.metadata.labels).toMatchObject(selector);
    expect(find(workload, 'Deployment', 'aspnetapp').spec.template.metadata.labels).toMatchObject(selector);
    expect(layer('bu0001a0042-03', 'workload').filter((o) => o.metadata.name.endsWith('-canary'))).toStrictEqual([]);
  });

  it('follows another canary ratio and canary image from the model with no code change', () => {
    const document = defaultFleetDocument();
    const east = document.spec.regions.eastus2!.clusters[0]!;
    east.workload = { replicas: 5, canary: { replicas: 2, image: 'mcr.microsoft.com/dotnet/samples:aspnetapp-9.0.1' } };
    east.nodePools.user.maxCount = 11;
    const workload = renderFleet(parseFleet(document))
      .get('bu0001a0042-03')!
      .layers.find((l) => l.name === 'workload')!.objects as Json[];
    expect(find(workload, 'HorizontalPodAutoscaler', 'aspnetapp').spec.minReplicas).toBe(5);
    const canary = find(workload, 'Deployment', 'aspnetapp-canary');
    expect(canary.spec.replicas).toBe(2);
    expect(canary.spec.template.spec.containers[0].image).toBe('mcr.microsoft.com/dotnet/samples:aspnetapp-9.0.1');
  });

  it('grants the Entra operator and reader groups edit and view in the workload namespace only, and nothing when the model has none', () => {
    const baseline = layer('bu0001a0042-04', 'baseline');
    const binding = (name: string) => find(baseline, 'RoleBinding', name, 'a0042');
    expect([binding('a0042-operators').roleRef.name, binding('a0042-operators').subjects]).toStrictEqual([
      'edit',
      [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: '00000000-0000-0000-0004-000000000010' }],
    ]);
    expect([binding('a0042-readers').roleRef.name, binding('a0042-readers').subjects]).toStrictEqual([
      'view',
      [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: '00000000-0000-0000-0004-000000000020' }],
    ]);
    expect(
      objectsOf(RENDERED.get('bu0001a0042-04')!)
        .filter((o) => o.kind === 'ClusterRoleBinding')
        .map((o) => o.metadata.name),
    ).toStrictEqual(['traefik-ingress-controller']);

    const document = defaultFleetDocument();
    delete document.spec.regions.eastus2!.clusters[0]!.entra.operatorGroupObjectId;
    delete document.spec.regions.eastus2!.clusters[0]!.entra.readerGroupObjectId;
    const objects = objectsOf(renderFleet(parseFleet(document)).get('bu0001a0042-03')!);
    expect(objects.filter((o) => o.kind === 'RoleBinding' && o.metadata.name.startsWith('a0042-'))).toStrictEqual([]);
  });

  it('configures Container Insights: ContainerLogV2, Prometheus scraping of the ingress and workload namespaces, reference thresholds', () => {
    const data = find(
      layer('bu0001a0042-03', 'baseline'),
      'ConfigMap',
      'container-azm-ms-agentconfig',
      'kube-system',
    ).data;
    expect(data['log-data-collection-settings']).toContain('containerlog_schema_version = "v2"');
    expect(data['prometheus-data-collection-settings']).toContain(
      'monitor_kubernetes_pods_namespaces = [ "traefik-ingress", "a0042" ]',
    );
    expect(data['alertable-metrics-configuration-settings']).toContain('container_cpu_threshold_percentage = 90.0');
    expect(data['alertable-metrics-configuration-settings']).toContain('pv_usage_threshold_percentage = 75.0');
    const traefik = find(layer('bu0001a0042-03', 'ingress'), 'Deployment', 'traefik-ingress-controller').spec.template
      .metadata.annotations;
    expect(traefik).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8082' });
  });

  it('names the ingress controller identity subject the infrastructure federates with', () => {
    expect(ingressWorkloadIdentitySubject(DEFAULT.spec)).toBe(
      'system:serviceaccount:traefik-ingress:traefik-ingress-controller',
    );
    for (const cluster of CLUSTERS) {
      const account = find(layer(cluster, 'ingress'), 'ServiceAccount', INGRESS_CONTROLLER_SERVICE_ACCOUNT);
      expect(`system:serviceaccount:${account.metadata.namespace}:${account.metadata.name}`).toBe(
        ingressWorkloadIdentitySubject(DEFAULT.spec),
      );
      expect(
        find(layer(cluster, 'ingress'), 'Deployment', 'traefik-ingress-controller').spec.template.spec
          .serviceAccountName,
      ).toBe(INGRESS_CONTROLLER_SERVICE_ACCOUNT);
    }
  });

  it('applies the layers in order through Flux Kustomizations that wait for readiness: ingress before workload', () => {
    const entrypoint = RENDERED.get('bu0001a0042-04')!.entrypoint as Json[];
    expect(entrypoint.map((k) => [k.metadata.name, k.spec.dependsOn?.[0]?.name ?? null, k.spec.wait])).toStrictEqual([
      ['fleet-baseline', null, true],
      ['fleet-ingress', 'fleet-policy', true],
      ['fleet-policy', 'fleet-baseline', true],
      ['fleet-workload', 'fleet-ingress', true],
    ]);
  });

  it('yields a complete third cluster for a third region with its own values, with no code change', () => {
    const fleet = parseFleet(threeRegionDocument());
    const rendered = renderFleet(fleet);
    const shape = (name: string) =>
      objectsOf(rendered.get(name)!).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(shape('bu0001a0042-05')).toStrictEqual(shape('bu0001a0042-03'));
    const text = JSON.stringify(objectsOf(rendered.get('bu0001a0042-05')!));
    for (const value of regionalValues(fleet, 'bu0001a0042-05'))
      expect(text.includes(value), `lacks its own ${value}`).toBe(true);
    for (const other of CLUSTERS)
      for (const value of regionalValues(fleet, other))
        expect(text.includes(value), `mentions ${other}'s ${value}`).toBe(false);
  });

  it('passes the deploy-time client id from the bootstrap to every layer: no identity id in the model', () => {
    const document = defaultFleetDocument();
    expect(JSON.stringify(document)).not.toContain('ClientId');
    const kustomizations = (RENDERED.get('bu0001a0042-03')!.entrypoint as Json[]).filter(
      (o) => o.kind === 'Kustomization',
    );
    expect(kustomizations.length).toBeGreaterThan(0);
    for (const k of kustomizations)
      expect(k.spec.postBuild).toStrictEqual({ substitute: { INGRESS_CLIENT_ID: '${INGRESS_CLIENT_ID}' } });
  });
});
