/**
 * The stamp's private plumbing: the cluster's Key Vault (RBAC authorization, no public network access, reached
 * through a private endpoint) with the certificates as secrets from secure parameters, the private endpoint to the
 * shared registry, the privatelink DNS zones, and the internal ingress zone whose A record maps the single backend
 * hostname to the ingress controller's internal load balancer IP.
 */
import { backendHostname, ingressDomain, KEY_VAULT_SECRETS } from '@aks-fleet/fleet';
import { expr, idOf, idRef, parameter, resource, type ArmParameterDefinition, type ArmResource } from '../arm/arm-template.ts';
import type { StampContext } from './stamp-context.ts';
import { diagnosticSettings, TAGS, tracked } from '../arm/template-helpers.ts';

/** Secure parameters of the stamp: certificates never appear in a template or a parameters file. */
export const STAMP_SECURE_PARAMETERS = {
  appGatewayListenerCertificate: {
    secret: KEY_VAULT_SECRETS.appGatewayListenerCertificate,
    contentType: 'application/x-pkcs12',
    description: 'Base64 PFX (no password) of a publicly trusted certificate for the App Gateway public FQDN.',
  },
  ingressRootCertificate: {
    secret: KEY_VAULT_SECRETS.ingressRootCertificate,
    contentType: 'application/x-x509-ca-cert',
    description: 'Base64 certificate (CRT) the App Gateway trusts on its HTTPS backend: the CA of the internal ingress certificate.',
  },
  ingressTlsCertificate: {
    secret: KEY_VAULT_SECRETS.ingressTlsCertificate,
    contentType: 'application/x-pem-file',
    description: 'PEM certificate and private key of the internal ingress host, served by the ingress controller.',
  },
} as const;

export function stampSecureParameterDefinitions(): Record<string, ArmParameterDefinition> {
  return Object.fromEntries(
    Object.entries(STAMP_SECURE_PARAMETERS).map(([name, { description }]) => [name, { type: 'securestring', metadata: { description } } satisfies ArmParameterDefinition]),
  );
}

/** Versionless secret URI (App Gateway picks up a rotated certificate by itself). Azure public cloud DNS suffix. */
export function keyVaultSecretUri(keyVault: string, secret: string): string {
  return `https://${keyVault}.vault.azure.net/secrets/${secret}`;
}

export const PRIVATE_LINK_ZONES = { keyVault: 'privatelink.vaultcore.azure.net', containerRegistry: 'privatelink.azurecr.io' } as const;

/** The A record name of the backend hostname in the ingress zone (`<record>.<ingressDomain>` = backendHostname). */
export function backendRecordName(context: StampContext): string {
  const host = backendHostname(context.fleet.spec);
  const zone = ingressDomain(context.fleet.spec);
  if (!host.endsWith(`.${zone}`)) throw new Error(`backend hostname ${host} is not inside the ingress zone ${zone}; expected <name>.${zone} — fix: derive both from libs/fleet names.ts`);
  return host.slice(0, -(zone.length + 1));
}

export function keyVaultSecretIds(context: StampContext): string[] {
  return Object.values(STAMP_SECURE_PARAMETERS).map(({ secret }) => idOf('Microsoft.KeyVault/vaults/secrets', context.names.keyVault, secret));
}

function privateDnsZone(context: StampContext, zone: string): ArmResource[] {
  const zoneId = idOf('Microsoft.Network/privateDnsZones', zone);
  return [
    resource('Microsoft.Network/privateDnsZones', zone, { location: 'global', tags: TAGS, properties: {} }),
    resource('Microsoft.Network/privateDnsZones/virtualNetworkLinks', `${zone}/to_${context.names.spokeVnet}`, {
      location: 'global',
      tags: TAGS,
      dependsOn: [expr(zoneId)],
      properties: { virtualNetwork: idRef(context.ids.spokeVnet), registrationEnabled: false },
    }),
  ];
}

function privateEndpoint(context: StampContext, name: string, target: string, groupId: string, zone: string, dependsOn: readonly string[]): ArmResource[] {
  const endpointId = idOf('Microsoft.Network/privateEndpoints', name);
  const zoneId = idOf('Microsoft.Network/privateDnsZones', zone);
  return [
    tracked('Microsoft.Network/privateEndpoints', name, context.region, {
      dependsOn: dependsOn.map(expr),
      properties: {
        // Their own subnet: a dynamic IP here can never take the ingress ILB's fixed address.
        subnet: idRef(context.ids.privateEndpointsSubnet),
        privateLinkServiceConnections: [{ name: `to-${groupId}`, properties: { privateLinkServiceId: expr(target), groupIds: [groupId] } }],
      },
    }),
    resource('Microsoft.Network/privateEndpoints/privateDnsZoneGroups', `${name}/default`, {
      dependsOn: [expr(endpointId), expr(zoneId)],
      properties: { privateDnsZoneConfigs: [{ name: zone.replace(/\./g, '-'), properties: { privateDnsZoneId: expr(zoneId) } }] },
    }),
  ];
}

export function keyVaultAndNetworking(context: StampContext): ArmResource[] {
  const { names, ids, region, cluster } = context;
  const ingressZone = ingressDomain(context.fleet.spec);
  return [
    tracked('Microsoft.KeyVault/vaults', names.keyVault, region, {
      properties: {
        tenantId: expr('subscription().tenantId'),
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        publicNetworkAccess: 'Disabled',
        networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] },
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
      },
    }),
    ...Object.values(STAMP_SECURE_PARAMETERS).map(({ secret, contentType }, index) =>
      resource('Microsoft.KeyVault/vaults/secrets', `${names.keyVault}/${secret}`, {
        dependsOn: [expr(ids.keyVault)],
        properties: { value: parameter(Object.keys(STAMP_SECURE_PARAMETERS)[index]!), contentType, attributes: { enabled: true } },
      }),
    ),
    diagnosticSettings(context.fleet.spec, ids.keyVault, ids.keyVault),
    ...privateDnsZone(context, PRIVATE_LINK_ZONES.keyVault),
    ...privateDnsZone(context, PRIVATE_LINK_ZONES.containerRegistry),
    ...privateEndpoint(context, names.keyVaultPrivateEndpoint, ids.keyVault, 'vault', PRIVATE_LINK_ZONES.keyVault, [ids.keyVault]),
    ...privateEndpoint(context, names.containerRegistryPrivateEndpoint, ids.containerRegistry, 'registry', PRIVATE_LINK_ZONES.containerRegistry, []),
    ...privateDnsZone(context, ingressZone),
    resource('Microsoft.Network/privateDnsZones/A', `${ingressZone}/${backendRecordName(context)}`, {
      dependsOn: [expr(idOf('Microsoft.Network/privateDnsZones', ingressZone))],
      properties: { ttl: 3600, aRecords: [{ ipv4Address: cluster.ingress.internalLoadBalancerIp }] },
    }),
  ];
}
