/**
 * The shared deployment (shared resource group): Log Analytics + Container Insights, the geo-replicated Premium
 * ACR, the org-wide base firewall policy, and Azure Front Door Premium with its WAF policy, endpoint, origin group
 * and security policy. The origins and the route come last, in the Front Door step (frontdoor-template.ts), once the
 * regional App Gateways exist — so no placeholder origin is ever needed.
 */
import { clustersOf, regionAzureNames, sharedAzureNames, type Fleet } from '@aks-fleet/fleet';
import {
  expr,
  idOf,
  idRef,
  referenceOf,
  template,
  resource,
  type ArmResource,
  type ArmTemplate,
} from '../arm/arm-template.ts';
import {
  diagnosticSettings,
  tagsParameterDefinition,
  tracked,
  TAGS,
  workspaceIdExpression,
} from '../arm/template-helpers.ts';

/** Regions of the model that host clusters, in model order. */
export function fleetRegions(fleet: Readonly<Fleet>): string[] {
  return [...new Set(clustersOf(fleet.spec).map(({ region }) => region))];
}

/** ACR replica regions: every region of the model except the registry's home (the shared location). */
export function registryReplicaRegions(fleet: Readonly<Fleet>): string[] {
  return fleetRegions(fleet).filter((region) => region !== fleet.spec.sharedServices.location);
}

function logAnalytics(fleet: Readonly<Fleet>): ArmResource[] {
  const shared = sharedAzureNames(fleet.spec);
  const workspaceId = idOf('Microsoft.OperationalInsights/workspaces', shared.logAnalyticsWorkspace);
  return [
    tracked('Microsoft.OperationalInsights/workspaces', shared.logAnalyticsWorkspace, shared.location, {
      properties: {
        sku: { name: 'PerGB2018' },
        retentionInDays: 30,
        publicNetworkAccessForIngestion: 'Enabled',
        publicNetworkAccessForQuery: 'Enabled',
      },
    }),
    tracked('Microsoft.OperationsManagement/solutions', shared.containerInsightsSolution, shared.location, {
      dependsOn: [expr(workspaceId)],
      plan: {
        name: shared.containerInsightsSolution,
        product: 'OMSGallery/ContainerInsights',
        publisher: 'Microsoft',
        promotionCode: '',
      },
      properties: { workspaceResourceId: expr(workspaceId) },
    }),
  ];
}

function containerRegistry(fleet: Readonly<Fleet>): ArmResource[] {
  const shared = sharedAzureNames(fleet.spec);
  const registryId = idOf('Microsoft.ContainerRegistry/registries', shared.containerRegistry);
  return [
    tracked('Microsoft.ContainerRegistry/registries', shared.containerRegistry, shared.location, {
      sku: { name: 'Premium' },
      properties: {
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        dataEndpointEnabled: true,
        publicNetworkAccess: 'Disabled',
        networkRuleBypassOptions: 'AzureServices',
        networkRuleSet: { defaultAction: 'Deny' },
        zoneRedundancy: 'Enabled',
        policies: {
          retentionPolicy: { days: 15, status: 'enabled' },
          quarantinePolicy: { status: 'disabled' },
          trustPolicy: { type: 'Notary', status: 'disabled' },
        },
      },
    }),
    // One replica per region of the model (the home region is the registry itself).
    ...registryReplicaRegions(fleet).map((region) =>
      tracked('Microsoft.ContainerRegistry/registries/replications', `${shared.containerRegistry}/${region}`, region, {
        dependsOn: [expr(registryId)],
        properties: { regionEndpointEnabled: true, zoneRedundancy: 'Enabled' },
      }),
    ),
    diagnosticSettings(fleet.spec, registryId, registryId),
  ];
}

/**
 * The org-wide base firewall policy (UDP 53 allowed, threat intel Deny, DNS proxy). Azure requires a child policy
 * and its base policy in the same location, and each regional child policy is located in its region, so the base
 * policy is emitted once per region (same content, located in that region).
 */
function baseFirewallPolicies(fleet: Readonly<Fleet>): ArmResource[] {
  return fleetRegions(fleet).flatMap((region) => {
    const names = regionAzureNames(region);
    const policyId = idOf('Microsoft.Network/firewallPolicies', names.baseFirewallPolicy);
    return [
      tracked('Microsoft.Network/firewallPolicies', names.baseFirewallPolicy, region, {
        properties: {
          sku: { tier: 'Standard' },
          threatIntelMode: 'Deny',
          dnsSettings: { enableProxy: true, servers: [] },
        },
      }),
      resource(
        'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
        `${names.baseFirewallPolicy}/DefaultNetworkRuleCollectionGroup`,
        {
          dependsOn: [expr(policyId)],
          properties: {
            priority: 200,
            ruleCollections: [
              {
                ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
                name: 'org-wide-allowed',
                priority: 100,
                action: { type: 'Allow' },
                rules: [
                  {
                    ruleType: 'NetworkRule',
                    name: 'dns',
                    description: 'Allow DNS outbound (for simplicity, adjust as needed)',
                    ipProtocols: ['UDP'],
                    sourceAddresses: ['*'],
                    destinationAddresses: ['*'],
                    destinationPorts: ['53'],
                  },
                ],
              },
            ],
          },
        },
      ),
    ];
  });
}

