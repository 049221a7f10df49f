/**
 * Everything a cluster's charts need, resolved from the fleet model once: fleet-wide settings merged with the
 * cluster's overrides, names derived from the model (Key Vault, subnets, hostnames), and the few values several
 * layers must agree on (pod labels, ports, the ingress class). Charts read this; constructs never see the model.
 */
import {
  backendHostname,
  clusterAzureNames,
  CONTAINER_LIMIT_MAXIMA,
  FAILOVER_FACTOR,
  INGRESS_CONTROLLER_SERVICE_ACCOUNT,
  KEY_VAULT_SECRETS,
  substitutionPlaceholder,
  type Cluster,
  type Fleet,
  type FleetSpec,
  type Resources,
} from '@aks-fleet/fleet';
import { traefikPodLabels } from '@aks-fleet/constructs';

/** IngressClass of the internal ingress controller (the name the reference's successor, aks-baseline, uses). */
export const INGRESS_CLASS_NAME = 'traefik-internal';

/** SecretProviderClass (in the ingress namespace) that mounts the ingress TLS certificate from Key Vault. */
export const INGRESS_TLS_SECRET_PROVIDER_CLASS = 'ingress-tls-key-vault';

/** Node labels of the user node pools: workloads stay off the system pool (AKS sets this label on every node). */
export const USER_POOL_NODE_SELECTOR: Readonly<Record<string, string>> = { 'kubernetes.azure.com/mode': 'user' };

/** Namespace of the ingress controller: the model's `ingressController.namespace`. */
export function ingressNamespace(spec: FleetSpec): string {
  return spec.ingressController.namespace;
}

export { ingressWorkloadIdentitySubject } from '@aks-fleet/fleet';

export interface WorkloadContext {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  /** Normal replicas (the autoscaler's minimum). */
  readonly replicas: number;
  /** Failover replicas (the autoscaler's maximum): FAILOVER_FACTOR × replicas. */
  readonly maxReplicas: number;
  readonly port: number;
  readonly healthPath: string;
  readonly resources: Resources;
  readonly canary?: { readonly replicas: number; readonly image: string };
  /** Labels every application pod carries (stable and canary); the Service and NetworkPolicies select them. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Quota of the workload namespace: failover replicas of everything, plus one rollout surge pod per Deployment. */
  readonly quota: { readonly pods: number };
}

export interface IngressContext {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly image: string;
  readonly replicas: number;
  readonly className: string;
  readonly podLabels: Readonly<Record<string, string>>;
  /** Fixed IP of the internal load balancer (the private DNS record of the backend hostname points here). */
  readonly internalLoadBalancerIp: string;
  /** Name of the ingress subnet the load balancer's frontend lives in. */
  readonly subnetName: string;
  /** The region's App Gateway subnet: the only clients (allow-list, trusted forwarded headers, NetworkPolicy). */
  readonly appGatewaySubnet: string;
  readonly keyVaultName: string;
  /** Tenant of the Key Vault and the identity. */
  readonly tenantId: string;
  /**
   * Client id of the controller's identity: a Flux substitution placeholder, because Azure assigns it when the stamp
   * deploys and the stamp hands it to Flux (FLUX_SUBSTITUTIONS).
   */
  readonly clientId: string;
  /** Key Vault certificate the controller serves (mounted as its backing secret: one PEM with key and chain). */
  readonly tlsCertificateName: string;
  readonly secretProviderClassName: string;
}

export interface ClusterContext {
  readonly fleet: Readonly<Fleet>;
  readonly region: string;
  readonly cluster: Cluster;
  /** Where the cluster is in the model, for error messages: `regions.<region>.clusters[<i>]`. */
  readonly clusterPath: string;
  readonly workload: WorkloadContext;
  readonly ingress: IngressContext;
  readonly entra: { readonly operatorGroupObjectId?: string; readonly readerGroupObjectId?: string };
  /** The one backend hostname (Ingress host = App Gateway backend = private DNS record). */
  readonly backendHostname: string;
  /** Largest limits one container may declare (the cluster's Azure Policy). */
  readonly containerLimitMaxima: { readonly cpuMillicores: number; readonly memoryMiB: number };
}

export function clusterContext(fleet: Readonly<Fleet>, region: string, cluster: Cluster): ClusterContext {
  const spec = fleet.spec;
  const base = spec.workload;
  const overrides = cluster.workload;
  const image = overrides.image ?? base.image;
  const replicas = overrides.replicas ?? base.replicas;
  const canary = overrides.canary
    ? { replicas: overrides.canary.replicas, image: overrides.canary.image ?? image }
    : undefined;
  const maxReplicas = FAILOVER_FACTOR * replicas;
  const deployments = canary ? 2 : 1;
  const azure = clusterAzureNames(spec, cluster.name);
  const index = spec.regions[region]?.clusters.indexOf(cluster) ?? -1;
  const controller = spec.ingressController;
  return {
    fleet,
    region,
    cluster,
    clusterPath: `regions.${region}.clusters[${index}]`,
    workload: {
      namespace: base.namespace,
      name: base.name,
      image,
      replicas,
      maxReplicas,
      port: base.port,
      healthPath: base.healthPath,
      resources: base.resources,
      ...(canary ? { canary } : {}),
      podLabels: { 'app.kubernetes.io/name': base.name },
      quota: { pods: maxReplicas + (canary?.replicas ?? 0) + deployments },
    },
    ingress: {
      namespace: controller.namespace,
      serviceAccount: INGRESS_CONTROLLER_SERVICE_ACCOUNT,
      image: `${spec.sharedServices.containerRegistry.name}.azurecr.io/${controller.image.repository}:${controller.image.tag}`,
      replicas: controller.replicas,
      className: INGRESS_CLASS_NAME,
      podLabels: traefikPodLabels(INGRESS_CONTROLLER_SERVICE_ACCOUNT),
      internalLoadBalancerIp: cluster.ingress.internalLoadBalancerIp,
      subnetName: azure.subnets.ingress,
      appGatewaySubnet: cluster.spoke.subnets.appGateway,
      keyVaultName: azure.keyVault,
      tenantId: cluster.workloadIdentity.tenantId ?? cluster.entra.tenantId,
      clientId: substitutionPlaceholder('ingressControllerClientId'),
      tlsCertificateName: KEY_VAULT_SECRETS.ingressTlsCertificate,
      secretProviderClassName: INGRESS_TLS_SECRET_PROVIDER_CLASS,
    },
    entra: {
      ...(cluster.entra.operatorGroupObjectId ? { operatorGroupObjectId: cluster.entra.operatorGroupObjectId } : {}),
      ...(cluster.entra.readerGroupObjectId ? { readerGroupObjectId: cluster.entra.readerGroupObjectId } : {}),
    },
    backendHostname: backendHostname(spec),
    containerLimitMaxima: CONTAINER_LIMIT_MAXIMA,
  };
}

/** Labels stamped onto every object of a cluster. */
export function clusterLabels(context: ClusterContext): Record<string, string> {
  return {
    'aks-fleet.io/fleet': context.fleet.metadata.name,
    'aks-fleet.io/cluster': context.cluster.name,
    'aks-fleet.io/region': context.region,
  };
}
