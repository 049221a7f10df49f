/**
 * `fleet synth [--cluster NAME]... [--check] [--fleet FILE|DIR] [--root DIR] [-o text|json] [--workers N]`
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { loadFleet } from '@aks-fleet/fleet';
import { fleetInfrastructureFiles, isGeneratedInfrastructureFile } from '@aks-fleet/infra';
import { synthesize, type SynthesisSummary } from '@aks-fleet/synth';
import { clusterObjectValidators } from '@aks-fleet/cluster-app';
import { CliError, CLUSTER_FLAG, FLEET_FLAG, ROOT_FLAG, type Command } from '../command.ts';
import type { Output } from '../output.ts';
import { requireSynthesisRoot, rootFlag } from '../workspace-root.ts';
import { renderWorkerModule, synthDefinitions } from './synth-worker.ts';

/**
 * From this fleet size a synthesis renders on worker threads too, one per spare core: measured with `npm run
 * bench:synth` on the project's 2-core machine, one worker took 1000 clusters from ≈ 8.0 to ≈ 6.1 s; below a few
 * hundred clusters starting a worker (≈ 0.3 s CPU and a second heap) costs about what it saves.
 */
export const PARALLEL_FROM_CLUSTERS = 200;
/** Each worker holds its own heap and rendering code: more than three add memory faster than they save time. */
export const MAX_DEFAULT_WORKERS = 3;
/**
 * Heap growth of a large synthesis, in percent (V8's default lets the heap grow up to fourfold between full
 * collections; what a synthesis keeps live is small — one cluster at a time plus one record per file): measured at
 * 1000 clusters with one worker, peak RSS ≈ 420 → ≈ 240 MB (20–50 % measured alike; 35 % was the quickest).
 */
const LARGE_FLEET_HEAP_GROWING_PERCENT = 35;
/** Young generation of each render worker, MB: 16 keeps the worker ≈ 15 MB smaller than 32, at the same wall time. */
const WORKER_YOUNG_GENERATION_MB = 16;

export const synthCommand: Command = {
  name: 'synth',
  summary:
    'write manifests/, clusters/ and infrastructure/ from the fleet model (--check: report drift, write nothing)',
  usage: [
    'fleet synth [--cluster NAME]... [--check] [--fleet PATH] [--root DIR] [--verbose] [--workers N] [-o text|json]',
  ],
  description: `
Synthesizes the whole generated tree from the fleet model: manifests/<cluster>/ (one folder per layer, one file per
object), clusters/<cluster>/ (the Flux entrypoint each cluster reconciles) and infrastructure/ (ARM templates,
parameters and plan.json). Every object is validated in-process first; on any error nothing is written. Writes are
atomic and owned: files aks-fleet did not generate are left alone (and reported on stderr). Needs no network.
With --check nothing is written: every file that differs from the model is listed and the exit code is 1.`,
  flags: {
    cluster: CLUSTER_FLAG,
    check: { type: 'boolean', description: 'write nothing; list every file that differs and exit 1 on drift' },
    fleet: FLEET_FLAG,
    root: ROOT_FLAG,
    verbose: { type: 'boolean', description: 'list every file written (on stderr)' },
    workers: {
      type: 'string',
      value: 'N',
      description: `also render on N worker threads (same output); default: none below ${PARALLEL_FROM_CLUSTERS} clusters, else one per spare core (at most ${MAX_DEFAULT_WORKERS})`,
    },
  },
  outputs: ['text', 'json'],
  run: ({ flags, out }) => {
    const root = rootFlag(flags.root, 'synth');
    if (flags.check !== true) requireSynthesisRoot(root, flags.root);
    return runSynth(
      {
        root,
        ...(typeof flags.fleet === 'string' ? { fleet: flags.fleet } : {}),
        clusters: (flags.cluster as string[] | undefined) ?? [],
        check: flags.check === true,
        ...(typeof flags.workers === 'string' ? { workers: workerCount(flags.workers) } : {}),
      },
      out,
    );
  },
};

