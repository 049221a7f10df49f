/**
 * One spoke per cluster (spoke resource group of its region): the spoke VNet and subnets from `cluster.spoke`, the
 * route table sending 0.0.0.0/0 to the regional hub firewall (nodes and ingress subnets), one NSG per subnet (the
 * App Gateway one admits 443 only from Front Door), the spoke → hub peering, and the App Gateway's public IP with its
 * DNS label — created before the cluster so its FQDN exists for the certificate and the Front Door origin.
 */
import { clusterAzureNames, clusterRegion, regionAzureNames, type Fleet } from '@aks-fleet/fleet';
import { expr, idIn, idOf, idRef, resource, template, type ArmTemplate, type JsonObject } from '../arm/arm-template.ts';
import { firewallPrivateIpExpression } from '../region-hub/hub-template.ts';
import { diagnosticSettings, tagsParameterDefinition, tracked } from '../arm/template-helpers.ts';

type SecurityRule = {
  name: string;
  priority: number;
  direction: 'Inbound' | 'Outbound';
  access: 'Allow' | 'Deny';
  protocol: string;
  source: string;
  destinationPorts: string;
};

/** App Gateway subnet rules: HTTPS from Front Door's backend only, the v2 control plane, the LB probes; deny the rest. */
export const APP_GATEWAY_SECURITY_RULES: readonly SecurityRule[] = [
  {
    name: 'AllowOnlyFrontDoorInbound',
    priority: 100,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    source: 'AzureFrontDoor.Backend',
    destinationPorts: '443',
  },
  {
    name: 'AllowControlPlaneInbound',
    priority: 110,
    direction: 'Inbound',
    access: 'Allow',
    protocol: '*',
    source: 'GatewayManager',
    destinationPorts: '65200-65535',
  },
  {
    name: 'AllowHealthProbesInbound',
    priority: 120,
    direction: 'Inbound',
    access: 'Allow',
    protocol: '*',
    source: 'AzureLoadBalancer',
    destinationPorts: '*',
  },
  {
    name: 'DenyAllInbound',
    priority: 1000,
    direction: 'Inbound',
    access: 'Deny',
    protocol: '*',
    source: '*',
    destinationPorts: '*',
  },
  {
    name: 'AllowAllOutbound',
    priority: 1000,
    direction: 'Outbound',
    access: 'Allow',
    protocol: '*',
    source: '*',
    destinationPorts: '*',
  },
];

function securityRule(rule: SecurityRule): JsonObject {
  return {
    name: rule.name,
    properties: {
      priority: rule.priority,
      direction: rule.direction,
      access: rule.access,
      protocol: rule.protocol,
      sourceAddressPrefix: rule.source,
      sourcePortRange: '*',
      destinationAddressPrefix: '*',
      destinationPortRange: rule.destinationPorts,
    },
  };
}

