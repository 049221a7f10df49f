/**
 * The per-cluster affected path at fleet scale: a copy of this workspace whose embedded fleet is a generated fleet
 * of 50 clusters (each an nx project), synthesized and committed. A change to one cluster's definition makes exactly
 * that cluster's synth task affected, and the task rewrites only that cluster's folders — its ARM templates
 * included — to exactly what a whole-fleet synthesis gives.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateFleet, writeFleetDirectory } from '@aks-fleet/fleet/testing/generated';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { copyWorkspace, type WorkspaceCopy } from './testing/workspace-copy.ts';

const CLUSTERS = 50;
const FLEET_DIR = 'libs/fleet/default-fleet';

let repo = '';
let copy: WorkspaceCopy | undefined;
let names: string[] = [];

function nx(...args: string[]): string {
  return copy!.nx(...args);
}

function fleetCli(...args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'apps/fleet-cli/bin/fleet.js'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}

beforeAll(() => {
  copy = copyWorkspace('fleet-nx-scale-');
  repo = copy.dir;
  const fleetDir = path.join(repo, FLEET_DIR);
  rmSync(fleetDir, { recursive: true });
  const fleet = generateFleet(CLUSTERS);
  names = Object.values(fleet.spec.regions)
    .flatMap((region) => region.clusters.map((c) => c.name))
    .sort();
  writeFleetDirectory(fleet, fleetDir); // each cluster.yaml is an nx project (tools/nx-plugins/cluster-projects.mjs)
  for (const folder of ['manifests', 'clusters', 'infrastructure'])
    rmSync(path.join(repo, folder), { recursive: true, force: true });
  fleetCli('synth');
  copy.commitAll(`a generated fleet of ${CLUSTERS} clusters`);
});

afterAll(() => copy?.remove());

describe(`nx affected -t synth on a ${CLUSTERS}-cluster fleet`, () => {
  it('after editing one cluster definition, runs only that cluster task, which rewrites only its folders and ARM templates', () => {
    expect(names).toHaveLength(CLUSTERS);
    const cluster = names[17]!;
    const file = path.join(repo, FLEET_DIR, 'clusters', cluster, 'cluster.yaml');
    const document = parse(readFileSync(file, 'utf8')) as {
      spec: { nodePools: { user: { maxCount: number } }; workload?: { replicas?: number } };
    };
    const replicas = 3;
    // The AKS user pool (the cluster's stamp template); the model wants room for 2× the replicas plus a surge.
    const { user } = document.spec.nodePools;
    user.maxCount = Math.max(user.maxCount + 1, 2 * replicas + 1);
    document.spec.workload = { ...document.spec.workload, replicas }; // the Deployment: its manifests
    writeFileSync(file, stringify(document));
    copy!.commitAll(`scale ${cluster}`);

    const affected = JSON.parse(
      nx('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--withTarget', 'synth', '--json'),
    ) as string[];
    expect(affected).toStrictEqual([`cluster-${cluster}`]);

    const output = nx('affected', '-t', 'synth', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static');
    expect(output.match(/nx run cluster-[^:]+:synth/g)).toStrictEqual([`nx run cluster-${cluster}:synth`]);

    const changed = copy!
      .git('status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    expect(changed).toContain(`infrastructure/clusters/${cluster}/stamp/template.json`);
    expect(changed.some((f) => f.startsWith(`manifests/${cluster}/workload/`))).toBe(true);
    const own = [`manifests/${cluster}/`, `clusters/${cluster}/`, `infrastructure/clusters/${cluster}/`];
    expect(changed.filter((f) => !own.some((folder) => f.startsWith(folder)))).toStrictEqual([]);

    // The one-cluster task wrote exactly what synthesizing the whole fleet writes.
    expect(fleetCli('synth', '--check')).toMatch(/^no drift: /m);
  });
});