function workerCount(value: string): number {
  if (!/^\d+$/.test(value))
    throw new CliError(
      `--workers ${value}: expected a whole number of threads`,
      'pass --workers 0 (render in this thread) or more',
    );
  return Number(value);
}

export interface SynthArgs {
  readonly root: string;
  readonly fleet?: string;
  readonly clusters: readonly string[];
  readonly check: boolean;
  /** Render worker threads besides this one. @default - defaultWorkers(clusters synthesized) */
  readonly workers?: number;
}

/** Worker threads for rendering `clusters` clusters on this machine when --workers is not given. */
export function defaultWorkers(clusters: number, cores = availableParallelism()): number {
  return clusters < PARALLEL_FROM_CLUSTERS ? 0 : Math.max(0, Math.min(cores - 1, MAX_DEFAULT_WORKERS));
}

export async function runSynth(args: SynthArgs, out: Output): Promise<number> {
  const { fleet } = loadFleet(args.fleet);
  const clusters = synthDefinitions(fleet);
  const rendered = args.clusters.length > 0 ? args.clusters.length : clusters.length;
  const workers = args.workers ?? defaultWorkers(rendered);
  // Read by V8 whenever it sizes the heap after a collection (process-wide: the workers' heaps too).
  if (rendered >= PARALLEL_FROM_CLUSTERS)
    setFlagsFromString(`--heap-growing-percent=${LARGE_FLEET_HEAP_GROWING_PERCENT}`);
  const summary = await synthesize({
    root: args.root,
    clusters,
    ...(args.clusters.length > 0 ? { only: args.clusters } : {}),
    check: args.check,
    validators: clusterObjectValidators(),
    ...(workers > 0
      ? {
          workers: {
            module: renderWorkerModule(),
            exportName: 'synthWorker',
            data: fleet,
            count: workers,
            resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
          },
        }
      : {}),
    extra: {
      root: 'infrastructure',
      files: () => fleetInfrastructureFiles(fleet),
      perCluster: (cluster) => `infrastructure/clusters/${cluster}`,
      isOwned: isGeneratedInfrastructureFile,
    },
    onCluster: (name, objects) => out.progress(`  synthesized ${name} (${objects} objects)`),
  });
  report(summary, args.check, out);
  return args.check && summary.drift.length > 0 ? 1 : 0;
}

/** CPU time of the whole process so far, every thread (user + system). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function report(summary: SynthesisSummary, check: boolean, out: Output): void {
  const seconds = (summary.durationMs / 1000).toFixed(2);
  if (out.json) {
    out.result({
      command: check ? 'synth --check' : 'synth',
      ...summary,
      durationMs: Math.round(summary.durationMs),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      cpuMs: Math.round(cpuMs()),
    });
    return;
  }
  if (summary.recovered > 0)
    out.warn(`recovered ${summary.recovered} interrupted synthesis run(s): the previous tree was restored`);
  for (const file of summary.foreign) out.warn(`WARN  ${file}: not generated by aks-fleet; left alone`);
  if (check) {
    for (const file of summary.drift) out.line(`DRIFT ${file}`);
    out.line(
      summary.drift.length === 0
        ? `no drift: ${summary.files} files in ${summary.clusters.length} clusters match the fleet model (${seconds} s)`
        : `${summary.drift.length} file(s) differ from the fleet model — fix: run \`npm run synth\` and commit the result`,
    );
    return;
  }
  for (const file of summary.written) out.progress(`  wrote   ${file}`);
  for (const file of summary.removed) out.progress(`  removed ${file}`);
  out.line(
    `synthesized ${summary.clusters.length} cluster(s), ${summary.objects} objects: ` +
      `${summary.written.length} written, ${summary.unchanged} unchanged, ${summary.removed.length} removed in ${seconds} s`,
  );
}
