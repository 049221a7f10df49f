/**
 * The regional hub (hub resource group of the region): hub VNet with the firewall, gateway and bastion subnets from
 * `regions.<region>.hub`, a zone-redundant Azure Firewall with three public IPs, and the regional child firewall
 * policy — located in the region (the reference puts every regional policy in eastus2). Its egress rules and the
 * hub → spoke peerings come later, in the hub-egress step, once the spokes exist.
 */
import { regionAzureNames, sharedAzureNames, type Fleet } from '@aks-fleet/fleet';
import { expr, idIn, idOf, idRef, referenceOf, template, type ArmTemplate } from '../arm/arm-template.ts';
import { diagnosticSettings, tagsParameterDefinition, tracked } from '../arm/template-helpers.ts';

const ZONES = ['1', '2', '3'];

export function hubTemplate(fleet: Readonly<Fleet>, region: string): ArmTemplate {
  const hub = fleet.spec.regions[region]?.hub;
  if (!hub)
    throw new Error(
      `region "${region}" is not in the fleet; expected one of ${Object.keys(fleet.spec.regions).join(', ')} — fix: add regions.${region} to the fleet model`,
    );
  const names = regionAzureNames(region);
  const shared = sharedAzureNames(fleet.spec);
  const vnetId = idOf('Microsoft.Network/virtualNetworks', names.hubVnet);
  const policyId = idOf('Microsoft.Network/firewallPolicies', names.firewallPolicy);
  const firewallId = idOf('Microsoft.Network/azureFirewalls', names.firewall);
  const pipIds = names.firewallPublicIps.map((pip) => idOf('Microsoft.Network/publicIPAddresses', pip));

  return template(
    [
      ...names.firewallPublicIps.map((pip) =>
        tracked('Microsoft.Network/publicIPAddresses', pip, region, {
          sku: { name: 'Standard', tier: 'Regional' },
          zones: ZONES,
          properties: { publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv4', idleTimeoutInMinutes: 4 },
        }),
      ),
      tracked('Microsoft.Network/virtualNetworks', names.hubVnet, region, {
        properties: {
          addressSpace: { addressPrefixes: [hub.addressSpace] },
          subnets: [
            { name: 'AzureFirewallSubnet', properties: { addressPrefix: hub.subnets.firewall } },
            { name: 'GatewaySubnet', properties: { addressPrefix: hub.subnets.gateway } },
            { name: 'AzureBastionSubnet', properties: { addressPrefix: hub.subnets.bastion } },
          ],
        },
      }),
      tracked('Microsoft.Network/firewallPolicies', names.firewallPolicy, region, {
        properties: {
          basePolicy: idRef(idIn(shared.resourceGroup, 'Microsoft.Network/firewallPolicies', names.baseFirewallPolicy)),
          sku: { tier: 'Standard' },
          threatIntelMode: 'Deny',
          dnsSettings: { enableProxy: true, servers: [] },
        },
      }),
      tracked('Microsoft.Network/azureFirewalls', names.firewall, region, {
        zones: ZONES,
        dependsOn: [expr(vnetId), expr(policyId), ...pipIds.map(expr)],
        properties: {
          sku: { name: 'AZFW_VNet', tier: 'Standard' },
          threatIntelMode: 'Deny',
          firewallPolicy: idRef(policyId),
          ipConfigurations: names.firewallPublicIps.map((pip, index) => ({
            name: pip,
            properties: {
              publicIPAddress: idRef(pipIds[index]!),
              // Only the first configuration carries the subnet.
              ...(index === 0
                ? {
                    subnet: idRef(
                      idOf('Microsoft.Network/virtualNetworks/subnets', names.hubVnet, 'AzureFirewallSubnet'),
                    ),
                  }
                : {}),
            },
          })),
        },
      }),
      diagnosticSettings(fleet.spec, firewallId, firewallId),
    ],
    {
      parameters: tagsParameterDefinition(),
      outputs: {
        hubVnetId: { type: 'string', value: expr(vnetId) },
        firewallPrivateIp: {
          type: 'string',
          value: expr(
            `${referenceOf(firewallId, 'Microsoft.Network/azureFirewalls')}.ipConfigurations[0].properties.privateIPAddress`,
          ),
        },
      },
    },
  );
}

/** Inner expression: the private IP of a region's hub firewall (the spokes' next hop), read at deploy time. */
export function firewallPrivateIpExpression(region: string): string {
  const names = regionAzureNames(region);
  return `${referenceOf(idIn(names.hubResourceGroup, 'Microsoft.Network/azureFirewalls', names.firewall), 'Microsoft.Network/azureFirewalls')}.ipConfigurations[0].properties.privateIPAddress`;
}
