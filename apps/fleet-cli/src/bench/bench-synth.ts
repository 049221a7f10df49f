/**
 * Synthesis benchmark (not a test): generated fleets of 1, 10, 100 and 1000 clusters, each synthesized by a fresh
 * `fleet synth` process exactly as a user runs it (manifests, Flux entrypoints and infrastructure/). Prints a table
 * of wall time, objects, files and peak RSS, and — as the floor, measured in this process — the time to serialize
 * the same Kubernetes objects to YAML, with the ratio synth / floor.
 *
 *   npm run bench:synth [-- 1 10 100 1000]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Fleet } from '@aks-fleet/fleet';
import { renderCluster, toYaml } from '@aks-fleet/synth';
import { stringify } from 'yaml';
import { clusterDefinitions } from '../cluster-app/cluster-definitions.ts';
import { generateFleet } from '../testing/generated-fleet.ts';

const CLI = fileURLToPath(new URL('../../bin/fleet.js', import.meta.url));

interface Summary {
  readonly clusters: readonly string[];
  readonly objects: number;
  readonly files: number;
  readonly durationMs: number;
  readonly peakRssMb: number;
}

/** Serializing the fleet's Kubernetes objects to YAML: the floor no synthesis can beat. */
function yamlFloorMs(fleet: Fleet): number {
  const objects = clusterDefinitions(fleet).flatMap((d) => {
    const { cluster } = renderCluster(d);
    return [...cluster.layers.flatMap((l) => l.objects), ...cluster.entrypoint];
  });
  const started = performance.now();
  let bytes = 0;
  for (const object of objects) bytes += toYaml(object).length;
  if (bytes === 0) throw new Error('nothing serialized');
  return performance.now() - started;
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return `| ${cells.map((c, i) => String(c).padStart(widths[i]!)).join(' | ')} |`;
}

function synth(args: readonly string[]): { wall: number; summary: Summary } {
  const started = performance.now();
  const stdout = execFileSync(process.execPath, [CLI, 'synth', '--json', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { wall: (performance.now() - started) / 1000, summary: JSON.parse(stdout) as Summary };
}

function main(): void {
const sizes = process.argv.slice(2).length > 0 ? process.argv.slice(2).map(Number) : [1, 10, 100, 1000];
const headers = ['clusters', 'objects', 'files', 'wall s', 'synth ms', 'yaml floor ms', 'synth/floor', 'ms/cluster', 'peak RSS MB'];
const widths = headers.map((h) => Math.max(h.length, 9));
const lines = [row(headers, widths), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];

const defaultRoot = mkdtempSync(path.join(tmpdir(), 'bench-default-'));
synth(['--root', defaultRoot]); // warms the CLI bundle
const defaultRun = synth(['--root', mkdtempSync(path.join(tmpdir(), 'bench-default-'))]);
rmSync(defaultRoot, { recursive: true, force: true });

for (const size of sizes) {
  const dir = mkdtempSync(path.join(tmpdir(), `bench-${size}-`));
  const fleet = generateFleet(size);
  const fleetFile = path.join(dir, 'fleet.yaml');
  writeFileSync(fleetFile, stringify(fleet));
  const { wall, summary: m } = synth(['--fleet', fleetFile, '--root', path.join(dir, 'out')]);
  const floor = yamlFloorMs(fleet);
  lines.push(
    row(
      [m.clusters.length, m.objects, m.files, wall.toFixed(2), m.durationMs.toFixed(0), floor.toFixed(0), `${(m.durationMs / floor).toFixed(1)}x`, (m.durationMs / m.clusters.length).toFixed(2), m.peakRssMb.toFixed(0)],
      widths,
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`fleet synth benchmark (node ${process.version})\n\n`);
process.stdout.write(`default fleet, whole process (node apps/fleet-cli/bin/fleet.js synth, bundle warm): ${defaultRun.wall.toFixed(2)} s wall, ${defaultRun.summary.peakRssMb} MB peak RSS\n\n`);
process.stdout.write(`${lines.join('\n')}\n\nwall = the whole \`fleet synth\` process; synth = load + render + validate + plan + write (its --json durationMs);\n`);
process.stdout.write('yaml floor = serializing the same Kubernetes objects to YAML in the benchmark process; files include infrastructure/.\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
