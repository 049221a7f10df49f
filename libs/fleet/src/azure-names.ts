/**
 * Azure resource names derived from the model once, shared by the infrastructure templates and the manifests
 * (SecretProviderClass `keyvaultName`, the ingress controller's workload identity …), so no name is spelled twice.
 *
 * Names are deterministic (same model → same names) and fit Azure's naming rules, length limits included.
 * Globally unique names (Key Vault, the App Gateway DNS label) carry a short hash of the fleet's identity
 * (appId + Git URL + cluster), so two forks of the same fleet do not collide.
 */
import { createHash } from 'node:crypto';
import type { Cluster, FleetSpec } from './schema.ts';
import { clustersOf } from './names.ts';

/** Kubernetes ServiceAccount of the ingress controller; the federated credential's subject names it. */
export const INGRESS_CONTROLLER_SERVICE_ACCOUNT = 'traefik-ingress-controller';

/** Audience of every federated identity credential (Microsoft Entra workload identity). */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

/** Key Vault object names per cluster vault (certificates and secrets: see libs/infra key-vault-objects.ts). */
export const KEY_VAULT_SECRETS = {
  /** App Gateway listener certificate (PFX, base64) for the App Gateway public FQDN. */
  appGatewayListenerCertificate: 'gateway-external-pfx-cert',
  /** CA/public certificate of the internal ingress host (App Gateway trusted root for the HTTPS backend). */
  ingressRootCertificate: 'appgw-ingress-internal-aks-ingress-tls',
  /** Certificate + private key (PEM) the ingress controller serves, mounted through the Secrets Store CSI driver. */
  ingressTlsCertificate: 'traefik-ingress-internal-aks-ingress-tls',
} as const;

/** Short lowercase hex hash of the fleet identity plus `parts`; stable across runs and machines. */
export function fleetHash(
  spec: Pick<FleetSpec, 'organization' | 'gitSource'>,
  length: number,
  ...parts: readonly string[]
): string {
  return createHash('sha256')
    .update([spec.organization.appId.toLowerCase(), spec.gitSource.url, ...parts].join('\n'))
    .digest('hex')
    .slice(0, length);
}

/**
 * `prefix + body + suffix` cut to `max` characters by shortening the body (never the prefix or the hash suffix),
 * without leaving a trailing or doubled hyphen at the cut.
 */
function fit(prefix: string, body: string, suffix: string, max: number): string {
  const room = max - prefix.length - suffix.length;
  const cut = body.slice(0, Math.max(room, 0)).replace(/-+$/, '');
  return `${prefix}${cut}${suffix}`.replace(/--+/g, '-');
}

/** Name of the ARM deployment of one plan step (`spoke/<cluster>` …): at most 64 characters, ARM's limit. */
export function armDeploymentName(stepId: string): string {
  return `aks-fleet-${stepId.replace(/\//g, '-')}`.slice(0, 64);
}

/** Names shared by the whole fleet (shared resource group, Front Door, ACR, Log Analytics, base firewall policy). */
export interface SharedAzureNames {
  readonly resourceGroup: string;
  readonly location: string;
  readonly containerRegistry: string;
  readonly logAnalyticsWorkspace: string;
  readonly containerInsightsSolution: string;
  readonly frontDoorProfile: string;
  readonly frontDoorEndpoint: string;
  readonly frontDoorOriginGroup: string;
  readonly frontDoorRoute: string;
  readonly frontDoorSecurityPolicy: string;
  /** Front Door WAF policy: letters and digits only, starting with a letter. */
  readonly frontDoorWafPolicy: string;
}

