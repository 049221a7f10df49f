import { parseFleet, type Fleet } from '@aks-fleet/fleet';
import { describe, expect, it } from 'vitest';
import { stampTemplate } from './stamp-template.ts';
import { defaultFleet } from '../test-fleets.ts';

type Cluster = {
  sku: { tier: string };
  properties: {
    kubernetesVersion: string;
    supportPlan: string;
    agentPoolProfiles: Array<{ orchestratorVersion: string }>;
  };
};

function managedCluster(fleet: Readonly<Fleet>, name: string): Cluster {
  return stampTemplate(fleet, name).resources.find(
    (r) => r.type === 'Microsoft.ContainerService/managedClusters',
  ) as unknown as Cluster;
}

describe('the AKS cluster of a stamp', () => {
  it('runs the model version on the Standard tier with the KubernetesOfficial plan by default', () => {
    const cluster = managedCluster(defaultFleet(), 'bu0001a0042-03');
    expect(cluster.sku.tier).toBe('Standard');
    expect(cluster.properties.supportPlan).toBe('KubernetesOfficial');
    expect(cluster.properties.kubernetesVersion).toBe('1.35');
    expect(cluster.properties.agentPoolProfiles.map((p) => p.orchestratorVersion)).toStrictEqual(['1.35', '1.35']);
  });

  it('emits Premium + AKSLongTermSupport when the cluster opts into long-term support', () => {
    const document = structuredClone(defaultFleet()) as Fleet;
    Object.assign(document.spec.regions.eastus2!.clusters[0]!, {
      kubernetesVersion: '1.32',
      tier: 'Premium',
      supportPlan: 'AKSLongTermSupport',
    });
    const cluster = managedCluster(parseFleet(document), 'bu0001a0042-03');
    expect(cluster.sku.tier).toBe('Premium');
    expect(cluster.properties.supportPlan).toBe('AKSLongTermSupport');
    expect(cluster.properties.kubernetesVersion).toBe('1.32');
  });
});
