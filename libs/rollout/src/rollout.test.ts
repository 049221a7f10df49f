import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFleet, parseFleet, type Fleet, type FleetSpec } from '@aks-fleet/fleet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterStatus } from './cluster-status.ts';
import { RolloutInputError } from './errors.ts';
import { GitRemote } from './git-refs.ts';
import { pause, promote, resume, rolloutStatus, type RolloutEnvironment } from './rollout.ts';
import { failing, healthyCluster } from './testing/statuses.ts';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};
Object.assign(process.env, GIT_ENV);

function spec(): FleetSpec {
  const fleet = structuredClone(loadFleet().fleet) as Fleet;
  fleet.spec.rollout = {
    waves: [
      { name: 'canary', regions: ['eastus2'], clusters: [], soak: '10m', approval: false },
      { name: 'rest', regions: ['centralus'], clusters: [], soak: '10m', approval: false },
    ],
  };
  return parseFleet(fleet).spec;
}

let dir: string;
let work: string;
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: work, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();

function commit(message: string): string {
  writeFileSync(path.join(work, 'file.txt'), message);
  git('add', '-A');
  git('commit', '-q', '-m', message);
  git('push', '-q', 'origin', 'HEAD:refs/heads/main');
  return git('rev-parse', 'HEAD');
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rollout-'));
  work = path.join(dir, 'work');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path.join(dir, 'origin.git')]);
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  git('remote', 'add', 'origin', path.join(dir, 'origin.git'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const now = new Date('2026-11-29T06:00:00Z');

/** The canary cluster at `sha`, Ready for `seconds` (the reader a test controls). */
function environment(
  read: (cluster: string) => ClusterStatus,
  extra: Partial<RolloutEnvironment> = {},
): RolloutEnvironment {
  const s = spec();
  return {
    spec: s,
    git: new GitRemote(work, 'origin'),
    read: async (identity) => ({ ...read(identity.cluster), ...identity }),
    now: () => now,
    ...extra,
  };
}

const canaryAt = (sha: string, seconds: number) => (cluster: string) =>
  healthyCluster(cluster, 'canary', sha, { readyForSeconds: seconds, now });
const remoteHead = (branch: string) =>
  git('ls-remote', '--heads', 'origin', `refs/heads/${branch}`).split('\t')[0] || undefined;

describe('fleet rollout promote', () => {
  it('refuses before the soak; moves (here: creates) the wave branch after it; a second run is a no-op', async () => {
    const c1 = commit('one');
    const early = await promote(environment(canaryAt(c1, 60)), 'rest');
    expect(early.outcome).toBe('refused');
    expect(early.blockers.map((b) => b.kind)).toStrictEqual(['soak']);
    expect(remoteHead('fleet/wave-rest')).toBeUndefined();

    const dry = await promote(environment(canaryAt(c1, 600)), 'rest', { dryRun: true });
    expect([dry.outcome, remoteHead('fleet/wave-rest')]).toStrictEqual(['would-move', undefined]);

    const moved = await promote(environment(canaryAt(c1, 600)), 'rest');
    expect([moved.outcome, moved.from, moved.to]).toStrictEqual(['moved', undefined, c1]);
    expect(remoteHead('fleet/wave-rest')).toBe(c1);

    const again = await promote(environment(canaryAt(c1, 600)), 'rest');
    expect(again.outcome).toBe('already');
  });

  it('moves to the revision the previous wave runs, never to one it does not', async () => {
    const c1 = commit('one');
    await promote(environment(canaryAt(c1, 600)), 'rest');
    const c2 = commit('two');
    // The canary still runs c1: promoting to the branch head c2 is refused, naming what the canary runs.
    const refused = await promote(environment(canaryAt(c1, 600)), 'rest');
    expect(refused.blockers.map((b) => b.message)).toStrictEqual([
      `bu0001a0042-03 (wave canary) runs ${c1.slice(0, 8)}, not ${c2.slice(0, 8)}`,
    ]);
    const moved = await promote(environment(canaryAt(c2, 600)), 'rest', { to: 'main' });
    expect([moved.outcome, moved.from, moved.to, remoteHead('fleet/wave-rest')]).toStrictEqual(['moved', c1, c2, c2]);
  });

  it('refuses while a Kustomization of the previous wave fails; the wave branch stays', async () => {
    const c1 = commit('one');
    await promote(environment(canaryAt(c1, 600)), 'rest');
    const c2 = commit('bad');
    const result = await promote(
      environment((c) =>
        failing(
          healthyCluster(c, 'canary', c1, { readyForSeconds: 600, now }),
          'fleet-baseline',
          c2,
          'missing.yaml not found',
        ),
      ),
      'rest',
    );
    expect(result.outcome).toBe('refused');
    expect(result.blockers[0]!.message).toContain(
      `Kustomization fleet-baseline is failing at ${c2.slice(0, 8)}: BuildFailed: missing.yaml not found`,
    );
    expect(remoteHead('fleet/wave-rest')).toBe(c1);
  });

  it('--wait re-checks until the gate opens (bounded), then moves', async () => {
    const c1 = commit('one');
    let clock = now.getTime();
    let reads = 0;
    const env = environment(
      (c) => {
        reads++;
        return healthyCluster(c, 'canary', c1, {
          readyForSeconds: 600 - 60 + (clock - now.getTime()) / 1000,
          now: new Date(clock),
        });
      },
      { now: () => new Date(clock), sleep: async (ms) => void (clock += ms) },
    );
    const result = await promote(env, 'rest', { waitSeconds: 300, intervalSeconds: 20 });
    expect([result.outcome, result.waitedSeconds, reads]).toStrictEqual(['moved', 60, 4]);
    const c2 = commit('two');
    const bounded = await promote(
      environment(canaryAt(c1, 600), { now: () => new Date(clock), sleep: async (ms) => void (clock += ms) }),
      'rest',
      { waitSeconds: 30, intervalSeconds: 20 },
    );
    expect([bounded.outcome, bounded.waitedSeconds, bounded.to]).toStrictEqual(['refused', 30, c2]);
  });

  it('a pause marker on the main branch blocks promote (without waiting it out); resume lets it through', async () => {
    const c1 = commit('one');
    const paused = await pause(environment(canaryAt(c1, 600)), 'rest', {
      reason: 'incident 42',
      by: 'oncall',
      push: true,
    });
    expect([paused.changed, paused.pushed, paused.file]).toStrictEqual([true, true, 'rollout/paused/rest.yaml']);
    expect(git('show', '--stat', '--format=%s', 'HEAD')).toMatch(
      /^rollout: pause wave rest: incident 42\n+ rollout\/paused\/rest\.yaml/,
    );
    const again = await pause(environment(canaryAt(c1, 600)), 'rest', { push: true });
    expect(again.changed).toBe(false);
    const pausedHead = git('rev-parse', 'HEAD');
    const blocked = await promote(
      environment(canaryAt(pausedHead, 3600), { sleep: async () => expect.unreachable('a pause is not waited out') }),
      'rest',
      { waitSeconds: 3600 },
    );
    expect(blocked.outcome).toBe('refused');
    expect(blocked.blockers.map((b) => b.message)).toStrictEqual([
      'wave rest is paused (rollout/paused/rest.yaml: incident 42); fix: fleet rollout resume rest',
    ]);

    const resumed = await resume(environment(canaryAt(c1, 600)), 'rest', { push: true });
    expect(resumed.changed).toBe(true);
    expect(existsSync(path.join(work, 'rollout/paused/rest.yaml'))).toBe(false);
    // Was: an empty rollout/paused/ left behind in the clone.
    expect(existsSync(path.join(work, 'rollout'))).toBe(false);
    const head = git('rev-parse', 'HEAD');
    const moved = await promote(environment(canaryAt(head, 600)), 'rest');
    expect([moved.outcome, remoteHead('fleet/wave-rest')]).toStrictEqual(['moved', head]);
  });

  it('bad input: an unknown wave, a ref that does not exist, a missing main branch — one line each', async () => {
    const env = environment(canaryAt('0'.repeat(40), 600));
    await expect(promote(env, 'nope')).rejects.toThrow(
      new RolloutInputError(
        'unknown wave "nope"; expected one of canary, rest (spec.rollout.waves, or one wave per region)',
        'name a wave of the fleet',
      ),
    );
    await expect(promote(env, 'rest')).rejects.toThrow(
      /^the branch main \(spec\.gitSource\.branch\) does not exist on origin — fix: push it/,
    );
    commit('one');
    await expect(promote(env, 'rest', { to: 'no-such-ref' })).rejects.toThrow(
      /^--to no-such-ref: no such revision in .*; expected a commit or ref of origin — fix: fetch it first/,
    );
    await expect(pause(env, 'canary')).rejects.toThrow(/^wave canary is the first wave: it follows main directly/);
    expect((await promote(env, 'canary')).outcome).toBe('first-wave');
  });
});

describe('fleet rollout status', () => {
  it('per wave: the commit its branch is at, how long it has been healthy there, what blocks the next wave', async () => {
    const c1 = commit('one');
    await promote(environment(canaryAt(c1, 600)), 'rest');
    const c2 = commit('two');
    const env = environment((c) =>
      c === 'bu0001a0042-03'
        ? healthyCluster(c, 'canary', c2, { readyForSeconds: 120, now })
        : healthyCluster(c, 'rest', c1, { branch: 'fleet/wave-rest', readyForSeconds: 900, now }),
    );
    const reports = await rolloutStatus(env);
    expect(
      reports.map((r) => [r.wave, r.branch, r.commit, r.healthySeconds, r.nextBlockers?.map((b) => b.kind)]),
    ).toStrictEqual([
      ['canary', 'main', c2, 120, ['soak']],
      ['rest', 'fleet/wave-rest', c1, 900, undefined],
    ]);
  });
});
