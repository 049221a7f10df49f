/**
 * Names derived from the model once, used everywhere (manifests and infrastructure), so that no name is
 * spelled twice. The reference's App Gateway backend / DNS record / ingress host mismatch cannot happen here.
 */
import { INGRESS_CONTROLLER_SERVICE_ACCOUNT } from './azure-names.ts';
import type { Cluster, FleetSpec } from './schema.ts';

/** Private DNS zone of the internal ingress: `aks-ingress.<domain>`. */
export function ingressDomain(spec: FleetSpec): string {
  return `aks-ingress.${spec.dns.domain}`;
}

/** The single backend hostname: App Gateway backend, private DNS A record and Ingress host. */
export function backendHostname(spec: FleetSpec): string {
  return `${spec.organization.appId.toLowerCase()}.${ingressDomain(spec)}`;
}

/** Every cluster of the fleet with its region, in a stable order (region key order, then cluster order). */
export function clustersOf(spec: FleetSpec): ReadonlyArray<{ readonly region: string; readonly cluster: Cluster }> {
  return Object.entries(spec.regions).flatMap(([region, { clusters }]) =>
    clusters.map((cluster) => ({ region, cluster })),
  );
}

/**
 * What the AKS Flux extension creates from our `fluxConfigurations` resource, and what the per-cluster Flux
 * entrypoint refers to. The extension names the GitRepository after the configuration, in its namespace, and
 * each kustomization `<configuration>-<kustomization>`.
 */
export const FLUX_BOOTSTRAP = {
  /** fluxConfigurations resource name = GitRepository name. */
  configurationName: 'aks-fleet',
  namespace: 'flux-system',
  /** Kustomization key in the fluxConfiguration; materialized as `aks-fleet-entrypoint`. */
  kustomizationName: 'entrypoint',
  /** Sync/retry intervals of the root kustomization and the Git source, in seconds. */
  syncIntervalSeconds: 300,
  timeoutSeconds: 180,
} as const;

/** Path of a cluster's Flux entrypoint inside the repository. */
export function entrypointPath(clusterName: string): string {
  return `./clusters/${clusterName}`;
}

/** The layers every cluster gets, in apply order; each is a folder under manifests/<cluster>/ and a Flux Kustomization. */
export const LAYERS = ['baseline', 'policy', 'ingress', 'workload'] as const;
export type LayerName = (typeof LAYERS)[number];

/** Namespace of the cluster-wide baseline settings (exempt from the workload policies, like the system namespaces). */
export const BASELINE_NAMESPACE = 'cluster-baseline-settings';

/**
 * Kubernetes subject of the ingress controller's federated identity credential: the AKS side (its ServiceAccount)
 * and the Azure side (the credential on its managed identity) must spell it the same.
 */
export function ingressWorkloadIdentitySubject(spec: FleetSpec): string {
  return `system:serviceaccount:${spec.ingressController.namespace}:${INGRESS_CONTROLLER_SERVICE_ACCOUNT}`;
}

/**
 * Flux post-build substitution variables: values Azure assigns when a cluster's stamp deploys, so the model cannot
 * hold them. The stamp puts their values on the bootstrap kustomization (`postBuild.substitute`), each layer
 * Kustomization passes them on, and the manifests carry `${NAME}` placeholders.
 */
export const FLUX_SUBSTITUTIONS = {
  /** Client id of the ingress controller's user-assigned identity (SecretProviderClass, ServiceAccount). */
  ingressControllerClientId: 'INGRESS_CLIENT_ID',
} as const;

export type FluxSubstitution = keyof typeof FLUX_SUBSTITUTIONS;

/** The placeholder Flux replaces with a substitution variable's value: `${NAME}`. */
export function substitutionPlaceholder(variable: FluxSubstitution): string {
  return `\${${FLUX_SUBSTITUTIONS[variable]}}`;
}
