/**
 * `fleet status` and `fleet rollout` on bad input: an unknown wave, an unreachable cluster, a ref that does not
 * exist, bad flags. One clear line each, the right exit code, never a stack trace.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanScratch, runCli, scratchDir } from '../testing/run-cli.ts';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

let repo: string;
let kubeconfig: string;

/** A kubeconfig whose contexts point at a closed loopback port. */
async function unreachableKubeconfig(dir: string): Promise<string> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:' +
        port +
        '", insecure-skip-tls-verify: true } }]',
      'users: [{ name: u, user: { token: t } }]',
      'contexts: [{ name: aks-bu0001a0042-03, context: { cluster: gone, user: u } }, { name: aks-bu0001a0042-04, context: { cluster: gone, user: u } }]',
      'current-context: aks-bu0001a0042-03',
      '',
    ].join('\n'),
  );
  return file;
}

beforeAll(async () => {
  const dir = scratchDir('rollout-cli-');
  repo = path.join(dir, 'work');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path.join(dir, 'origin.git')]);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, ...GIT_ENV } });
  git('remote', 'add', 'origin', path.join(dir, 'origin.git'));
  writeFileSync(path.join(repo, 'README'), 'x');
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  git('push', '-q', 'origin', 'HEAD:refs/heads/main');
  kubeconfig = await unreachableKubeconfig(dir);
});
afterAll(cleanScratch);

function expectOneCleanError(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('fleet rollout: bad input', () => {
  it('an unknown wave', async () => {
    const { code, stderr } = await runCli([
      'rollout',
      'promote',
      'nowhere',
      '--root',
      repo,
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(code).toBe(2);
    expectOneCleanError(
      stderr,
      /^ERROR unknown wave "nowhere"; expected one of eastus2, centralus \(spec\.rollout\.waves, or one wave per region\) — fix: name a wave of the fleet$/m,
    );
  });

  it('a ref that does not exist', async () => {
    const { code, stderr } = await runCli([
      'rollout',
      'promote',
      'centralus',
      '--to',
      'v9.9.9',
      '--root',
      repo,
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(code).toBe(2);
    expectOneCleanError(
      stderr,
      /^ERROR --to v9\.9\.9: no such revision in .*work; expected a commit or ref of origin — fix: fetch it first, or name a commit the previous wave runs$/m,
    );
  });

  it('a remote that does not exist', async () => {
    const { code, stderr } = await runCli([
      'rollout',
      'promote',
      'centralus',
      '--root',
      repo,
      '--remote',
      'nope',
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(code).toBe(2);
    expectOneCleanError(stderr, /^ERROR git ls-remote --heads nope failed in .*: /m);
  });

  it('an unreachable cluster: promote refuses, naming it; nothing moves', async () => {
    const { code, stdout, stderr } = await runCli([
      'rollout',
      'promote',
      'centralus',
      '--root',
      repo,
      '--kubeconfig',
      kubeconfig,
      '--timeout',
      '3s',
    ]);
    expect([code, stdout]).toStrictEqual([1, '']);
    expect(stderr).toMatch(
      /^REFUSED promoting wave centralus to \w{8}:\n {2}- bu0001a0042-03 \(wave eastus2\) is unreachable: unreachable: .*ECONNREFUSED.*\n$/,
    );
    expect(execFileSync('git', ['ls-remote', '--heads', 'origin'], { cwd: repo, encoding: 'utf8' })).not.toContain(
      'fleet/wave-centralus',
    );
  });

  it('bad flags and actions', async () => {
    for (const [args, pattern] of [
      [['rollout', 'promote'], /^ERROR fleet rollout promote needs a wave: fleet rollout promote <wave>$/m],
      [
        ['rollout', 'launch', 'x'],
        /^ERROR unknown action "launch"; expected status, promote, pause, resume or workflow$/m,
      ],
      [
        ['rollout', 'promote', 'centralus', '--wait', 'soon', '--root', repo],
        /^ERROR --wait soon: expected a duration like 90s, 15m or 1h30m$/m,
      ],
      [['rollout', 'promote', 'centralus', '--frobnicate'], /^ERROR Unknown option '--frobnicate'/m],
    ] as const) {
      const { code, stderr } = await runCli(args);
      expect(code, args.join(' ')).toBe(2);
      expectOneCleanError(stderr, pattern);
    }
  });
});

describe('fleet status: bad input and unreachable clusters', () => {
  it('an unreachable cluster is a row (and a JSON entry), not a crash; exit 1', async () => {
    const table = await runCli(['status', '--kubeconfig', kubeconfig, '--timeout', '3s']);
    expect(table.code).toBe(1);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/^eastus2\s+bu0001a0042-03\s+main\s+UNREACHABLE .*ECONNREFUSED/m);
    expect(table.stdout).toMatch(/^centralus\s+bu0001a0042-04\s+fleet\/wave-centralus\s+UNREACHABLE/m);
    const json = await runCli(['status', '--json', '--kubeconfig', kubeconfig, '--timeout', '3s']);
    const clusters = (
      JSON.parse(json.stdout) as { clusters: Array<{ cluster: string; reachable: boolean; endpoint: string }> }
    ).clusters;
    expect(clusters.map((c) => [c.cluster, c.reachable, c.endpoint])).toStrictEqual([
      ['bu0001a0042-03', false, 'aks-bu0001a0042-03'],
      ['bu0001a0042-04', false, 'aks-bu0001a0042-04'],
    ]);
  });

  it('an unknown cluster in a context flag, a bad timeout, an unknown source', async () => {
    for (const [args, pattern] of [
      [
        ['status', '--context', 'nope=ctx'],
        /^ERROR --context nope=ctx: "nope" is not a cluster of the fleet \(expected one of bu0001a0042-03, bu0001a0042-04\)$/m,
      ],
      [['status', '--timeout', '0s'], /^ERROR --timeout 0s: expected a duration above zero$/m],
      [
        ['status', '--source', 'carrier-pigeon'],
        /^ERROR --source carrier-pigeon: expected kubernetes \(kubeconfig contexts\) or arm/m,
      ],
      [['status', 'extra'], /^ERROR unexpected argument "extra"; fleet status takes options only$/m],
      [['status', '--source', 'arm', '--subscription', ''], /^ERROR --source arm needs the subscription/m],
    ] as const) {
      const { code, stderr } = await runCli(args);
      expect(code, args.join(' ')).toBe(2);
      expectOneCleanError(stderr, pattern);
    }
  });
});
