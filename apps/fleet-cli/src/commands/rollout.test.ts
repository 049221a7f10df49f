/**
 * `fleet status` and `fleet rollout` on bad input: an unknown wave, an unreachable cluster, a ref that does not
 * exist, no kubeconfig. One clear line each with the fix, the right exit code, never a stack trace. (Bad flags and
 * subcommands are in the table of cli.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanScratch, REPO_ROOT, runCli, scratchDir } from '../testing/run-cli.ts';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

let repo: string;
let kubeconfig: string;

const servers: http.Server[] = [];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  return port;
}

/**
 * A real HTTP server answering the two reads `fleet status` makes as an API server with Flux installed but nothing
 * reconciled yet would: no bootstrap GitRepository (404), no Kustomizations.
 */
async function emptyFluxApiServer(): Promise<string> {
  const server = http.createServer((request, response) => {
    const list = /\/kustomizations(\?|$)/.test(request.url ?? '');
    response.writeHead(list ? 200 : 404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        list
          ? { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'KustomizationList', items: [] }
          : { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
      ),
    );
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** A kubeconfig with one context per cluster of the default fleet, each to its server. */
function kubeconfigFile(dir: string, name: string, servers03: string, servers04: string): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: c03, cluster: { server: "${servers03}", insecure-skip-tls-verify: true } }, { name: c04, cluster: { server: "${servers04}", insecure-skip-tls-verify: true } }]`,
      'users: [{ name: u, user: { token: t } }]',
      'contexts: [{ name: aks-bu0001a0042-03, context: { cluster: c03, user: u } }, { name: aks-bu0001a0042-04, context: { cluster: c04, user: u } }]',
      'current-context: aks-bu0001a0042-03',
      '',
    ].join('\n'),
  );
  return file;
}

let halfReachable: string;

/** `fleet rollout …` on the test repository, its clusters read through `kubeconfig` (unreachable) within 3 s. */
const rollout = (...args: string[]) =>
  runCli(['rollout', ...args, '--root', repo, '--kubeconfig', kubeconfig, '--timeout', '3s']);

beforeAll(async () => {
  const dir = scratchDir('rollout-cli-');
  repo = path.join(dir, 'work');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path.join(dir, 'origin.git')]);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, ...GIT_ENV } });
  git('remote', 'add', 'origin', path.join(dir, 'origin.git'));
  git('config', 'user.email', 't@example.invalid'); // pause/resume commit in this clone
  git('config', 'user.name', 't');
  writeFileSync(path.join(repo, 'README'), 'x');
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  git('push', '-q', 'origin', 'HEAD:refs/heads/main');
  const gone = `https://127.0.0.1:${await closedPort()}`;
  kubeconfig = kubeconfigFile(dir, 'kubeconfig', gone, gone);
  halfReachable = kubeconfigFile(dir, 'half', await emptyFluxApiServer(), gone);
});
afterAll(() => {
  for (const server of servers.splice(0)) server.close();
  cleanScratch();
});

function expectOneCleanError(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('fleet rollout: bad input', () => {
  it('an unknown wave', async () => {
    const { code, stderr } = await rollout('promote', 'nowhere');
    expect(code).toBe(2);
    expectOneCleanError(
      stderr,
      /^ERROR unknown wave "nowhere"; expected one of eastus2, centralus \(spec\.rollout\.waves, or one wave per region\) — fix: name a wave of the fleet$/m,
    );
  });

  it('a ref that does not exist', async () => {
    const { code, stderr } = await rollout('promote', 'centralus', '--to', 'v9.9.9');
    expect(code).toBe(2);
    expectOneCleanError(
      stderr,
      /^ERROR --to v9\.9\.9: no such revision in .*work; expected a commit or ref of origin — fix: fetch it first, or name a commit the previous wave runs$/m,
    );
  });

  it('a remote that does not exist', async () => {
    const { code, stderr } = await rollout('promote', 'centralus', '--remote', 'nope');
    expect(code).toBe(2);
    expectOneCleanError(
      stderr,
      /^ERROR git ls-remote --heads nope failed in .*: fatal: .* — fix: pass --remote the fleet repository \(a remote name of the clone — git remote -v lists them — or a URL\)/m,
    );
  });

  it('an unreachable cluster: promote refuses, naming it; nothing moves', async () => {
    const { code, stdout, stderr } = await rollout('promote', 'centralus');
    expect([code, stdout]).toStrictEqual([1, '']);
    expect(stderr).toMatch(
      /^REFUSED promoting wave centralus to \w{8}:\n {2}- bu0001a0042-03 \(wave eastus2\) is unreachable: connect ECONNREFUSED.*\n$/,
    );
    expect(execFileSync('git', ['ls-remote', '--heads', 'origin'], { cwd: repo, encoding: 'utf8' })).not.toContain(
      'fleet/wave-centralus',
    );
  });

  it('status, promote, pause and resume take the repository and cluster source flags (one argument list for scripts, as e2e does)', async () => {
    const shared = ['--root', repo, '--remote', 'origin', '--kubeconfig', kubeconfig, '--timeout', '3s'];
    const paused = await runCli(['rollout', 'pause', 'centralus', '--reason', 'hold', ...shared]);
    expect([paused.code, paused.stderr]).toStrictEqual([0, '']);
    expect(paused.stdout).toMatch(/^paused wave centralus: commit \w{8} adds rollout\/paused\/centralus\.yaml/);
    const resumed = await runCli(['rollout', 'resume', 'centralus', ...shared, '-o', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ wave: 'centralus', changed: true, pushed: false });
    // workflow reads no repository and no cluster: it takes --fleet only (its help listed the others, unshown).
    const workflow = await runCli(['rollout', 'workflow', ...shared]);
    expect(workflow.code).toBe(2);
    expect(workflow.stderr).toMatch(/^ERROR --root is not a flag of `fleet rollout workflow` /);
    expect(
      (await runCli(['rollout', 'workflow', '--fleet', path.join(REPO_ROOT, 'libs/fleet/default-fleet')])).code,
    ).toBe(0);
  });

  it('issue 14: rollout status exits 1 when every cluster is unreachable, naming them, with the fix', async () => {
    const { code, stdout, stderr } = await rollout('status');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}bu0001a0042-03 \(eastus2\): UNREACHABLE: connect ECONNREFUSED/m);
    expectOneCleanError(
      stderr,
      /^ERROR no cluster could be read: bu0001a0042-03 \(context aks-bu0001a0042-03\), bu0001a0042-04 \(context aks-bu0001a0042-04\); the reasons are in the report — fix: check that each context reaches its cluster .*--source arm$/m,
    );
  });

  it('rollout status names the one cluster it could not read (exit 1); -o json still has the whole report', async () => {
    const args = ['rollout', 'status', '--root', repo, '--kubeconfig', halfReachable, '--timeout', '3s', '-o', 'json'];
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(1);
    const waves = (JSON.parse(stdout) as { waves: Array<{ wave: string; clusters: Array<{ reachable: boolean }> }> })
      .waves;
    expect(waves.map((w) => [w.wave, w.clusters.map((c) => c.reachable)])).toStrictEqual([
      ['eastus2', [true]],
      ['centralus', [false]],
    ]);
    expectOneCleanError(
      stderr,
      /^ERROR 1 of 2 cluster\(s\) could not be read: bu0001a0042-04 \(context aks-bu0001a0042-04\); the reasons are in the report — fix: /,
    );
  });
});

