/**
 * Rendering on worker threads reports exactly what rendering in this thread reports, and a failed run writes nothing.
 * (The byte-identical output is checked end to end in apps/fleet-cli/src/commands/synth-parallel.test.ts.)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RenderWorkers } from './render-pool.ts';
import { synthesize } from './synthesize.ts';
import { problemClusters } from './testing/problem-render-worker.ts';
import { TRANSACTION_DIR } from './tree-transaction.ts';
import { ObjectValidationError } from './validate-objects.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const CLUSTERS = 6;

async function problemsOf(workers?: RenderWorkers) {
  const root = mkdtempSync(path.join(tmpdir(), 'fleet-render-pool-'));
  roots.push(root);
  const error = await synthesize({ root, clusters: problemClusters(CLUSTERS), ...(workers ? { workers } : {}) }).then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  const written = ['manifests', 'clusters', TRANSACTION_DIR].filter((folder) => existsSync(path.join(root, folder)));
  return { error, written };
}

describe('render pool', () => {
  // Each worker loads the TypeScript sources through tsx: slow on a loaded 2-core machine.
  it(
    'reports the same object problems from worker threads, all of them, and writes nothing',
    { timeout: 240_000 },
    async () => {
      const serial = await problemsOf();
      const parallel = await problemsOf({
        module: new URL('./testing/problem-render-worker.ts', import.meta.url).href,
        exportName: 'problemRenderWorker',
        data: CLUSTERS,
        count: 2,
      });
      expect(serial.error).toBeInstanceOf(ObjectValidationError);
      expect(parallel.error).toBeInstanceOf(ObjectValidationError);
      const problems = (serial.error as ObjectValidationError).problems;
      expect(problems.map((p) => p.cluster)).toStrictEqual(problemClusters(CLUSTERS).map((c) => c.name));
      expect((parallel.error as ObjectValidationError).problems).toStrictEqual(problems);
      expect(serial.written).toStrictEqual([]);
      expect(parallel.written).toStrictEqual([]);
    },
  );
});
