import { clusterAzureNames, parseFleet, sharedAzureNames, type Fleet } from '@aks-fleet/fleet';
import { describe, expect, it } from 'vitest';
import { defaultFleet } from './test-fleets.ts';

/** The default fleet with its first cluster renamed (63 characters is the longest DNS label the model accepts). */
function withClusterName(name: string, gitUrl?: string): Readonly<Fleet> {
  const data = structuredClone(defaultFleet()) as Fleet;
  data.spec.regions.eastus2!.clusters[0]!.name = name;
  if (gitUrl) data.spec.gitSource.url = gitUrl;
  return parseFleet(data);
}

const LONG = `c${'-x1'.repeat(20)}z`.slice(0, 63);

describe('Azure names derived from the model (libs/fleet azure-names.ts)', () => {
  it('are the expected names for the default fleet', () => {
    const names = clusterAzureNames(defaultFleet().spec, 'bu0001a0042-03');
    expect(names).toMatchObject({
      region: 'eastus2',
      resourceGroup: 'rg-bu0001a0042-03',
      nodeResourceGroup: 'rg-bu0001a0042-03-nodepools',
      aksCluster: 'aks-bu0001a0042-03',
      spokeVnet: 'vnet-spoke-bu0001a0042-03',
    });
    expect(names.keyVault).toMatch(/^kv-bu0001a0042-03-[0-9a-f]{5}$/);
    expect(names.appGatewayFqdn).toBe(`${names.appGatewayDnsLabel}.eastus2.cloudapp.azure.com`);
    expect(sharedAzureNames(defaultFleet().spec).resourceGroup).toBe('rg-bu0001a0042-shared-eastus2');
  });

  it('fit Azure naming rules even for the longest cluster name the model accepts', () => {
    for (const name of ['bu0001a0042-03', LONG, '9starts-with-digit']) {
      const names = clusterAzureNames(withClusterName(name).spec, name);
      // Key Vault: 3–24, letter first, alphanumerics and single hyphens, no trailing hyphen.
      expect(names.keyVault, name).toMatch(/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/);
      // Public IP DNS label.
      expect(names.appGatewayDnsLabel, name).toMatch(/^[a-z][a-z0-9-]{1,61}[a-z0-9]$/);
      expect(names.aksCluster.length, name).toBeLessThanOrEqual(63);
      expect(names.resourceGroup.length).toBeLessThanOrEqual(90);
      expect(names.nodeResourceGroup.length).toBeLessThanOrEqual(80);
    }
  });

  it('are deterministic, and globally unique names change with the fleet identity (another fork)', () => {
    const a = clusterAzureNames(defaultFleet().spec, 'bu0001a0042-03');
    expect(clusterAzureNames(defaultFleet().spec, 'bu0001a0042-03')).toStrictEqual(a);
    const fork = clusterAzureNames(
      withClusterName('bu0001a0042-03', 'https://github.com/fabrikam/aks-fleet').spec,
      'bu0001a0042-03',
    );
    expect(fork.keyVault).not.toBe(a.keyVault);
    expect(fork.appGatewayDnsLabel).not.toBe(a.appGatewayDnsLabel);
    expect(fork.aksCluster).toBe(a.aksCluster);
  });

  it('fails with the known clusters for an unknown one', () => {
    expect(() => clusterAzureNames(defaultFleet().spec, 'nope')).toThrow(
      'cluster "nope" is not in the fleet; expected one of bu0001a0042-03, bu0001a0042-04',
    );
  });
});
