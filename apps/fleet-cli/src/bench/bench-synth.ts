/**
 * Synthesis benchmark (not a test): generated fleets of 1, 10, 100 and 1000 clusters, each synthesized by a fresh
 * process, as a user would run it. Prints a table of wall time, objects, files, peak RSS, and — as the floor — the
 * time to YAML-serialize the same objects in the same process, with the ratio synth / floor.
 *
 *   npm run bench:synth [-- 1 10 100 1000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AZURE_REGIONS, loadFleet, type Fleet } from '@aks-fleet/fleet';
import { renderCluster, synthesize, toYaml } from '@aks-fleet/synth';
import { stringify } from 'yaml';
import { clusterDefinitions } from '../cluster-app/cluster-definitions.ts';

const SELF = fileURLToPath(import.meta.url);
const CLI = fileURLToPath(new URL('../../bin/fleet.js', import.meta.url));

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
      ingress: { internalLoadBalancerIp: ip(spoke + 1024 + 4) },
    });
  }
  return { ...base, spec: { ...base.spec, regions } };
}

interface Measurement {
  readonly clusters: number;
  readonly objects: number;
  readonly files: number;
  readonly synthMs: number;
  readonly yamlFloorMs: number;
  readonly maxRssMb: number;
}

/** Child mode: synthesize one fleet file into a folder, then time YAML serialization of the same objects. */
function measure(fleetFile: string, root: string): Measurement {
  const started = performance.now();
  const { fleet } = loadFleet(fleetFile);
  const definitions = clusterDefinitions(fleet);
  const summary = synthesize({ root, clusters: definitions });
  const synthMs = performance.now() - started;

  const objects = definitions.flatMap((d) => {
    const { cluster } = renderCluster(d);
    return [...cluster.layers.flatMap((l) => l.objects), ...cluster.entrypoint];
  });
  const floorStart = performance.now();
  let bytes = 0;
  for (const object of objects) bytes += toYaml(object).length;
  const yamlFloorMs = performance.now() - floorStart;
  if (bytes === 0) throw new Error('nothing serialized');
  return { clusters: summary.clusters.length, objects: summary.objects, files: summary.files, synthMs, yamlFloorMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return `| ${cells.map((c, i) => String(c).padStart(widths[i]!)).join(' | ')} |`;
}

function parent(sizes: readonly number[]): void {
  const headers = ['clusters', 'objects', 'files', 'wall s', 'synth ms', 'yaml floor ms', 'synth/floor', 'ms/cluster', 'peak RSS MB'];
  const widths = headers.map((h) => Math.max(h.length, 9));
  const lines = [row(headers, widths), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];

  // The default fleet through the real CLI entrypoint: the whole process, as `npm run synth` runs it.
  const defaultRoot = mkdtempSync(path.join(tmpdir(), 'bench-default-'));
  const t0 = performance.now();
  execFileSync(process.execPath, [CLI, 'synth', '--root', defaultRoot], { stdio: 'ignore' });
  const defaultWall = (performance.now() - t0) / 1000;
  rmSync(defaultRoot, { recursive: true, force: true });

  for (const size of sizes) {
    const dir = mkdtempSync(path.join(tmpdir(), `bench-${size}-`));
    const fleetFile = path.join(dir, 'fleet.yaml');
    writeFileSync(fleetFile, stringify(generateFleet(size)));
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', fleetFile, path.join(dir, 'out')], { encoding: 'utf8' });
    const wall = (performance.now() - started) / 1000;
    if (child.status !== 0) throw new Error(`benchmark child failed for ${size} clusters:\n${child.stderr}`);
    const m = JSON.parse(child.stdout) as Measurement;
    lines.push(
      row(
        [m.clusters, m.objects, m.files, wall.toFixed(2), m.synthMs.toFixed(0), m.yamlFloorMs.toFixed(0), `${(m.synthMs / m.yamlFloorMs).toFixed(1)}x`, (m.synthMs / m.clusters).toFixed(2), m.maxRssMb.toFixed(0)],
        widths,
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`fleet synth benchmark (node ${process.version}, ${new Date().toISOString().slice(0, 10)})\n\n`);
  process.stdout.write(`default fleet, whole process (node apps/fleet-cli/bin/fleet.js synth): ${defaultWall.toFixed(2)} s wall\n\n`);
  process.stdout.write(`${lines.join('\n')}\n\nwall = whole child process (startup + load + synth + write); synth = load + render + validate + write;\n`);
  process.stdout.write('yaml floor = serializing the same objects to YAML in the same process; peak RSS of the child.\n');
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(JSON.stringify(measure(args[1]!, args[2]!)));
} else {
  parent(args.length > 0 ? args.map(Number) : [1, 10, 100, 1000]);
}
