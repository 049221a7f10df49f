import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressClass } from 'kubernetes-models/networking.k8s.io/v1/IngressClass';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ContainerResources } from './compute-resources.ts';
import { HardenedDeployment } from './hardened-deployment.ts';
import {
  TRAEFIK_PATHS,
  TRAEFIK_PORTS,
  traefikDynamicConfiguration,
  traefikStaticConfiguration,
} from './traefik-configuration.ts';

/** The internal load balancer in front of the controller. */
export interface InternalLoadBalancer {
  /** Fixed private IP (inside the subnet); the private DNS record of the backend hostname points here. */
  readonly ip: string;
  /** Subnet (by name, in the cluster's virtual network) the load balancer's frontend IP lives in. */
  readonly subnetName: string;
}

export interface TraefikIngressControllerProps {
  /** Namespace of the controller. */
  readonly namespace: string;
  /** Name of the ServiceAccount, Deployment, ConfigMap and RBAC objects. @default 'traefik-ingress-controller' */
  readonly name?: string;
  /** Image with a pinned tag, from a registry the cluster may pull from. */
  readonly image: string;
  /** Replicas, one per node. @default 2 */
  readonly replicas?: number;
  /** @default - 100m/64Mi requests, 200m/128Mi limits */
  readonly resources?: ContainerResources;
  /**
   * Client id of the user-assigned identity whose federated credential trusts this ServiceAccount
   * (`azure.workload.identity/client-id` annotation); the SecretProviderClass uses the same identity.
   */
  readonly workloadIdentityClientId: string;
  /** SecretProviderClass (same namespace) that mounts the TLS certificate and key. */
  readonly secretProviderClassName: string;
  /** File name of the certificate (PEM) in that mount. @default 'tls.crt' */
  readonly certificateFile?: string;
  /** File name of the private key (PEM) in that mount. @default 'tls.key' */
  readonly keyFile?: string;
  /** Namespaces whose Ingresses the controller serves; it gets read access there and nowhere else. */
  readonly watchNamespaces: readonly string[];
  /** IngressClass the controller owns. */
  readonly ingressClassName: string;
  readonly loadBalancer: InternalLoadBalancer;
  /**
   * The only client networks: the `ipAllowList` on every route and the trusted sources of X-Forwarded-* headers
   * (the App Gateway subnet).
   */
  readonly clientCidrs: readonly string[];
  /** Oldest TLS version accepted. @default 'VersionTLS12' */
  readonly minTlsVersion?: 'VersionTLS12' | 'VersionTLS13';
  /** Node labels the pods require. @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/** The controller name the IngressClass names: Traefik's Ingress provider serves classes with this controller. */
export const TRAEFIK_INGRESS_CLASS_CONTROLLER = 'traefik.io/ingress-controller';

/** Labels of the controller's pods for a controller `name`: what Services and NetworkPolicies select. */
export function traefikPodLabels(name: string): Readonly<Record<string, string>> {
  return {
    'app.kubernetes.io/name': 'traefik',
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': 'ingress-controller',
  };
}

/** Non-root user and group of the controller (the reference's). */
const TRAEFIK_USER = 65532;

/**
 * Traefik v3 as an internal ingress controller, from our own objects (no Helm chart, no CRDs): ServiceAccount with
 * the workload-identity client id, least-privilege RBAC, ConfigMap with the static and file-provider configuration,
 * hardened Deployment with the certificate from the Secrets Store CSI driver, PodDisruptionBudget, internal
 * LoadBalancer Service and the IngressClass.
 *
 * RBAC follows what the Ingress provider actually watches: cluster-wide only `nodes` and `ingressclasses` (read);
 * Services, EndpointSlices, Secrets and Ingresses (read) and Ingress status (update) through a Role in each watched
 * namespace — so the controller can read Secrets of those namespaces only, never cluster-wide.
 *
 * The Service keeps client addresses (`externalTrafficPolicy: Local`) so the allow-list sees App Gateway's own
 * address, and takes its fixed IP from the `azure-load-balancer-ipv4` annotation (`spec.loadBalancerIP` is
 * deprecated). A hash of the configuration in the pod template rolls the pods when the static configuration changes.
 * @see https://doc.traefik.io/traefik/providers/kubernetes-ingress/
 * @see https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/#loadbalancer-annotations
 */
export class TraefikIngressController extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the controller's pods (what NetworkPolicies select). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: TraefikIngressControllerProps) {
    super(scope, id);
    const name = props.name ?? 'traefik-ingress-controller';
    const owner = `TraefikIngressController ${props.namespace}/${name}`;
    if (props.watchNamespaces.length === 0)
      throw new Error(
        `${owner}: watchNamespaces must name at least one namespace (an empty list would watch the whole cluster)`,
      );
    if (props.clientCidrs.length === 0)
      throw new Error(`${owner}: clientCidrs must name at least one network (the App Gateway subnet)`);
    const replicas = props.replicas ?? 2;
    if (replicas < 2) throw new Error(`${owner}: replicas must be at least 2, got ${replicas}`);
    this.name = name;
    this.namespace = props.namespace;
    this.serviceName = name;
    const labels = traefikPodLabels(name);
    this.podLabels = labels;

