/**
 * Every name the model derives, checked at model time: Azure resource names against their type's rules
 * (azure-name-rules.ts), Kubernetes names and label values (DNS-1123 labels), DNS names (labels of at most 63,
 * at most 253 in all), and no two clusters deriving the same name after truncation or case folding.
 */
import { AZURE_NAME_RULES, azureNameProblem, type AzureNameKind } from './azure-name-rules.ts';
import { armDeploymentName, deriveClusterAzureNames, regionAzureNames, sharedAzureNames } from './azure-names.ts';
import type { Cluster, FleetSpec } from './schema.ts';

type Add = (path: string, value: unknown, expected: string, fix: string) => void;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: what Kubernetes requires of a Service name (a DNS-1123 label that starts with a letter). */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME_MAX = 253;
const DNS_LABEL_MAX = 63;

function checkAzureName(path: string, kind: AzureNameKind, name: string, what: string, add: Add): void {
  const rule = AZURE_NAME_RULES[kind];
  const problem = azureNameProblem(rule, name);
  if (problem)
    add(
      path,
      name,
      `a ${rule.type} name (${what}) of ${problem === rule.characters ? problem : `${rule.min}–${rule.max} characters`}: ${problem}`,
      `shorten or rename ${path} so that the derived name "${name}" fits`,
    );
}

/** A DNS name whose labels are at most 63 characters and the whole at most 253. */
export function dnsNameProblem(name: string): string | undefined {
  if (name.length > DNS_NAME_MAX) return `at most ${DNS_NAME_MAX} characters in all (it has ${name.length})`;
  const long = name.split('.').find((label) => label.length > DNS_LABEL_MAX);
  return long
    ? `labels of at most ${DNS_LABEL_MAX} characters ("${long.slice(0, 20)}…" has ${long.length})`
    : undefined;
}

export type NameInput = Pick<FleetSpec, 'organization' | 'gitSource' | 'sharedServices' | 'dns' | 'workload'>;

/** Shared and per-region names. */
export function checkFleetNames(spec: NameInput, regions: readonly string[], add: Add): void {
  const shared = sharedAzureNames(spec);
  checkAzureName('sharedServices.location', 'resourceGroup', shared.resourceGroup, 'shared resource group', add);
  checkAzureName(
    'sharedServices.frontDoor.name',
    'frontDoorProfile',
    shared.frontDoorProfile,
    'Front Door profile',
    add,
  );
  checkAzureName(
    'sharedServices.frontDoor.name',
    'frontDoorEndpoint',
    shared.frontDoorEndpoint,
    'Front Door endpoint',
    add,
  );
  checkAzureName('organization.appId', 'frontDoorWafPolicy', shared.frontDoorWafPolicy, 'Front Door WAF policy', add);
  checkAzureName(
    'sharedServices.containerRegistry.name',
    'containerRegistry',
    shared.containerRegistry,
    'container registry',
    add,
  );
  checkAzureName(
    'sharedServices.logAnalytics.workspaceName',
    'logAnalyticsWorkspace',
    shared.logAnalyticsWorkspace,
    'Log Analytics workspace',
    add,
  );
  if (!DNS_1035_LABEL.test(spec.workload.name)) {
    add(
      'workload.name',
      spec.workload.name,
      'a name that starts with a letter: it is also the Service name, an RFC 1035 label',
      `e.g. app-${spec.workload.name}`,
    );
  }
  const backend = `${spec.organization.appId.toLowerCase()}.aks-ingress.${spec.dns.domain}`;
  const dnsProblem = dnsNameProblem(backend);
  if (dnsProblem)
    add(
      'dns.domain',
      spec.dns.domain,
      `a domain whose derived ingress host name "${backend.slice(0, 40)}…" has ${dnsProblem}`,
      'use a shorter domain',
    );
  for (const region of regions) {
    const names = regionAzureNames(region);
    const path = `regions.${region}`;
    checkAzureName(path, 'resourceGroup', names.hubResourceGroup, 'hub resource group', add);
    checkAzureName(path, 'virtualNetwork', names.hubVnet, 'hub VNet', add);
    checkAzureName(path, 'firewall', names.firewall, 'firewall', add);
    checkAzureName(path, 'firewallPolicy', names.baseFirewallPolicy, 'firewall policy', add);
    checkAzureName(path, 'ipGroup', names.nodepoolIpGroup, 'IP group', add);
  }
}