export function spokeTemplate(fleet: Readonly<Fleet>, clusterName: string): ArmTemplate {
  const { region, cluster } = clusterRegion(fleet.spec, clusterName);
  const names = clusterAzureNames(fleet.spec, clusterName);
  const hub = regionAzureNames(region);
  const vnetId = idOf('Microsoft.Network/virtualNetworks', names.spokeVnet);
  const routeTableId = idOf('Microsoft.Network/routeTables', names.routeTable);
  const nsgIds = {
    nodes: idOf('Microsoft.Network/networkSecurityGroups', names.networkSecurityGroups.nodes),
    ingress: idOf('Microsoft.Network/networkSecurityGroups', names.networkSecurityGroups.ingress),
    appGateway: idOf('Microsoft.Network/networkSecurityGroups', names.networkSecurityGroups.appGateway),
    privateEndpoints: idOf('Microsoft.Network/networkSecurityGroups', names.networkSecurityGroups.privateEndpoints),
  };

  return template(
    [
      tracked('Microsoft.Network/routeTables', names.routeTable, region, {
        properties: {
          disableBgpRoutePropagation: false,
          routes: [
            {
              name: 'r-nexthop-to-fw',
              properties: {
                addressPrefix: '0.0.0.0/0',
                nextHopType: 'VirtualAppliance',
                nextHopIpAddress: expr(firewallPrivateIpExpression(region)),
              },
            },
          ],
        },
      }),
      tracked('Microsoft.Network/networkSecurityGroups', names.networkSecurityGroups.nodes, region, {
        properties: { securityRules: [] },
      }),
      tracked('Microsoft.Network/networkSecurityGroups', names.networkSecurityGroups.ingress, region, {
        properties: { securityRules: [] },
      }),
      tracked('Microsoft.Network/networkSecurityGroups', names.networkSecurityGroups.privateEndpoints, region, {
        properties: { securityRules: [] },
      }),
      tracked('Microsoft.Network/networkSecurityGroups', names.networkSecurityGroups.appGateway, region, {
        properties: { securityRules: APP_GATEWAY_SECURITY_RULES.map(securityRule) },
      }),
      tracked('Microsoft.Network/virtualNetworks', names.spokeVnet, region, {
        dependsOn: [expr(routeTableId), ...Object.values(nsgIds).map(expr)],
        properties: {
          addressSpace: { addressPrefixes: [cluster.spoke.addressSpace] },
          subnets: [
            {
              name: names.subnets.nodes,
              properties: {
                addressPrefix: cluster.spoke.subnets.nodes,
                routeTable: idRef(routeTableId),
                networkSecurityGroup: idRef(nsgIds.nodes),
                privateEndpointNetworkPolicies: 'Disabled',
                privateLinkServiceNetworkPolicies: 'Enabled',
              },
            },
            {
              name: names.subnets.ingress,
              properties: {
                addressPrefix: cluster.spoke.subnets.ingress,
                routeTable: idRef(routeTableId),
                networkSecurityGroup: idRef(nsgIds.ingress),
                privateEndpointNetworkPolicies: 'Disabled',
                privateLinkServiceNetworkPolicies: 'Disabled',
              },
            },
            {
              name: names.subnets.appGateway,
              properties: {
                addressPrefix: cluster.spoke.subnets.appGateway,
                networkSecurityGroup: idRef(nsgIds.appGateway),
                privateEndpointNetworkPolicies: 'Disabled',
                privateLinkServiceNetworkPolicies: 'Disabled',
              },
            },
            {
              // Key Vault and registry private endpoints (dynamic IPs), apart from the ingress ILB's fixed IP.
              name: names.subnets.privateEndpoints,
              properties: {
                addressPrefix: cluster.spoke.subnets.privateEndpoints,
                networkSecurityGroup: idRef(nsgIds.privateEndpoints),
                privateEndpointNetworkPolicies: 'Disabled',
                privateLinkServiceNetworkPolicies: 'Enabled',
              },
            },
          ],
        },
      }),
      resource('Microsoft.Network/virtualNetworks/virtualNetworkPeerings', `${names.spokeVnet}/to_${hub.hubVnet}`, {
        dependsOn: [expr(vnetId)],
        properties: {
          remoteVirtualNetwork: idRef(idIn(hub.hubResourceGroup, 'Microsoft.Network/virtualNetworks', hub.hubVnet)),
          allowVirtualNetworkAccess: true,
          allowForwardedTraffic: false,
          allowGatewayTransit: false,
          useRemoteGateways: false,
        },
      }),
      tracked('Microsoft.Network/publicIPAddresses', names.appGatewayPublicIp, region, {
        sku: { name: 'Standard', tier: 'Regional' },
        zones: ['1', '2', '3'],
        properties: {
          publicIPAllocationMethod: 'Static',
          publicIPAddressVersion: 'IPv4',
          idleTimeoutInMinutes: 4,
          dnsSettings: { domainNameLabel: names.appGatewayDnsLabel },
        },
      }),
      ...(['nodes', 'ingress', 'appGateway', 'privateEndpoints'] as const).map((subnet) =>
        diagnosticSettings(fleet.spec, nsgIds[subnet], nsgIds[subnet], { metrics: false }),
      ),
    ],
    {
      parameters: tagsParameterDefinition(),
      outputs: {
        spokeVnetId: { type: 'string', value: expr(vnetId) },
        appGatewayFqdn: { type: 'string', value: names.appGatewayFqdn },
      },
    },
  );
}
