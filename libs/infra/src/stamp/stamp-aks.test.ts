import { AKS_NODE_POOL_NETWORK, APP_GATEWAY_MAX_INSTANCES, parseFleet, type Fleet } from '@aks-fleet/fleet';
import { describe, expect, it } from 'vitest';
import { stampTemplate } from './stamp-template.ts';
import { defaultFleet } from '../test-fleets.ts';

type Resource = {
  type: string;
  properties: Record<string, unknown> & {
    networkProfile?: Record<string, unknown>;
    dnsPrefix?: string;
    agentPoolProfiles?: Array<Record<string, unknown>>;
    autoscaleConfiguration?: unknown;
  };
};

function resourceOf(fleet: Readonly<Fleet>, cluster: string, type: string): Resource {
  const resources = stampTemplate(fleet, cluster).resources as unknown as Resource[];
  return resources.find((r) => r.type === type)!;
}

describe('the stamp takes what the model checks from the model', () => {
  it("uses the cluster's service network (default and changed)", () => {
    expect(
      resourceOf(defaultFleet(), 'bu0001a0042-03', 'Microsoft.ContainerService/managedClusters').properties
        .networkProfile,
    ).toMatchObject({ serviceCidr: '172.16.0.0/16', dnsServiceIP: '172.16.0.10' });
    const data = structuredClone(defaultFleet()) as Fleet;
    data.spec.regions.eastus2!.clusters[0]!.network = { serviceCidr: '10.0.0.0/16', dnsServiceIp: '10.0.0.10' };
    expect(
      resourceOf(parseFleet(data), 'bu0001a0042-03', 'Microsoft.ContainerService/managedClusters').properties
        .networkProfile,
    ).toMatchObject({ serviceCidr: '10.0.0.0/16', dnsServiceIP: '10.0.0.10' });
  });

  it('sizes pools and the App Gateway with the settings the capacity rules assume, and a DNS prefix AKS accepts', () => {
    const data = structuredClone(defaultFleet()) as Fleet;
    const long = `c${'-x1'.repeat(20)}z`.slice(0, 63);
    data.spec.regions.eastus2!.clusters[0]!.name = long;
    const fleet = parseFleet(data);
    const aks = resourceOf(fleet, long, 'Microsoft.ContainerService/managedClusters');
    expect(aks.properties.dnsPrefix!.length).toBeLessThanOrEqual(54);
    for (const pool of aks.properties.agentPoolProfiles!) {
      expect(pool).toMatchObject({
        maxPods: AKS_NODE_POOL_NETWORK.maxPods,
        upgradeSettings: { maxSurge: `${AKS_NODE_POOL_NETWORK.maxSurgePercent}%` },
      });
    }
    expect(
      resourceOf(fleet, long, 'Microsoft.Network/applicationGateways').properties.autoscaleConfiguration,
    ).toMatchObject({ maxCapacity: APP_GATEWAY_MAX_INSTANCES });
  });
});
