/**
 * Generated fleets for scale tests and the benchmark: the default fleet's first cluster repeated `count` times over
 * Azure regions, each with its own spoke, so every generated fleet is valid.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { AZURE_REGIONS } from '../azure-regions.ts';
import { loadFleet } from '../load.ts';
import type { Fleet } from '../schema.ts';

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
      hub: {
        addressSpace: `${ip(hub)}/24`,
        subnets: { firewall: `${ip(hub)}/26`, gateway: `${ip(hub + 64)}/27`, bastion: `${ip(hub + 128)}/26` },
      },
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
      spoke: {
        addressSpace: `${ip(spoke)}/20`,
        subnets: {
          nodes: `${ip(spoke)}/22`,
          ingress: `${ip(spoke + 1024)}/28`,
          appGateway: `${ip(spoke + 1280)}/24`,
          privateEndpoints: `${ip(spoke + 1024 + 32)}/28`,
        },
      },
      ingress: { ...structuredClone(template.ingress), internalLoadBalancerIp: ip(spoke + 1024 + 4) },
    });
  }
  return { ...base, spec: { ...base.spec, regions } };
}

/**
 * Writes `fleet` as a fleet directory (the default fleet's form): `fleet.yaml` with the fleet-wide settings and one
 * `clusters/<name>/cluster.yaml` per cluster, plus whatever `extra(cluster)` returns in that folder (e.g. nx's
 * project.json).
 */
export function writeFleetDirectory(
  fleet: Fleet,
  directory: string,
  extra: (cluster: string) => Record<string, string> = () => ({}),
): void {
  const regions = Object.fromEntries(
    Object.entries(fleet.spec.regions).map(([name, { clusters: _clusters, ...region }]) => [name, region]),
  );
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'fleet.yaml'), stringify({ ...fleet, spec: { ...fleet.spec, regions } }));
  for (const [region, { clusters }] of Object.entries(fleet.spec.regions)) {
    for (const { name, ...spec } of clusters) {
      const folder = path.join(directory, 'clusters', name);
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        path.join(folder, 'cluster.yaml'),
        stringify({ apiVersion: fleet.apiVersion, kind: 'Cluster', metadata: { name }, spec: { region, ...spec } }),
      );
      for (const [file, content] of Object.entries(extra(name))) writeFileSync(path.join(folder, file), content);
    }
  }
}
