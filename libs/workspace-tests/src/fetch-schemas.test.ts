/**
 * scripts/fetch-schemas.sh offline: the first unreachable host stops the run with the fix, instead of trying every
 * file (43) with retries. A closed local port stands in for an unreachable host.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './testing/workspace-copy.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('scripts/fetch-schemas.sh', () => {
  it('stops at the first unreachable host, says how to fix it, and leaves no partial file', async () => {
    const dest = mkdtempSync(path.join(tmpdir(), 'schemas-'));
    try {
      const port = await closedPort();
      const result = spawnSync('bash', [path.join(ROOT, 'scripts/fetch-schemas.sh'), '--dest', dest], {
        env: { ...process.env, ARM_SCHEMA_BASE_URL: `http://127.0.0.1:${port}/` },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      const errors = result.stderr.split('\n').filter((line) => line.startsWith('ERROR'));
      expect(errors).toStrictEqual([
        `ERROR - 127.0.0.1:${port} is unreachable (curl exit 7) while fetching http://127.0.0.1:${port}/2015-01-01/Sendgrid.Email.json; stopped after 0 file(s)`,
      ]);
      expect(result.stderr).toContain(
        'fix: connect to the network and rerun scripts/fetch-schemas.sh, or set FLEET_SCHEMA_LOCATION',
      );
      expect(result.stderr).toContain('`npm run synth` needs neither');
      expect(files(dest)).toStrictEqual([]);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  });
});
