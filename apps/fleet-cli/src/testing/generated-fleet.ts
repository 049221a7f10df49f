/**
 * Generated fleets for scale tests and the benchmark: the default fleet's first cluster repeated `count` times over
 * Azure regions, each with its own spoke, so every generated fleet is valid.
 */
import { AZURE_REGIONS, loadFleet, type Fleet } from '@aks-fleet/fleet';

/** A valid fleet of `count` clusters spread over Azure regions, each spoke a /20 of 10.0.0.0/8. */
export function generateFleet(count: number): Fleet {
  const base = structuredClone(loadFleet().fleet) as Fleet;
  const template = base.spec.regions.eastus2!.clusters[0]!;
  const regions: Fleet['spec']['regions'] = {};
  const ip = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  const regionNames = AZURE_REGIONS.slice(0, Math.min(count, AZURE_REGIONS.length));
  regionNames.forEach((name, r) => {
    const hub = (10 << 24) + (255 << 16) + (r << 8);
    regions[name] = {
      hub: { addressSpace: `${ip(hub)}/24`, subnets: { firewall: `${ip(hub)}/26`, gateway: `${ip(hub + 64)}/27`, bastion: `${ip(hub + 96)}/27` } },
      clusters: [],
    };
  });
  for (let i = 0; i < count; i++) {
    const regionName = regionNames[i % regionNames.length]!;
    const region = regions[regionName]!;
    const spoke = (10 << 24) + i * 4096;
    region.clusters.push({
      ...structuredClone(template),
      name: `aks-${regionName}-${String(region.clusters.length).padStart(2, '0')}`,
      instance: String(region.clusters.length).padStart(2, '0'),
      spoke: { addressSpace: `${ip(spoke)}/20`, subnets: { nodes: `${ip(spoke)}/22`, ingress: `${ip(spoke + 1024)}/28`, appGateway: `${ip(spoke + 1280)}/24` } },
      ingress: { ...structuredClone(template.ingress), internalLoadBalancerIp: ip(spoke + 1024 + 4) },
    });
  }
  return { ...base, spec: { ...base.spec, regions } };
}
