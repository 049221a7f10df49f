/**
 * The fleet repository served over git smart HTTP on loopback (go-git, inside source-controller, speaks smart HTTP
 * only): a Node HTTP server that runs `git http-backend` (CGI) per request. Private, like a platform team's fork:
 * every request needs HTTP basic auth with this run's random credentials (401 otherwise), so a region reconciles only
 * if the bootstrap hands them to Flux. Read-only: `git http-backend` refuses receive-pack; the harness pushes by
 * file path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>/<repo>` */
  url(repository: string): string;
  /** Requests served so far (fetches by every region's source-controller). */
  readonly requests: () => number;
  /** Requests refused for missing or wrong credentials. */
  readonly refused: () => number;
  /** The credentials every request must carry (HTTP basic auth). */
  readonly credentials: { readonly username: string; readonly password: string };
  close(): Promise<void>;
}

/** Splits CGI output into headers and the rest of the first chunk. */
function parseCgiHeaders(head: Buffer): { status: number; headers: Record<string, string>; rest: Buffer } | undefined {
  const end = head.indexOf('\r\n\r\n');
  const altEnd = head.indexOf('\n\n');
  const [index, separator] = end >= 0 && (altEnd < 0 || end <= altEnd) ? [end, 4] : [altEnd, 2];
  if (index < 0) return undefined;
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of head.subarray(0, index).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers, rest: head.subarray(index + separator) };
}

export async function startGitServer(projectRoot: string): Promise<GitServer> {
  const children = new Set<ChildProcess>();
  let requests = 0;
  let refused = 0;
  const credentials = { username: 'aks-fleet-e2e', password: randomBytes(24).toString('base64url') };
  const expected = Buffer.from(
    `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
  );
  const authorized = (header: string | undefined): boolean => {
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const server = http.createServer((request, response) => {
    requests++;
    if (!authorized(request.headers.authorization)) {
      refused++;
      request.resume();
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="aks-fleet"' }).end('credentials required');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: projectRoot,
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        CONTENT_LENGTH: request.headers['content-length'] ?? '',
        HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: (request.headers['git-protocol'] as string | undefined) ?? '',
        REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
        REMOTE_USER: credentials.username,
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    child.once('error', () => {
      if (!response.headersSent) response.writeHead(500).end('git http-backend failed to start');
    });
    request.pipe(child.stdin!);
    child.stdin!.on('error', () => undefined);

    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (headersDone) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const parsed = parseCgiHeaders(head);
      if (!parsed) return;
      headersDone = true;
      response.writeHead(parsed.status, parsed.headers);
      if (parsed.rest.length > 0) response.write(parsed.rest);
    });
    child.stdout!.on('end', () => {
      if (!headersDone) response.writeHead(502).end('no CGI headers from git http-backend');
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (repository) => `http://127.0.0.1:${port}/${repository}`,
    requests: () => requests,
    refused: () => refused,
    credentials,
    close: () =>
      new Promise<void>((resolve) => {
        for (const child of children) child.kill('SIGKILL');
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
