/**
 * Hub phase 2 (hub resource group of the region), after the spokes: the IP group of the region's AKS node subnets,
 * the regional policy's AKS + Flux egress rules with that group as source, and the hub → spoke peering of every
 * cluster of the region. Adding a cluster to a region redeploys this step, not the firewall.
 */
import { clusterAzureNames, clustersOf, regionAzureNames, type Fleet } from '@aks-fleet/fleet';
import { expr, idIn, idOf, idRef, resource, template, type ArmTemplate } from '../arm/arm-template.ts';
import {
  aksApplicationRules,
  aksNetworkRules,
  applicationRuleJson,
  fluxApplicationRules,
  fluxNetworkRules,
  networkRuleJson,
} from './firewall-rules.ts';
import { tagsParameterDefinition, tracked } from '../arm/template-helpers.ts';

export function hubEgressTemplate(fleet: Readonly<Fleet>, region: string): ArmTemplate {
  const names = regionAzureNames(region);
  const clusters = clustersOf(fleet.spec).filter((entry) => entry.region === region);
  if (clusters.length === 0)
    throw new Error(
      `region "${region}" has no clusters; expected a region of the fleet (${Object.keys(fleet.spec.regions).join(', ')}) — fix: pass a region with clusters`,
    );
  const ipGroupId = idOf('Microsoft.Network/ipGroups', names.nodepoolIpGroup);
  const ipGroup = expr(ipGroupId);
  const policy = names.firewallPolicy;
  const networkGroupId = idOf(
    'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
    policy,
    'DefaultNetworkRuleCollectionGroup',
  );

  return template(
    [
      tracked('Microsoft.Network/ipGroups', names.nodepoolIpGroup, region, {
        properties: { ipAddresses: clusters.map(({ cluster }) => cluster.spoke.subnets.nodes) },
      }),
      // Rule collection groups of one policy cannot be written in parallel: network first, then application.
      resource(
        'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
        `${policy}/DefaultNetworkRuleCollectionGroup`,
        {
          dependsOn: [ipGroup],
          properties: {
            priority: 200,
            ruleCollections: [
              {
                ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
                name: 'AKS-Global-Requirements',
                priority: 200,
                action: { type: 'Allow' },
                rules: aksNetworkRules(region).map((rule) => networkRuleJson(rule, ipGroup)),
              },
              // An ssh:// fleet repository: SSH to its Git host (an https:// one is an application rule below).
              ...fluxNetworkRules(fleet.spec.gitSource.url).map((rule, index) => ({
                ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
                name: 'Flux-Requirements',
                priority: 300 + index,
                action: { type: 'Allow' },
                rules: [networkRuleJson(rule, ipGroup)],
              })),
            ],
          },
        },
      ),
      resource(
        'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
        `${policy}/DefaultApplicationRuleCollectionGroup`,
        {
          dependsOn: [ipGroup, expr(networkGroupId)],
          properties: {
            priority: 300,
            ruleCollections: [
              {
                ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
                name: 'AKS-Global-Requirements',
                priority: 200,
                action: { type: 'Allow' },
                rules: aksApplicationRules(region).map((rule) => applicationRuleJson(rule, ipGroup)),
              },
              ...(fluxApplicationRules(fleet.spec.gitSource.url).length > 0
                ? [
                    {
                      ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
                      name: 'Flux-Requirements',
                      priority: 300,
                      action: { type: 'Allow' },
                      rules: fluxApplicationRules(fleet.spec.gitSource.url).map((rule) =>
                        applicationRuleJson(rule, ipGroup),
                      ),
                    },
                  ]
                : []),
            ],
          },
        },
      ),
      ...clusters.map(({ cluster }) => {
        const spoke = clusterAzureNames(fleet.spec, cluster.name);
        return resource(
          'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
          `${names.hubVnet}/to_${spoke.spokeVnet}`,
          {
            properties: {
              remoteVirtualNetwork: idRef(
                idIn(names.spokeResourceGroup, 'Microsoft.Network/virtualNetworks', spoke.spokeVnet),
              ),
              allowVirtualNetworkAccess: true,
              allowForwardedTraffic: false,
              allowGatewayTransit: false,
              useRemoteGateways: false,
            },
          },
        );
      }),
    ],
    { parameters: tagsParameterDefinition() },
  );
}
