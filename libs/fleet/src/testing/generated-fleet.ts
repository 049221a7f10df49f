/**
 * Generated fleets for scale tests and the benchmark: the default fleet's first cluster repeated `count` times over
 * Azure regions, each with its own spoke, so every generated fleet is valid — cluster names whose derived Azure names
 * would collide with an earlier cluster's (a short hash suffix after truncation can repeat) are skipped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { AZURE_REGIONS } from '../azure-regions.ts';
import { armDeploymentName, deriveClusterAzureNames } from '../azure-names.ts';
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
  // Next instance number per region, and every name (by uniqueness scope) that a cluster already derives.
  const nextInstance = new Map<string, number>();
  const taken = new Set<string>();
  const uniqueNames = (regionName: string, name: string): string[] => {
    const names = deriveClusterAzureNames(base.spec, regionName, name);
    return [
      `global\n${names.keyVault}`,
      `global\n${names.appGatewayFqdn}`,
      `subscription\n${names.resourceGroup}`,
      `subscription\n${names.nodeResourceGroup}`,
      `fleet\n${names.frontDoorOrigin}`,
      `${regionName}\n${names.spokeVnet}`,
      `${regionName}\n${armDeploymentName(`spoke/${name}`)}`,
    ].map((key) => key.toLowerCase());
  };
  /** The region's next cluster name (and its instance id) whose derived Azure names are all still free. */
  const claimName = (regionName: string): { name: string; instance: string } => {
    for (let n = nextInstance.get(regionName) ?? 0; n < 100; n++) {
      const instance = String(n).padStart(2, '0');
      const name = `aks-${regionName}-${instance}`;
      const keys = uniqueNames(regionName, name);
      if (keys.some((key) => taken.has(key))) continue;
      for (const key of keys) taken.add(key);
      nextInstance.set(regionName, n + 1);
      return { name, instance };
    }
    throw new Error(
      `generateFleet: region ${regionName} has no free two-digit instance id left — fix: generate fewer clusters`,
    );
  };
  for (let i = 0; i < count; i++) {
    const regionName = regionNames[i % regionNames.length]!;
    const region = regions[regionName]!;
    const spoke = (10 << 24) + i * 4096;
    region.clusters.push({
      ...structuredClone(template),
      ...claimName(regionName),
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
