/**
 * nx is the project graph of the fleet: each cluster is a project whose synth target depends on its own
 * definition plus the libs and apps it uses. Proven on a temporary git repository holding a copy of this
 * workspace, with real nx.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll as commitAllIn, copyWorkspace, initRepository, nx as nxIn } from './testing/workspace-copy.ts';

const CLUSTER_03 = 'cluster-bu0001a0042-03';
const CLUSTER_04 = 'cluster-bu0001a0042-04';

let repo = '';

const nx = (...args: string[]) => nxIn(repo, ...args);
const commitAll = (message: string) => commitAllIn(repo, message);

function affectedSynthProjects(): string[] {
  return (JSON.parse(nx('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--withTarget', 'synth', '--json')) as string[]).sort();
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'fleet-nx-'));
  copyWorkspace(repo);
  initRepository(repo);
  commitAll('base');
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('nx affected -t synth', () => {
  it('after editing one cluster definition, synthesizes exactly that cluster', () => {
    const definition = path.join(repo, 'libs/fleet/default-fleet/clusters/bu0001a0042-04/cluster.yaml');
    writeFileSync(definition, readFileSync(definition, 'utf8').replace('maxCount: 6', 'maxCount: 7'));
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