describe('fleet status: bad input and unreachable clusters', () => {
  it('an unreachable cluster is a row (and a JSON entry), not a crash; exit 1; nothing read at all is an ERROR line', async () => {
    const table = await runCli(['status', '--kubeconfig', kubeconfig, '--timeout', '3s']);
    expect(table.code).toBe(1);
    expectOneCleanError(
      table.stderr,
      /^ERROR no cluster could be read: bu0001a0042-03 \(context aks-bu0001a0042-03\), bu0001a0042-04 \(context aks-bu0001a0042-04\); the reasons are in the report — fix: /,
    );
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

  it('one cluster unreachable: its row says so, stderr stays clean, exit 1', async () => {
    const { code, stdout, stderr } = await runCli(['status', '--kubeconfig', halfReachable, '--timeout', '3s']);
    expect([code, stderr]).toStrictEqual([1, '']);
    expect(stdout).toMatch(/^eastus2\s+bu0001a0042-03\s+main\s+source Ready=\?/m);
    expect(stdout).toMatch(/^centralus\s+bu0001a0042-04\s+fleet\/wave-centralus\s+UNREACHABLE .*ECONNREFUSED/m);
  });

  it('issue 14: no kubeconfig anywhere is one line saying where it looked and the fix (not a made-up context)', async () => {
    const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
    const home = scratchDir('no-kube-home-');
    try {
      process.env.HOME = home;
      delete process.env.KUBECONFIG;
      const none = await runCli(['status', '--timeout', '3s']);
      expect([none.code, none.stdout]).toStrictEqual([2, '']);
      // The help says the same exit code (it said "else 1").
      expect((await runCli(['status', '--help'])).stdout).toMatch(
        /; 2 when it cannot read at all for its input: bad\s+flags, no\s+kubeconfig/,
      );
      expectOneCleanError(
        none.stderr,
        new RegExp(
          `^ERROR no kubeconfig found: --kubeconfig was not given, KUBECONFIG is not set, and ${home}/\\.kube/config does not exist — fix: pass --kubeconfig FILE or set KUBECONFIG .*--context CLUSTER=CONTEXT.*--source arm$`,
          'm',
        ),
      );
      process.env.KUBECONFIG = [path.join(home, 'a'), path.join(home, 'b')].join(path.delimiter);
      const listed = await runCli(['rollout', 'status', '--root', repo]);
      expect(listed.code).toBe(2);
      expectOneCleanError(
        listed.stderr,
        /^ERROR no kubeconfig found: --kubeconfig was not given, KUBECONFIG lists \S+\/a:\S+\/b, and none of them exists — fix: pass --kubeconfig FILE/,
      );
    } finally {
      for (const [name, value] of Object.entries(saved))
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
  });

  it('a --kubeconfig that does not exist or has no contexts', async () => {
    const dir = scratchDir('kubeconfig-');
    const missing = await runCli(['status', '--kubeconfig', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expectOneCleanError(
      missing.stderr,
      /^ERROR --kubeconfig .*nope: cannot be read \(.*ENOENT.*\) — fix: check the path and its permissions, or omit --kubeconfig/,
    );
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const none = await runCli(['status', '--kubeconfig', empty]);
    expect(none.code).toBe(2);
    // Was "fix: pass --kubeconfig FILE" — which the user had just done.
    expectOneCleanError(
      none.stderr,
      /^ERROR --kubeconfig (\S+empty) has no contexts — fix: add a context per cluster: `az aks get-credentials --resource-group <rg> --name <cluster> --file \1` writes one into \1; or read through Azure with --source arm$/m,
    );
    expect(none.stderr).not.toContain('pass --kubeconfig');
  });
});
