/**
 * A cluster's Key Vault and its private plumbing. The vault itself (RBAC authorization, no public network access)
 * is its own deployment before the stamp (`key-vault/<cluster>`), so `fleet infra deploy` can import the
 * certificates (KEY_VAULT_OBJECTS) before the App Gateway that reads them is created. The stamp adds the private
 * endpoint to it and to the shared registry, the privatelink DNS zones, and the internal ingress zone whose A record
 * maps the single backend hostname to the ingress controller's internal load balancer IP.
 */
import { backendHostname, ingressDomain } from '@aks-fleet/fleet';
import {
  expr,
  idOf,
  idRef,
  lit,
  parameter,
  resource,
  roleDefinitionId,
  BUILT_IN_ROLES,
  type ArmParameterDefinition,
  type ArmResource,
} from '../arm/arm-template.ts';
import { KEY_VAULT_OBJECTS, TLS_FILE_FORMATS } from './key-vault-objects.ts';
import type { StampContext } from './stamp-context.ts';
import { diagnosticSettings, TAGS, tracked } from '../arm/template-helpers.ts';

/** Secure parameters of the key-vault deployment: template-written secrets, never in a template or parameters file. */
export const KEY_VAULT_SECURE_PARAMETERS = {
  ingressRootCertificate: KEY_VAULT_OBJECTS.ingressRootCertificate,
} as const;

/**
 * Object id of the principal that runs `fleet infra deploy` (filled in by it): it gets Key Vault Certificates Officer
 * on the vault to import the certificates. Empty: no assignment (the importer already holds a role).
 */
export const CERTIFICATE_IMPORTER_PARAMETER = 'certificateImporterPrincipalId';

export function keyVaultParameterDefinitions(): Record<string, ArmParameterDefinition> {
  return {
    ...Object.fromEntries(
      Object.entries(KEY_VAULT_SECURE_PARAMETERS).map(([name, { description }]) => [
        name,
        {
          type: 'securestring',
          metadata: { description: `Base64 of the ${description}.` },
        } satisfies ArmParameterDefinition,
      ]),
    ),
    [CERTIFICATE_IMPORTER_PARAMETER]: {
      type: 'string',
      defaultValue: '',
      metadata: {
        description:
          'Object id of the deploying principal, which imports the certificates (fleet infra deploy sets it).',
      },
    },
  };
}

/** Versionless secret URI (App Gateway picks up a rotated certificate by itself). Azure public cloud DNS suffix. */
export function keyVaultSecretUri(keyVault: string, secret: string): string {
  return `https://${keyVault}.vault.azure.net/secrets/${secret}`;
}

export const PRIVATE_LINK_ZONES = {
  keyVault: 'privatelink.vaultcore.azure.net',
  containerRegistry: 'privatelink.azurecr.io',
} as const;

/** The A record name of the backend hostname in the ingress zone (`<record>.<ingressDomain>` = backendHostname). */
export function backendRecordName(context: StampContext): string {
  const host = backendHostname(context.fleet.spec);
  const zone = ingressDomain(context.fleet.spec);
  if (!host.endsWith(`.${zone}`))
    throw new Error(
      `backend hostname ${host} is not inside the ingress zone ${zone}; expected <name>.${zone} — fix: derive both from libs/fleet names.ts`,
    );
  return host.slice(0, -(zone.length + 1));
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

function privateEndpoint(
  context: StampContext,
  name: string,
  target: string,
  groupId: string,
  zone: string,
  dependsOn: readonly string[],
): ArmResource[] {
  const endpointId = idOf('Microsoft.Network/privateEndpoints', name);
  const zoneId = idOf('Microsoft.Network/privateDnsZones', zone);
  return [
    tracked('Microsoft.Network/privateEndpoints', name, context.region, {
      dependsOn: dependsOn.map(expr),
      properties: {
        // Their own subnet: a dynamic IP here can never take the ingress ILB's fixed address.
        subnet: idRef(context.ids.privateEndpointsSubnet),
        privateLinkServiceConnections: [
          { name: `to-${groupId}`, properties: { privateLinkServiceId: expr(target), groupIds: [groupId] } },
        ],
      },
    }),
    resource('Microsoft.Network/privateEndpoints/privateDnsZoneGroups', `${name}/default`, {
      dependsOn: [expr(endpointId), expr(zoneId)],
      properties: {
        privateDnsZoneConfigs: [{ name: zone.replace(/\./g, '-'), properties: { privateDnsZoneId: expr(zoneId) } }],
      },
    }),
  ];
}

/** The vault, its diagnostics, the template-written secrets and the importer's role (the key-vault deployment). */
export function keyVault(context: StampContext): ArmResource[] {
  const { names, ids, region } = context;
  const importer = `parameters(${lit(CERTIFICATE_IMPORTER_PARAMETER)})`;
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
    ...Object.entries(KEY_VAULT_SECURE_PARAMETERS).map(([name, { name: secret, format }]) =>
      resource('Microsoft.KeyVault/vaults/secrets', `${names.keyVault}/${secret}`, {
        dependsOn: [expr(ids.keyVault)],
        properties: {
          value: parameter(name),
          contentType: TLS_FILE_FORMATS[format].contentType,
          attributes: { enabled: true },
        },
      }),
    ),
    diagnosticSettings(context.fleet.spec, ids.keyVault, ids.keyVault),
    resource(
      'Microsoft.Authorization/roleAssignments',
      expr(`guid(${ids.keyVault}, ${importer}, ${lit(BUILT_IN_ROLES.keyVaultCertificatesOfficer)})`),
      {
        condition: expr(`not(empty(${importer}))`),
        scope: expr(ids.keyVault),
        dependsOn: [expr(ids.keyVault)],
        properties: {
          roleDefinitionId: roleDefinitionId(BUILT_IN_ROLES.keyVaultCertificatesOfficer),
          principalId: expr(importer),
          description: 'Key Vault Certificates Officer: fleet infra deploy imports the TLS certificates',
        },
      },
    ),
  ];
}

/** Private endpoints, privatelink zones and the internal ingress zone (the stamp). */
export function keyVaultNetworking(context: StampContext): ArmResource[] {
  const { names, ids, cluster } = context;
  const ingressZone = ingressDomain(context.fleet.spec);
  return [
    ...privateDnsZone(context, PRIVATE_LINK_ZONES.keyVault),
    ...privateDnsZone(context, PRIVATE_LINK_ZONES.containerRegistry),
    ...privateEndpoint(context, names.keyVaultPrivateEndpoint, ids.keyVault, 'vault', PRIVATE_LINK_ZONES.keyVault, []),
    ...privateEndpoint(
      context,
      names.containerRegistryPrivateEndpoint,
      ids.containerRegistry,
      'registry',
      PRIVATE_LINK_ZONES.containerRegistry,
      [],
    ),
    ...privateDnsZone(context, ingressZone),
    resource('Microsoft.Network/privateDnsZones/A', `${ingressZone}/${backendRecordName(context)}`, {
      dependsOn: [expr(idOf('Microsoft.Network/privateDnsZones', ingressZone))],
      properties: { ttl: 3600, aRecords: [{ ipv4Address: cluster.ingress.internalLoadBalancerIp }] },
    }),
  ];
}