/** Per-cluster names, Kubernetes label values included; collisions between clusters reported naming both. */
export function checkClusterNames(
  spec: NameInput,
  clusters: ReadonlyArray<{ path: string; region: string; cluster: Cluster }>,
  add: Add,
): void {
  const taken = new Map<string, string>();
  const claim = (path: string, scope: string, what: string, name: string) => {
    const key = `${scope}\n${what}\n${name.toLowerCase()}`;
    const previous = taken.get(key);
    if (previous && previous !== path) {
      add(
        `${path}.name`,
        name,
        `a ${what} name of its own (${previous} derives the same "${name}" after truncation or case folding)`,
        `rename one of ${previous} and ${path} so that they differ earlier in the name`,
      );
    } else {
      taken.set(key, path);
    }
  };
  for (const { path, region, cluster } of clusters) {
    const names = deriveClusterAzureNames(spec, region, cluster.name);
    const at = `${path}.name`;
    checkAzureName(at, 'resourceGroup', names.resourceGroup, 'cluster resource group', add);
    checkAzureName(at, 'nodeResourceGroup', names.nodeResourceGroup, 'node resource group', add);
    checkAzureName(at, 'managedCluster', names.aksCluster, 'AKS cluster', add);
    checkAzureName(at, 'aksDnsPrefix', names.aksDnsPrefix, 'AKS DNS prefix', add);
    checkAzureName(at, 'keyVault', names.keyVault, 'Key Vault', add);
    checkAzureName(at, 'privateEndpoint', names.keyVaultPrivateEndpoint, 'Key Vault private endpoint', add);
    checkAzureName(at, 'privateEndpoint', names.containerRegistryPrivateEndpoint, 'registry private endpoint', add);
    checkAzureName(at, 'applicationGateway', names.appGateway, 'App Gateway', add);
    checkAzureName(at, 'appGatewayWafPolicy', names.appGatewayWafPolicy, 'App Gateway WAF policy', add);
    checkAzureName(at, 'publicIp', names.appGatewayPublicIp, 'App Gateway public IP', add);
    checkAzureName(at, 'publicIpDnsLabel', names.appGatewayDnsLabel, 'App Gateway DNS label', add);
    checkAzureName(at, 'virtualNetwork', names.spokeVnet, 'spoke VNet', add);
    checkAzureName(at, 'virtualNetworkPeering', `to_${names.spokeVnet}`, 'hub-to-spoke peering', add);
    for (const nsg of Object.values(names.networkSecurityGroups))
      checkAzureName(at, 'networkSecurityGroup', nsg, 'network security group', add);
    for (const subnet of Object.values(names.subnets)) checkAzureName(at, 'subnet', subnet, 'subnet', add);
    checkAzureName(at, 'routeTable', names.routeTable, 'route table', add);
    for (const identity of Object.values(names.identities))
      checkAzureName(at, 'userAssignedIdentity', identity, 'managed identity', add);
    checkAzureName(at, 'federatedCredential', names.ingressFederatedCredential, 'federated credential', add);
    checkAzureName(at, 'frontDoorChild', names.frontDoorOrigin, 'Front Door origin', add);
    const fqdnProblem = dnsNameProblem(names.appGatewayFqdn);
    if (fqdnProblem)
      add(at, names.appGatewayFqdn, `an App Gateway host name with ${fqdnProblem}`, 'use a shorter cluster name');

    // Names in one scope must differ: subscription-wide resource groups, globally unique vaults and DNS labels,
    // the spoke VNet peered into its region's hub, the origin in the fleet's one origin group.
    claim(path, 'subscription', 'resource group', names.resourceGroup);
    claim(path, 'subscription', 'node resource group', names.nodeResourceGroup);
    claim(path, 'global', 'Key Vault', names.keyVault);
    claim(path, 'global', 'App Gateway host', names.appGatewayFqdn);
    claim(path, region, 'spoke VNet', names.spokeVnet);
    claim(path, 'fleet', 'Front Door origin', names.frontDoorOrigin);
    // The spoke deployments of a region share the region's spoke resource group (deployment names are cut at 64).
    claim(path, region, 'spoke deployment', armDeploymentName(`spoke/${cluster.name}`));

    // Kubernetes: the canary Deployment's name is also its pods' `app.kubernetes.io/instance` label value.
    if (cluster.workload.canary) {
      const canary = `${spec.workload.name}-canary`;
      if (canary.length > DNS_LABEL_MAX || !DNS_LABEL.test(canary)) {
        add(
          'workload.name',
          spec.workload.name,
          `a name whose canary Deployment "${canary}" is a label value of at most ${DNS_LABEL_MAX} characters`,
          `shorten workload.name to at most ${DNS_LABEL_MAX - '-canary'.length} characters`,
        );
      }
    }
  }
}