export function sharedAzureNames(spec: Pick<FleetSpec, 'organization' | 'sharedServices'>): SharedAzureNames {
  const app = spec.organization.appId.toLowerCase();
  const workspace = spec.sharedServices.logAnalytics.workspaceName;
  return {
    resourceGroup: `rg-${app}-shared-${spec.sharedServices.location}`,
    location: spec.sharedServices.location,
    containerRegistry: spec.sharedServices.containerRegistry.name,
    logAnalyticsWorkspace: workspace,
    containerInsightsSolution: `ContainerInsights(${workspace})`,
    frontDoorProfile: spec.sharedServices.frontDoor.name,
    frontDoorEndpoint: spec.sharedServices.frontDoor.name,
    frontDoorOriginGroup: 'og-aks-clusters',
    frontDoorRoute: 'route-default',
    frontDoorSecurityPolicy: 'secpol-waf',
    frontDoorWafPolicy: `wafafd${app}`.slice(0, 128),
  };
}

/** Per-region names: the hub network and the regional firewall. */
export interface RegionAzureNames {
  readonly region: string;
  readonly hubResourceGroup: string;
  readonly spokeResourceGroup: string;
  readonly hubVnet: string;
  readonly firewall: string;
  /** Regional child policy, located in the region. */
  readonly firewallPolicy: string;
  /** Base (org-wide) policy copy for this region: Azure requires a child policy and its base in one location. */
  readonly baseFirewallPolicy: string;
  readonly firewallPublicIps: readonly string[];
  /** IP group of every AKS node subnet of the region (source of the egress rules). */
  readonly nodepoolIpGroup: string;
}

export function regionAzureNames(region: string): RegionAzureNames {
  return {
    region,
    hubResourceGroup: `rg-enterprise-networking-hubs-${region}`,
    spokeResourceGroup: `rg-enterprise-networking-spokes-${region}`,
    hubVnet: `vnet-${region}-hub`,
    firewall: `fw-${region}`,
    firewallPolicy: `fw-policies-${region}`,
    baseFirewallPolicy: `fw-policies-base-${region}`,
    firewallPublicIps: ['00', '01', '02'].map((n) => `pip-fw-${region}-${n}`),
    nodepoolIpGroup: `ipg-${region}-aks-nodepools`,
  };
}

/** Per-cluster names: spoke network, stamp resource group and everything in it. */
export interface ClusterAzureNames {
  readonly cluster: string;
  readonly region: string;
  readonly resourceGroup: string;
  readonly nodeResourceGroup: string;
  readonly aksCluster: string;
  /** DNS prefix of the cluster's API server FQDN (AKS allows 54 characters, fewer than the cluster name). */
  readonly aksDnsPrefix: string;
  /** 3–24 characters, globally unique (hash suffix). */
  readonly keyVault: string;
  readonly keyVaultPrivateEndpoint: string;
  readonly containerRegistryPrivateEndpoint: string;
  readonly appGateway: string;
  readonly appGatewayWafPolicy: string;
  readonly appGatewayPublicIp: string;
  /** DNS label of the App Gateway public IP: `<label>.<region>.cloudapp.azure.com`. */
  readonly appGatewayDnsLabel: string;
  /** Public FQDN of the App Gateway: the Front Door origin host and the listener host name. */
  readonly appGatewayFqdn: string;
  readonly spokeVnet: string;
  readonly subnets: {
    readonly nodes: string;
    readonly ingress: string;
    readonly appGateway: string;
    readonly privateEndpoints: string;
  };
  readonly networkSecurityGroups: {
    readonly nodes: string;
    readonly ingress: string;
    readonly appGateway: string;
    readonly privateEndpoints: string;
  };
  readonly routeTable: string;
  readonly identities: {
    readonly controlPlane: string;
    readonly appGateway: string;
    readonly ingressController: string;
  };
  readonly ingressFederatedCredential: string;
  readonly frontDoorOrigin: string;
  /**
   * Container Insights data collection rule, `MSCI-<workspace region>-<AKS cluster>` as Microsoft's onboarding
   * templates name it: a DCR lives in its Log Analytics workspace's region.
   */
  readonly containerInsightsDataCollectionRule: string;
}

/** Clusters by name, built once per (frozen) spec: a linear search per call made 1000-cluster fleets quadratic. */
const indexes = new WeakMap<FleetSpec, Map<string, { region: string; cluster: Cluster }>>();

