import { once } from 'node:events';
import net from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { readClusterFromKube } from './kube-source.ts';

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
    expect(status.error).toMatch(/^unreachable: .*ECONNREFUSED/);
  });

  it('cuts a cluster that accepts but never answers at the per-cluster timeout', async () => {
    const sockets: net.Socket[] = [];
    const port = await listen((socket) => sockets.push(socket));
    const status = await readClusterFromKube(kubeConfigFor(`https://127.0.0.1:${port}`), 'ctx', identity, 300);
    expect(status.reachable).toBe(false);
    expect(status.error).toBe('unreachable: no answer within 0.3 s (timeout)');
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