    const serviceAccount = new ServiceAccount({
      metadata: {
        name,
        namespace: props.namespace,
        annotations: { 'azure.workload.identity/client-id': props.workloadIdentityClientId },
      },
      automountServiceAccountToken: true,
    });
    new ApiObject(this, 'ServiceAccount', serviceAccount.toJSON());
    const subject = { kind: 'ServiceAccount', name, namespace: props.namespace };

    const clusterRole = new ClusterRole({
      metadata: { name },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new ApiObject(this, 'ClusterRole', clusterRole.toJSON());
    const clusterRoleBinding = new ClusterRoleBinding({
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [subject],
    });
    new ApiObject(this, 'ClusterRoleBinding', clusterRoleBinding.toJSON());

    for (const namespace of [...new Set(props.watchNamespaces)].sort()) {
      const role = new Role({
        metadata: { name, namespace },
        rules: [
          { apiGroups: [''], resources: ['services', 'secrets'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
          { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
        ],
      });
      new ApiObject(this, `Role-${namespace}`, role.toJSON());
      const roleBinding = new RoleBinding({
        metadata: { name, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [subject],
      });
      new ApiObject(this, `RoleBinding-${namespace}`, roleBinding.toJSON());
    }

    const certificateFile = props.certificateFile ?? 'tls.crt';
    const keyFile = props.keyFile ?? 'tls.key';
    const data = {
      [TRAEFIK_PATHS.staticFile]: traefikStaticConfiguration({
        ingressClassName: props.ingressClassName,
        watchNamespaces: [...new Set(props.watchNamespaces)].sort(),
        publishedIp: props.loadBalancer.ip,
        trustedCidrs: props.clientCidrs,
      }),
      [TRAEFIK_PATHS.dynamicFile]: traefikDynamicConfiguration({
        allowedCidrs: props.clientCidrs,
        certificateFile,
        keyFile,
        minTlsVersion: props.minTlsVersion ?? 'VersionTLS12',
      }),
    };
    const configMap = new ConfigMap({ metadata: { name, namespace: props.namespace }, data });
    new ApiObject(this, 'ConfigMap', configMap.toJSON());
    const configHash = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);

    new HardenedDeployment(this, 'Deployment', {
      name,
      namespace: props.namespace,
      selectorLabels: labels,
      podAnnotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(TRAEFIK_PORTS.metrics),
        'aks-fleet.io/config-hash': configHash,
      },
      replicas,
      image: props.image,
      args: [`--configFile=${TRAEFIK_PATHS.configDirectory}/${TRAEFIK_PATHS.staticFile}`],
      ports: [
        { name: 'websecure', containerPort: TRAEFIK_PORTS.websecure },
        { name: 'ping', containerPort: TRAEFIK_PORTS.ping },
        { name: 'metrics', containerPort: TRAEFIK_PORTS.metrics },
      ],
      resources: props.resources ?? {
        requests: { cpuMillicores: 100, memoryMiB: 64 },
        limits: { cpuMillicores: 200, memoryMiB: 128 },
      },
      readinessProbe: { path: '/ping', port: 'ping' },
      livenessProbe: { path: '/ping', port: 'ping' },
      serviceAccountName: name,
      // The Ingress provider watches the API server.
      automountServiceAccountToken: true,
      runAsUser: TRAEFIK_USER,
      runAsGroup: TRAEFIK_USER,
      writableDirectories: ['/tmp', '/data'],
      volumes: [
        { name: 'config', mountPath: TRAEFIK_PATHS.configDirectory, source: { configMap: { name } } },
        {
          name: 'certificates',
          mountPath: TRAEFIK_PATHS.certificateDirectory,
          source: {
            csi: {
              driver: 'secrets-store.csi.k8s.io',
              readOnly: true,
              volumeAttributes: { secretProviderClass: props.secretProviderClassName },
            },
          },
        },
      ],
      ...(props.nodeSelector ? { nodeSelector: props.nodeSelector } : {}),
      // One replica at a time, without needing a spare node (each replica has a node of its own).
      maxSurge: 0,
      maxUnavailable: 1,
    });

    const pdb = new PodDisruptionBudget({
      metadata: { name, namespace: props.namespace },
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...labels } } },
    });
    new ApiObject(this, 'PodDisruptionBudget', pdb.toJSON());

    const service = new Service({
      metadata: {
        name,
        namespace: props.namespace,
        annotations: {
          'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
          'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': props.loadBalancer.subnetName,
          'service.beta.kubernetes.io/azure-load-balancer-ipv4': props.loadBalancer.ip,
        },
      },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        selector: { ...labels },
        ports: [{ name: 'https', port: 443, targetPort: 'websecure', protocol: 'TCP' }],
      },
    });
    new ApiObject(this, 'Service', service.toJSON());

    const ingressClass = new IngressClass({
      metadata: { name: props.ingressClassName },
      spec: { controller: TRAEFIK_INGRESS_CLASS_CONTROLLER },
    });
    new ApiObject(this, 'IngressClass', ingressClass.toJSON());
  }
}