function clusterIndex(spec: FleetSpec): Map<string, { region: string; cluster: Cluster }> {
  let index = indexes.get(spec);
  if (!index) {
    index = new Map(clustersOf(spec).map(({ region, cluster }) => [cluster.name, { region, cluster }]));
    indexes.set(spec, index);
  }
  return index;
}

/** Finds the region of a cluster; throws a clear error for an unknown cluster. */
export function clusterRegion(spec: FleetSpec, clusterName: string): { region: string; cluster: Cluster } {
  const found = clusterIndex(spec).get(clusterName);
  if (!found) {
    const known = clustersOf(spec).map(({ cluster }) => cluster.name);
    throw new Error(
      `cluster "${clusterName}" is not in the fleet; expected one of ${known.join(', ')} — fix: use a cluster name from regions.<region>.clusters`,
    );
  }
  return { region: found.region, cluster: found.cluster };
}

export function clusterAzureNames(spec: FleetSpec, clusterName: string): ClusterAzureNames {
  return deriveClusterAzureNames(spec, clusterRegion(spec, clusterName).region, clusterName);
}

/**
 * The names of one cluster in `region`, without looking the cluster up (the model's rules check them before the
 * fleet is known to be valid). Only the fleet identity parts of `spec` are read.
 */
export function deriveClusterAzureNames(
  spec: Pick<FleetSpec, 'organization' | 'gitSource' | 'sharedServices'>,
  region: string,
  clusterName: string,
): ClusterAzureNames {
  const aks = fit('aks-', clusterName, '', 63);
  const spokeVnet = fit('vnet-spoke-', clusterName, '', 64);
  const keyVault = fit('kv-', clusterName, `-${fleetHash(spec, 5, clusterName, 'kv')}`, 24);
  const dnsLabel = fit('agw-', clusterName, `-${fleetHash(spec, 6, clusterName, 'agw')}`, 63);
  return {
    cluster: clusterName,
    region,
    resourceGroup: fit('rg-', clusterName, '', 90),
    nodeResourceGroup: fit('rg-', clusterName, '-nodepools', 80),
    aksCluster: aks,
    aksDnsPrefix: fit('aks-', clusterName, '', 54),
    keyVault,
    keyVaultPrivateEndpoint: `pe-${keyVault}`,
    containerRegistryPrivateEndpoint: fit(`pe-${spec.sharedServices.containerRegistry.name}-`, clusterName, '', 64),
    appGateway: `apw-${aks}`,
    appGatewayWafPolicy: `waf-${aks}`,
    appGatewayPublicIp: `pip-${clusterName}-appgw`,
    appGatewayDnsLabel: dnsLabel,
    appGatewayFqdn: `${dnsLabel}.${region}.cloudapp.azure.com`,
    spokeVnet,
    subnets: {
      nodes: 'snet-clusternodes',
      ingress: 'snet-clusteringressservices',
      appGateway: 'snet-applicationgateway',
      privateEndpoints: 'snet-privatelinkendpoints',
    },
    networkSecurityGroups: {
      nodes: `nsg-${spokeVnet}-nodepools`,
      ingress: `nsg-${spokeVnet}-aksilbs`,
      appGateway: `nsg-${spokeVnet}-appgw`,
      privateEndpoints: fit('nsg-', spokeVnet, '-privatelinkendpoints', 80),
    },
    routeTable: fit('route-', clusterName, `-to-${region}-hub-fw`, 80),
    identities: {
      controlPlane: `mi-${aks}-controlplane`,
      appGateway: `mi-${aks}-appgateway`,
      ingressController: `mi-${aks}-ingress-controller`,
    },
    ingressFederatedCredential: 'ingress-controller',
    frontDoorOrigin: `origin-${clusterName}`,
    containerInsightsDataCollectionRule: fit(`MSCI-${spec.sharedServices.location}-`, aks, '', 64),
  };
}
