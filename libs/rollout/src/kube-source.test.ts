import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { RolloutInputError } from './errors.ts';
import { KUBECONFIG_FIX, loadKubeConfig, readClusterFromKube } from './kube-source.ts';

const identity = { cluster: 'bu0001a0042-03', region: 'eastus2', wave: 'eastus2', branch: 'main' };

function kubeConfigFor(server: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    // The test servers speak no TLS at all: a refused port, and a socket that never answers (no handshake).
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'not-a-real-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return config;
}

const servers: net.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.close();
  }
});

async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

describe('cluster status through a kubeconfig context', () => {
  it('reports a cluster whose API server refuses connections as unreachable, with the reason', async () => {
    const port = await listen(() => undefined);
    servers.pop()!.close(); // the port is now closed
    const status = await readClusterFromKube(kubeConfigFor(`https://127.0.0.1:${port}`), 'ctx', identity, 5_000);
    expect(status).toMatchObject({
      cluster: 'bu0001a0042-03',
      reachable: false,
      via: 'kubernetes',
      endpoint: 'ctx',
      kustomizations: [],
    });
    expect(status.error).toMatch(/^connect ECONNREFUSED/);
  });

  it('cuts a cluster that accepts but never answers at the per-cluster timeout', async () => {
    const sockets: net.Socket[] = [];
    const port = await listen((socket) => sockets.push(socket));
    const status = await readClusterFromKube(kubeConfigFor(`https://127.0.0.1:${port}`), 'ctx', identity, 300);
    expect(status.reachable).toBe(false);
    expect(status.error).toBe('no answer within 0.3 s (timeout)');
    for (const socket of sockets) socket.destroy();
  });

  it('a context missing from the kubeconfig is named, with the contexts it has and the fix', async () => {
    const status = await readClusterFromKube(
      kubeConfigFor('https://127.0.0.1:1'),
      'aks-bu0001a0042-03',
      identity,
      1_000,
    );
    expect(status.reachable).toBe(false);
    expect(status.error).toBe(
      'no context "aks-bu0001a0042-03" in the kubeconfig (it has: ctx); map the cluster with --context bu0001a0042-03=<context> or --contexts FILE',
    );
  });
});

describe('finding the kubeconfig (as kubectl does)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function scratch(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
    dirs.push(dir);
    return dir;
  }
  function kubeconfig(dir: string, name: string, context: string): string {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]\n` +
        `users: [{ name: u, user: { token: t } }]\ncontexts: [{ name: ${context}, context: { cluster: c, user: u } }]\n` +
        `current-context: ${context}\n`,
    );
    return file;
  }

  it('fails when there is none, naming where it looked and the fix (no made-up localhost context)', async () => {
    const home = scratch();
    await expect(loadKubeConfig(undefined, { HOME: home })).rejects.toThrow(
      new RolloutInputError(
        `no kubeconfig found: --kubeconfig was not given, KUBECONFIG is not set, and ${home}/.kube/config does not exist`,
        KUBECONFIG_FIX,
      ),
    );
    const listed = [path.join(home, 'a'), path.join(home, 'b')].join(path.delimiter);
    await expect(loadKubeConfig(undefined, { HOME: home, KUBECONFIG: listed })).rejects.toThrow(
      `no kubeconfig found: --kubeconfig was not given, KUBECONFIG lists ${listed}, and none of them exists — fix: pass --kubeconfig FILE`,
    );
  });

  it('merges the KUBECONFIG files that exist and skips the missing ones; ~/.kube/config otherwise', async () => {
    const dir = scratch();
    const listed = [kubeconfig(dir, 'one', 'first'), path.join(dir, 'missing'), kubeconfig(dir, 'two', 'second')];
    const merged = await loadKubeConfig(undefined, { HOME: dir, KUBECONFIG: listed.join(path.delimiter) });
    expect(merged.getContexts().map((c) => c.name)).toStrictEqual(['first', 'second']);
    expect(merged.getCurrentContext()).toBe('first');
    mkdirSync(path.join(dir, '.kube'));
    kubeconfig(dir, '.kube/config', 'home');
    expect((await loadKubeConfig(undefined, { HOME: dir })).getContexts().map((c) => c.name)).toStrictEqual(['home']);
  });

  it('fails on a kubeconfig without contexts', async () => {
    const file = path.join(scratch(), 'empty');
    writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    // The fix names what to put in the file the user passed, not "pass --kubeconfig FILE" (they just did).
    await expect(loadKubeConfig(file)).rejects.toThrow(
      `--kubeconfig ${file} has no contexts — fix: add a context per cluster: ` +
        `\`az aks get-credentials --resource-group <rg> --name <cluster> --file ${file}\` writes one into ${file}; ` +
        'or read through Azure with --source arm',
    );
    const home = scratch();
    mkdirSync(path.join(home, '.kube'));
    writeFileSync(path.join(home, '.kube/config'), 'apiVersion: v1\nkind: Config\ncontexts: []\n');
    await expect(loadKubeConfig(undefined, { HOME: home })).rejects.toThrow(
      /has no contexts — fix: add a context per cluster: .* writes one into the kubeconfig, or pass --kubeconfig FILE with them; /,
    );
  });
});
