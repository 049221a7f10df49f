/**
 * Rendering clusters on worker threads. Each worker builds the cluster definitions itself (from plain `data`, e.g.
 * the fleet model: closures cannot cross threads), renders, validates and lays out the clusters it is sent, and
 * stages their files into the transaction's staging folder; only paths, states, counts and problems come back. The
 * caller puts the outcomes back in cluster order, so the result does not depend on which worker finished first.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, Worker, workerData, type ResourceLimits } from 'node:worker_threads';
import { layoutCluster } from './layout.ts';
import { renderCluster, type ClusterDefinition } from './render-cluster.ts';
import { Staging, type StagedFile } from './tree-transaction.ts';
import { TreeWriteError, type TreeProblem } from './tree-errors.ts';
import type { ObjectProblem, ObjectValidator } from './validate-objects.ts';

/** What rendering one cluster leaves in memory. */
export interface ClusterOutcome {
  readonly name: string;
  readonly objects: number;
  readonly problems: readonly ObjectProblem[];
  /** Empty when the cluster has problems (nothing of it is staged then). */
  readonly files: readonly StagedFile[];
}

/** Renders one cluster and stages its files (manifests, entrypoint and the definition's own files). */
export function renderAndStage(
  definition: ClusterDefinition,
  staging: Staging,
  validators?: ReadonlyMap<string, ObjectValidator>,
): ClusterOutcome {
  const { cluster, problems } = renderCluster(definition, { validators });
  const objects = cluster.layers.reduce((n, layer) => n + layer.objects.length, cluster.entrypoint.length);
  if (problems.length > 0) return { name: definition.name, objects, problems, files: [] };
  const files = [...layoutCluster(cluster), ...(definition.files?.() ?? [])].map((file) => staging.stage(file));
  return { name: definition.name, objects, problems, files };
}

/** How to start a render worker: a module exporting a function that calls serveRenderWorker. */
export interface RenderWorkers {
  /** URL of the module (a bundle or TypeScript source) that exports `exportName`. */
  readonly module: string;
  readonly exportName: string;
  /** Structured-cloned to every worker; what `definitions` in serveRenderWorker receives. */
  readonly data: unknown;
  /** Number of worker threads. */
  readonly count: number;
  /** V8 heap limits of each worker (e.g. a smaller young generation: less memory). @default - Node's defaults */
  readonly resourceLimits?: ResourceLimits;
}

interface WorkerInput {
  readonly module: string;
  readonly exportName: string;
  readonly tsx: string | undefined;
  readonly data: unknown;
  readonly root: string;
  readonly stagingId: string | undefined;
}

/** A worker's TreeWriteError (staging failed), sent as data: error classes do not survive the thread boundary. */
interface WriteFailure {
  readonly problem: TreeProblem;
  readonly restored: boolean;
  readonly code: string;
}

type WorkerMessage =
  | { readonly index: number; readonly outcome: ClusterOutcome }
  | { readonly failure: string; readonly writeError?: WriteFailure };

// Plain script (worker `eval`): TypeScript sources (tests, FLEET_NO_BUNDLE) need tsx's loader in the worker too.
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await (await import(workerData.module))[workerData.exportName]();
})().catch((error) => parentPort.postMessage({ failure: String((error && error.stack) || error) }));
`;

/** File URL of tsx's ESM loader API (its `import` export: the CommonJS one cannot register from a worker). */
function tsxLoaderApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api']!.import.default)).href;
}

/** Clusters queued per worker: enough to keep it busy while this thread is busy too (fleet-wide files). */
const IN_FLIGHT = 4;

/** Worker side: answers `{ index, name }` requests with the cluster's outcome until the parent terminates it. */
export function serveRenderWorker(
  setup: (data: unknown) => {
    definitions: readonly ClusterDefinition[];
    validators?: ReadonlyMap<string, ObjectValidator>;
  },
): void {
  const input = workerData as WorkerInput;
  const { definitions, validators } = setup(input.data);
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const staging = new Staging(input.root, input.stagingId);
  parentPort!.on('message', ({ index, name }: { index: number; name: string }) => {
    try {
      parentPort!.postMessage({
        index,
        outcome: renderAndStage(byName.get(name)!, staging, validators),
      } satisfies WorkerMessage);
    } catch (error) {
      const writeError =
        error instanceof TreeWriteError
          ? { problem: error.problem, restored: error.restored, code: error.code }
          : undefined;
      const failure = `cluster ${name}: ${(error as Error).stack ?? String(error)}`;
      parentPort!.postMessage({ failure, writeError } satisfies WorkerMessage);
    }
  });
}

/**
 * Renders `names` on `workers.count` threads and on this one (`local`, between the workers' messages), handing out
 * one cluster at a time (IN_FLIGHT per worker) so a slow cluster does not hold up a fixed share. Outcomes come back
 * in the order of `names`.
 */
export async function renderInWorkers(
  names: readonly string[],
  workers: RenderWorkers,
  staging: Staging,
  local: (index: number) => ClusterOutcome,
): Promise<ClusterOutcome[]> {
  const input: WorkerInput = {
    module: workers.module,
    exportName: workers.exportName,
    tsx: workers.module.endsWith('.ts') ? tsxLoaderApi() : undefined,
    data: workers.data,
    root: staging.root,
    stagingId: staging.id,
  };
  const outcomes: ClusterOutcome[] = new Array(names.length);
  const threads = Array.from(
    { length: Math.min(workers.count, names.length) },
    () =>
      new Worker(BOOTSTRAP, {
        eval: true,
        workerData: input,
        ...(workers.resourceLimits ? { resourceLimits: workers.resourceLimits } : {}),
      }),
  );
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, rejectWith) => {
      if (names.length === 0) resolve();
      const reject = (error: unknown) => {
        next = names.length; // hand out nothing more, here or to the workers
        rejectWith(error);
      };
      const send = (thread: Worker) => {
        if (next < names.length) {
          thread.postMessage({ index: next, name: names[next] });
          next++;
        }
      };
      for (const thread of threads) {
        thread.on('message', (message: WorkerMessage) => {
          if ('failure' in message) {
            const { writeError } = message;
            return reject(
              writeError
                ? new TreeWriteError(writeError.problem, writeError.restored, writeError.code)
                : new Error(`render worker failed: ${message.failure}`),
            );
          }
          outcomes[message.index] = message.outcome;
          if (++done === names.length) resolve();
          else send(thread);
        });
        thread.on('error', reject);
        thread.on('exit', (code) => {
          if (done < names.length)
            reject(new Error(`render worker exited with code ${code} before the clusters were rendered`));
        });
        for (let i = 0; i < IN_FLIGHT; i++) send(thread);
      }
      // This thread takes the next cluster whenever it is free: yielding between clusters lets it hand out work.
      const renderHere = () => {
        if (next >= names.length) return;
        const index = next++;
        try {
          outcomes[index] = local(index);
        } catch (error) {
          return reject(error);
        }
        if (++done === names.length) resolve();
        else setImmediate(renderHere);
      };
      setImmediate(renderHere);
    });
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
  return outcomes;
}
