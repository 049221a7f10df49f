/**
 * Azure's naming rules for every resource type whose name the model derives: length and characters, one table.
 * Source of every row: "Naming rules and restrictions for Azure resources"
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules), unless the row names
 * another. The model checks each *derived* name against its row, so an ARM deployment never fails on a name.
 */

export interface AzureNameRule {
  /** Resource type (or property) the name is for. */
  readonly type: string;
  readonly min: number;
  readonly max: number;
  /** The allowed characters and their order, as a pattern over the whole name. */
  readonly pattern: RegExp;
  /** The characters rule in words, for the error. */
  readonly characters: string;
}

/** Alphanumerics, underscores, periods and hyphens; start alphanumeric; end alphanumeric or underscore. */
const NETWORK = {
  pattern: /^[A-Za-z0-9]([\w.-]*\w)?$/,
  characters: 'letters, digits, "_", "." and "-", starting alphanumeric, ending alphanumeric or "_"',
};
const ALNUM_HYPHEN = {
  pattern: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
  characters: 'letters, digits and "-", starting and ending alphanumeric',
};

const RESOURCE_GROUP = {
  pattern: /^[-\w.()]*[-\w()]$/,
  characters: 'letters, digits, "_", "-", ".", "(" and ")", not ending in "."',
};
const IDENTITY = {
  pattern: /^[A-Za-z0-9][\w-]*$/,
  characters: 'letters, digits, "_" and "-", starting alphanumeric',
};

export const AZURE_NAME_RULES = {
  resourceGroup: { type: 'Microsoft.Resources/resourceGroups', min: 1, max: 90, ...RESOURCE_GROUP },
  /** AKS refuses node resource group names over 80 characters (managedClusters properties.nodeResourceGroup). */
  nodeResourceGroup: { type: 'managedClusters nodeResourceGroup', min: 1, max: 80, ...RESOURCE_GROUP },
  managedCluster: {
    type: 'Microsoft.ContainerService/managedClusters',
    min: 1,
    max: 63,
    pattern: /^[A-Za-z0-9]([\w-]*[A-Za-z0-9])?$/,
    characters: 'letters, digits, "_" and "-", starting and ending alphanumeric',
  },
  /** AKS API: "dnsPrefix must contain between 1 and 54 characters" (managedClusters properties.dnsPrefix). */
  aksDnsPrefix: { type: 'managedClusters dnsPrefix', min: 1, max: 54, ...ALNUM_HYPHEN },
  keyVault: {
    type: 'Microsoft.KeyVault/vaults',
    min: 3,
    max: 24,
    pattern: /^[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/,
    characters: 'letters, digits and single "-", starting with a letter, ending alphanumeric',
  },
  privateEndpoint: { type: 'Microsoft.Network/privateEndpoints', min: 2, max: 64, ...NETWORK },
  publicIp: { type: 'Microsoft.Network/publicIPAddresses', min: 1, max: 80, ...NETWORK },
  /** Public IP DNS label (dnsSettings.domainNameLabel): `^[a-z][a-z0-9-]{1,61}[a-z0-9]$` (the API's own message). */
  publicIpDnsLabel: {
    type: 'publicIPAddresses dnsSettings.domainNameLabel',
    min: 3,
    max: 63,
    pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/,
    characters: 'lowercase letters, digits and "-", starting with a letter',
  },
  networkSecurityGroup: { type: 'Microsoft.Network/networkSecurityGroups', min: 1, max: 80, ...NETWORK },
  routeTable: { type: 'Microsoft.Network/routeTables', min: 1, max: 80, ...NETWORK },
  virtualNetwork: { type: 'Microsoft.Network/virtualNetworks', min: 2, max: 64, ...NETWORK },
  subnet: { type: 'Microsoft.Network/virtualNetworks/subnets', min: 1, max: 80, ...NETWORK },
  virtualNetworkPeering: {
    type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
    min: 1,
    max: 80,
    ...NETWORK,
  },
  applicationGateway: { type: 'Microsoft.Network/applicationGateways', min: 1, max: 80, ...NETWORK },
  appGatewayWafPolicy: {
    type: 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies',
    min: 1,
    max: 128,
    ...NETWORK,
  },
  firewall: { type: 'Microsoft.Network/azureFirewalls', min: 1, max: 80, ...NETWORK },
  firewallPolicy: { type: 'Microsoft.Network/firewallPolicies', min: 1, max: 80, ...NETWORK },
  ipGroup: { type: 'Microsoft.Network/ipGroups', min: 1, max: 80, ...NETWORK },
  userAssignedIdentity: { type: 'Microsoft.ManagedIdentity/userAssignedIdentities', min: 3, max: 128, ...IDENTITY },
  federatedCredential: {
    type: 'userAssignedIdentities/federatedIdentityCredentials',
    min: 3,
    max: 120,
    ...IDENTITY,
  },
  containerRegistry: {
    type: 'Microsoft.ContainerRegistry/registries',
    min: 5,
    max: 50,
    pattern: /^[A-Za-z0-9]+$/,
    characters: 'letters and digits',
  },
  logAnalyticsWorkspace: { type: 'Microsoft.OperationalInsights/workspaces', min: 4, max: 63, ...ALNUM_HYPHEN },
  frontDoorProfile: { type: 'Microsoft.Cdn/profiles', min: 1, max: 260, ...ALNUM_HYPHEN },
  frontDoorEndpoint: { type: 'Microsoft.Cdn/profiles/afdEndpoints', min: 1, max: 46, ...ALNUM_HYPHEN },
  frontDoorChild: {
    type: 'Microsoft.Cdn/profiles origin groups, origins, routes and security policies',
    min: 1,
    max: 90,
    ...ALNUM_HYPHEN,
  },
  frontDoorWafPolicy: {
    type: 'Microsoft.Network/frontdoorWebApplicationFirewallPolicies',
    min: 1,
    max: 128,
    pattern: /^[A-Za-z][A-Za-z0-9]*$/,
    characters: 'letters and digits, starting with a letter',
  },
} as const satisfies Record<string, AzureNameRule>;

export type AzureNameKind = keyof typeof AZURE_NAME_RULES;

/** Why `name` breaks `rule`, or undefined when it fits. */
export function azureNameProblem(rule: AzureNameRule, name: string): string | undefined {
  if (name.length < rule.min || name.length > rule.max)
    return `${rule.min}–${rule.max} characters (it has ${name.length})`;
  if (!rule.pattern.test(name)) return rule.characters;
  return undefined;
}
