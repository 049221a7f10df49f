import { describe, expect, it } from 'vitest';
import { AZURE_NAME_RULES, azureNameProblem } from './azure-name-rules.ts';
import { deriveClusterAzureNames, regionAzureNames } from './azure-names.ts';
import { AZURE_REGIONS } from './azure-regions.ts';
import { dnsNameProblem } from './name-rules.ts';
import { defaultFleetDocument } from './testing/invalid-fleets.ts';

const LONGEST_CLUSTER = `c${'-x1'.repeat(20)}z`.slice(0, 63);
const LONGEST_REGION = [...AZURE_REGIONS].sort((a, b) => b.length - a.length)[0]!;

describe('the Azure name table', () => {
  it('refuses names out of length or character rules and accepts those within', () => {
    expect(azureNameProblem(AZURE_NAME_RULES.keyVault, 'kv--double')).toBe(AZURE_NAME_RULES.keyVault.characters);
    expect(azureNameProblem(AZURE_NAME_RULES.keyVault, `kv-${'a'.repeat(22)}`)).toBe('3–24 characters (it has 25)');
    expect(azureNameProblem(AZURE_NAME_RULES.privateEndpoint, 'pe-ok_')).toBeUndefined();
    expect(azureNameProblem(AZURE_NAME_RULES.routeTable, `r${'x'.repeat(80)}`)).toBe('1–80 characters (it has 81)');
    expect(azureNameProblem(AZURE_NAME_RULES.publicIpDnsLabel, '9agw')).toBe(
      AZURE_NAME_RULES.publicIpDnsLabel.characters,
    );
  });

  it('fits every derived name of the longest cluster name in the longest region name', () => {
    const names = deriveClusterAzureNames(defaultFleetDocument().spec, LONGEST_REGION, LONGEST_CLUSTER);
    const checks: Array<[keyof typeof AZURE_NAME_RULES, string]> = [
      ['resourceGroup', names.resourceGroup],
      ['nodeResourceGroup', names.nodeResourceGroup],
      ['managedCluster', names.aksCluster],
      ['aksDnsPrefix', names.aksDnsPrefix],
      ['keyVault', names.keyVault],
      ['privateEndpoint', names.keyVaultPrivateEndpoint],
      ['privateEndpoint', names.containerRegistryPrivateEndpoint],
      ['applicationGateway', names.appGateway],
      ['appGatewayWafPolicy', names.appGatewayWafPolicy],
      ['publicIp', names.appGatewayPublicIp],
      ['publicIpDnsLabel', names.appGatewayDnsLabel],
      ['virtualNetwork', names.spokeVnet],
      ['routeTable', names.routeTable],
      ['virtualNetworkPeering', `to_${names.spokeVnet}`],
      ['frontDoorChild', names.frontDoorOrigin],
      ...Object.values(names.networkSecurityGroups).map(
        (n) => ['networkSecurityGroup', n] as [keyof typeof AZURE_NAME_RULES, string],
      ),
      ...Object.values(names.identities).map(
        (n) => ['userAssignedIdentity', n] as [keyof typeof AZURE_NAME_RULES, string],
      ),
      ...Object.values(regionAzureNames(LONGEST_REGION).firewallPublicIps).map(
        (n) => ['publicIp', n] as [keyof typeof AZURE_NAME_RULES, string],
      ),
    ];
    for (const [kind, name] of checks)
      expect(azureNameProblem(AZURE_NAME_RULES[kind], name), `${kind} ${name}`).toBeUndefined();
    expect(dnsNameProblem(names.appGatewayFqdn)).toBeUndefined();
  });

  it('measures DNS names by label and in all', () => {
    expect(dnsNameProblem(`${'a'.repeat(63)}.com`)).toBeUndefined();
    expect(dnsNameProblem(`${'a'.repeat(64)}.com`)).toMatch(/labels of at most 63/);
    expect(dnsNameProblem(Array(64).fill('abc').join('.'))).toBe('at most 253 characters in all (it has 255)');
  });
});
