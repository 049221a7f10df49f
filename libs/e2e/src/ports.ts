/**
 * Free TCP ports on 127.0.0.1, never handed out twice in one run. Every listener of the harness is loopback only.
 *
 * Ports are taken BELOW the kernel's ephemeral range (net.ipv4.ip_local_port_range): an outgoing connection never
 * gets such a port as its local port, so a port stays free between the probe and the process binding it — also
 * when a stopped region binds its ports again on restart.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const handedOut = new Set<number>();

function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function tryBind(port: number): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(0));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

export async function freePort(): Promise<number> {
  const high = ephemeralRangeStart() - 1;
  const low = Math.min(15_000, high - 1_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const candidate = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(candidate)) continue;
    if ((await tryBind(candidate)) === candidate) {
      handedOut.add(candidate);
      return candidate;
    }
  }
  // Fall back to a kernel-chosen (ephemeral) port.
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryBind(0);
    if (port > 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port found');
}

/** A record of named free ports, e.g. `{ etcd: 20123, apiserver: 24124 }`. */
export async function freePorts<K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const ports = {} as Record<K, number>;
  for (const name of names) ports[name] = await freePort();
  return ports;
}
