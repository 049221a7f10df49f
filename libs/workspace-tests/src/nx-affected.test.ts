/**
 * nx is the project graph of the fleet: each cluster is a project whose synth target depends on its own
 * definition plus the libs and apps it uses. Proven on a temporary git repository holding a copy of this
 * workspace, with real nx.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };
const CLUSTER_03 = 'cluster-bu0001a0042-03';
const CLUSTER_04 = 'cluster-bu0001a0042-04';

let repo = '';

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

function nx(...args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'node_modules/nx/dist/bin/nx.js'), ...args], { cwd: repo, env: ENV, encoding: 'utf8' });
}

/** Copies the workspace (tracked and untracked, not ignored) and links node_modules, with the workspace packages pointing into the copy. */
function copyWorkspace(): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(path.join(ROOT, file))) continue;
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(repo, file));
  }
  const modules = path.join(repo, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === '@aks-fleet' || entry === '.bin') {
      // Relative links (../../libs/fleet, ../nx/…) recreated as they are resolve inside the copy.
      mkdirSync(path.join(modules, entry));
      for (const link of readdirSync(path.join(ROOT, 'node_modules', entry))) {
        symlinkSync(readlinkSync(path.join(ROOT, 'node_modules', entry, link)), path.join(modules, entry, link));
      }
    } else {
      symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
    }
  }
}

function commitAll(message: string): void {
  git('add', '-A');
  git('commit', '-q', '-m', message);
}

function affectedSynthProjects(): string[] {
  return (JSON.parse(nx('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--withTarget', 'synth', '--json')) as string[]).sort();
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'fleet-nx-'));
  copyWorkspace();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@aks-fleet.invalid');
  git('config', 'user.name', 'aks-fleet test');
  commitAll('base');
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

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
