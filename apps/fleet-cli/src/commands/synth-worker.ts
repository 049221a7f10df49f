/**
 * What a render worker thread runs (see serveRenderWorker in @aks-fleet/synth): the cluster definitions of the fleet
 * it is sent, each with its own ARM templates. Its own module, and in the CLI its own bundle (bin/fleet.js), so a
 * worker loads the rendering code only — not the whole CLI (≈ 25 MB and 0.1 s less per worker).
 */
import type { Fleet } from '@aks-fleet/fleet';
import { clusterInfrastructureFiles } from '@aks-fleet/infra';
import { serveRenderWorker, type ClusterDefinition } from '@aks-fleet/synth';
import { clusterDefinitions, clusterObjectValidators } from '@aks-fleet/cluster-app';
import { deepFreeze } from '@aks-fleet/util';

/** Set by bin/fleet.js when it bundles the CLI: the file name of the worker bundle next to the CLI bundle. */
declare const FLEET_RENDER_WORKER_BUNDLE: string | undefined;

/** The module a render worker imports: the worker bundle in the bundled CLI, this source file otherwise. */
export function renderWorkerModule(): string {
  return typeof FLEET_RENDER_WORKER_BUNDLE === 'string'
    ? new URL(`./${FLEET_RENDER_WORKER_BUNDLE}`, import.meta.url).href
    : import.meta.url;
}

/** Each cluster's cdk8s app plus its own ARM templates (infrastructure/clusters/<cluster>/). */
export function synthDefinitions(fleet: Readonly<Fleet>): ClusterDefinition[] {
  return clusterDefinitions(fleet).map((definition) => ({
    ...definition,
    files: () => clusterInfrastructureFiles(fleet, definition.name),
  }));
}

/**
 * The fleet as a worker receives it, frozen again like a parsed fleet: the copy arrives unfrozen, and the memos kept
 * only for a frozen spec were then rebuilt for every cluster (each stamp template recomputed the rollout waves of the
 * whole fleet: 1.3 s of a worker's 7 s at 1000 clusters).
 */
export function workerFleet(data: unknown): Fleet {
  return deepFreeze(data as Fleet);
}

/** The worker's entry point (`exportName` of the render workers). */
export function synthWorker(): void {
  serveRenderWorker((data) => ({
    definitions: synthDefinitions(workerFleet(data)),
    validators: clusterObjectValidators(),
  }));
}
