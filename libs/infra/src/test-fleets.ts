/**
 * Fleets for tests, built from the default fleet's data (never from hand-written copies): the default fleet, and the
 * same fleet with a third region added, to prove a region is pure data.
 */
import { loadFleet, parseFleet, type Fleet } from '@aks-fleet/fleet';

export function defaultFleet(): Readonly<Fleet> {
  return loadFleet().fleet;
}

export const THIRD_REGION = 'westus3';
export const THIRD_CLUSTER = 'bu0001a0042-05';

/** The default fleet plus `westus3` with one cluster, cloned from the first cluster with new address ranges. */
export function threeRegionFleet(): Readonly<Fleet> {
  const data = structuredClone(defaultFleet()) as Fleet;
  const template = Object.values(data.spec.regions)[0]!.clusters[0]!;
  data.spec.regions[THIRD_REGION] = {
    hub: {
      addressSpace: '10.200.5.0/24',
      subnets: { firewall: '10.200.5.0/26', gateway: '10.200.5.64/27', bastion: '10.200.5.128/26' },
    },
    clusters: [
      {
        ...structuredClone(template),
        name: THIRD_CLUSTER,
        instance: '05',
        spoke: {
          addressSpace: '10.245.0.0/16',
          subnets: {
            nodes: '10.245.0.0/22',
            ingress: '10.245.4.0/28',
            appGateway: '10.245.5.0/24',
            privateEndpoints: '10.245.4.32/28',
          },
        },
        ingress: { internalLoadBalancerIp: '10.245.4.4' },
        frontDoor: { priority: 2, weight: 100 },
      },
    ],
  };
  return parseFleet(data);
}