function frontDoor(fleet: Readonly<Fleet>): ArmResource[] {
  const shared = sharedAzureNames(fleet.spec);
  const profileId = idOf('Microsoft.Cdn/profiles', shared.frontDoorProfile);
  const endpointId = idOf('Microsoft.Cdn/profiles/afdEndpoints', shared.frontDoorProfile, shared.frontDoorEndpoint);
  const wafId = idOf('Microsoft.Network/FrontDoorWebApplicationFirewallPolicies', shared.frontDoorWafPolicy);
  return [
    resource('Microsoft.Network/FrontDoorWebApplicationFirewallPolicies', shared.frontDoorWafPolicy, {
      location: 'Global',
      tags: TAGS,
      sku: { name: 'Premium_AzureFrontDoor' },
      properties: {
        policySettings: {
          enabledState: 'Enabled',
          mode: 'Prevention',
          customBlockResponseStatusCode: 403,
          requestBodyCheck: 'Enabled',
        },
        // The managed rules block (the reference only logs them, ruleSetAction 'Log').
        managedRules: {
          managedRuleSets: [{ ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1', ruleSetAction: 'Block' }],
        },
      },
    }),
    resource('Microsoft.Cdn/profiles', shared.frontDoorProfile, {
      location: 'global',
      tags: TAGS,
      sku: { name: 'Premium_AzureFrontDoor' },
      properties: { originResponseTimeoutSeconds: 120 },
    }),
    resource('Microsoft.Cdn/profiles/afdEndpoints', `${shared.frontDoorProfile}/${shared.frontDoorEndpoint}`, {
      location: 'global',
      tags: TAGS,
      dependsOn: [expr(profileId)],
      properties: { enabledState: 'Enabled', autoGeneratedDomainNameLabelScope: 'TenantReuse' },
    }),
    resource('Microsoft.Cdn/profiles/originGroups', `${shared.frontDoorProfile}/${shared.frontDoorOriginGroup}`, {
      dependsOn: [expr(profileId)],
      properties: {
        loadBalancingSettings: { sampleSize: 4, successfulSamplesRequired: 2, additionalLatencyInMilliseconds: 50 },
        // Deep probe: the workload's health endpoint through App Gateway and Traefik, so a region whose workload is
        // down fails over, not only one whose gateway is.
        healthProbeSettings: {
          probePath: fleet.spec.workload.healthPath,
          probeRequestType: 'HEAD',
          probeProtocol: 'Https',
          probeIntervalInSeconds: 30,
        },
        sessionAffinityState: 'Disabled',
      },
    }),
    resource(
      'Microsoft.Cdn/profiles/securityPolicies',
      `${shared.frontDoorProfile}/${shared.frontDoorSecurityPolicy}`,
      {
        dependsOn: [expr(endpointId), expr(wafId)],
        properties: {
          parameters: {
            type: 'WebApplicationFirewall',
            wafPolicy: idRef(wafId),
            associations: [{ domains: [idRef(endpointId)], patternsToMatch: ['/*'] }],
          },
        },
      },
    ),
    diagnosticSettings(fleet.spec, profileId, profileId, {
      categories: ['FrontDoorAccessLog', 'FrontDoorHealthProbeLog', 'FrontDoorWebApplicationFirewallLog'],
    }),
  ];
}

export function sharedTemplate(fleet: Readonly<Fleet>): ArmTemplate {
  const shared = sharedAzureNames(fleet.spec);
  return template(
    [...logAnalytics(fleet), ...containerRegistry(fleet), ...baseFirewallPolicies(fleet), ...frontDoor(fleet)],
    {
      parameters: tagsParameterDefinition(),
      outputs: {
        logAnalyticsWorkspaceId: { type: 'string', value: expr(workspaceIdExpression(fleet.spec)) },
        containerRegistryLoginServer: {
          type: 'string',
          value: expr(
            `${referenceOf(idOf('Microsoft.ContainerRegistry/registries', shared.containerRegistry), 'Microsoft.ContainerRegistry/registries')}.loginServer`,
          ),
        },
        frontDoorEndpointHostName: {
          type: 'string',
          value: expr(
            `${referenceOf(idOf('Microsoft.Cdn/profiles/afdEndpoints', shared.frontDoorProfile, shared.frontDoorEndpoint), 'Microsoft.Cdn/profiles/afdEndpoints')}.hostName`,
          ),
        },
      },
    },
  );
}
