/**
 * nx is the project graph of the fleet: each cluster is a project whose synth target depends on its own
 * definition plus the libs and apps it uses. Proven on a temporary git repository holding a copy of this
 * workspace, with real nx.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from './testing/workspace-copy.ts';

const CLUSTER_03 = 'cluster-bu0001a0042-03';
const CLUSTER_04 = 'cluster-bu0001a0042-04';
const CLUSTER_05 = 'cluster-bu0001a0042-05';

let repo = '';
let copy: WorkspaceCopy | undefined;

function nx(...args: string[]): string {
  return copy!.nx(...args);
}

function git(...args: string[]): string {
  return copy!.git(...args);
}

function commitAll(message: string): void {
  copy!.commitAll(message);
}

function affectedSynthProjects(): string[] {
  return (
    JSON.parse(
      nx('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--withTarget', 'synth', '--json'),
    ) as string[]
  ).sort();
}

beforeAll(() => {
  copy = copyWorkspace('fleet-nx-');
  repo = copy.dir;
});

afterAll(() => copy?.remove());

describe('nx affected -t synth', () => {
  it('after editing one cluster definition, synthesizes exactly that cluster', () => {
    const definition = path.join(repo, 'libs/fleet/default-fleet/clusters/bu0001a0042-04/cluster.yaml');
    writeFileSync(definition, readFileSync(definition, 'utf8').replace('maxCount: 7', 'maxCount: 8'));
    commitAll('scale cluster 04');
    expect(affectedSynthProjects()).toStrictEqual([CLUSTER_04]);

    const output = nx('affected', '-t', 'synth', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static');
    expect(output).toContain(`nx run ${CLUSTER_04}:synth`);
    expect(output).not.toContain(`nx run ${CLUSTER_03}:synth`);
  });

  it('after editing a shared lib, synthesizes every cluster', () => {
    appendFileSync(path.join(repo, 'libs/constructs/src/psa-namespace.ts'), '// touched by the nx affected test\n');
    commitAll('touch a construct');
    expect(affectedSynthProjects()).toStrictEqual([CLUSTER_03, CLUSTER_04]);
  });

  it('after editing the fleet-wide settings, synthesizes every cluster', () => {
    const fleet = path.join(repo, 'libs/fleet/default-fleet/fleet.yaml');
    writeFileSync(fleet, readFileSync(fleet, 'utf8').replace('replicas: 2', 'replicas: 1'));
    commitAll('fleet-wide replicas');
    expect(affectedSynthProjects()).toStrictEqual([CLUSTER_03, CLUSTER_04]);
  });

  it('after editing only a test file, replays every synth from the cache (tests are not production inputs)', () => {
    nx('run-many', '-t', 'synth', '--outputStyle=static');
    appendFileSync(path.join(repo, 'libs/fleet/src/parse.test.ts'), '// test-only change\n');
    commitAll('test only');
    const output = nx('affected', '-t', 'synth', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static');
    expect(output).toMatch(/read the output from the cache instead of running the command for 2 out of 2 tasks/);
  });
});

describe('a cluster is one file', () => {
  it('a new cluster.yaml alone is an nx project, is synthesized, and is what affected picks', () => {
    const template = readFileSync(
      path.join(repo, 'libs/fleet/default-fleet/clusters/bu0001a0042-03/cluster.yaml'),
      'utf8',
    );
    const definition = template
      .replaceAll('bu0001a0042-03', 'bu0001a0042-05')
      .replace('instance: "03"', 'instance: "05"')
      .replaceAll('10.243.', '10.245.')
      .replaceAll('-0003-', '-0005-')
      .replace('000000000003', '000000000005');
    mkdirSync(path.join(repo, 'libs/fleet/default-fleet/clusters/bu0001a0042-05'));
    writeFileSync(path.join(repo, 'libs/fleet/default-fleet/clusters/bu0001a0042-05/cluster.yaml'), definition);
    commitAll('add cluster 05: one file');
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe(
      'libs/fleet/default-fleet/clusters/bu0001a0042-05/cluster.yaml',
    );

    const project = JSON.parse(nx('show', 'project', CLUSTER_05, '--json')) as {
      tags: string[];
      targets: Record<string, unknown>;
    };
    expect(project.tags).toStrictEqual(['scope:fleet', 'type:cluster']);
    expect(Object.keys(project.targets).sort()).toStrictEqual(['synth', 'test']);
    expect(affectedSynthProjects()).toStrictEqual([CLUSTER_05]);

    nx('affected', '-t', 'synth', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static');
    expect(existsSync(path.join(repo, 'manifests/bu0001a0042-05/baseline/namespace-a0042.yaml'))).toBe(true);
    expect(existsSync(path.join(repo, 'clusters/bu0001a0042-05/kustomization.yaml'))).toBe(true);
    expect(existsSync(path.join(repo, 'infrastructure/clusters/bu0001a0042-05/stamp/template.json'))).toBe(true);
    rmSync(path.join(repo, 'libs/fleet/default-fleet/clusters/bu0001a0042-05'), { recursive: true });
    for (const folder of ['manifests', 'clusters', 'infrastructure/clusters'])
      rmSync(path.join(repo, folder, 'bu0001a0042-05'), { recursive: true, force: true });
    commitAll('remove cluster 05');
  });
});

describe('nx caching of synth', () => {
  it('replays a cached synth and restores its outputs when they were deleted', () => {
    nx('run', `${CLUSTER_03}:synth`, '--outputStyle=static');
    const second = nx('run', `${CLUSTER_03}:synth`, '--outputStyle=static');
    expect(second).toMatch(/local cache|existing outputs match the cache/);

    const folder = path.join(repo, 'manifests/bu0001a0042-03');
    const namespaceFile = path.join(folder, 'baseline/namespace-a0042.yaml');
    const before = readFileSync(namespaceFile, 'utf8');
    rmSync(folder, { recursive: true, force: true });
    const third = nx('run', `${CLUSTER_03}:synth`, '--outputStyle=static');
    expect(third).toContain('local cache');
    expect(readFileSync(namespaceFile, 'utf8')).toBe(before);
  });
});
