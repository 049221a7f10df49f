/**
 * What a cluster should hold at a commit, computed the way Flux computes it: `kustomize build` of the entrypoint
 * (`./clusters/<cluster>`) gives the layer Kustomizations; `kustomize build` of each layer's `spec.path` gives its
 * objects. Derived from the tree itself, so the harness copes with whatever the cluster content grows into.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { entrypointPath, FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import { parseAllDocuments } from 'yaml';
import { ROOT_KUSTOMIZATION } from './flux-bootstrap.ts';
import { objectKey, type KubeObject } from './kube-client.ts';

const execFileAsync = promisify(execFile);

export interface DesiredObject {
  readonly object: KubeObject;
  /** The Flux Kustomization that applies it (its `kustomize.toolkit.fluxcd.io/name` label). */
  readonly owner: string;
}

export interface LayerKustomization {
  readonly name: string;
  readonly namespace: string;
  readonly path: string;
  readonly dependsOn: readonly string[];
}

export interface DesiredState {
  readonly cluster: string;
  /** The Flux Kustomizations the entrypoint creates, in file order. */
  readonly layers: readonly LayerKustomization[];
  /** Every object Flux applies in this cluster (layers included), keyed by `objectKey()`. */
  readonly objects: ReadonlyMap<string, DesiredObject>;
}

export async function kustomizeBuild(kustomizeBin: string, dir: string): Promise<KubeObject[]> {
  const { stdout } = await execFileAsync(kustomizeBin, ['build', dir], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

/** The entrypoint alone: the objects of `./clusters/<cluster>` (the layer Kustomizations) and the layers they define. */
export async function readEntrypoint(kustomizeBin: string, treeRoot: string, cluster: string): Promise<{ objects: KubeObject[]; layers: LayerKustomization[] }> {
  const objects = await kustomizeBuild(kustomizeBin, path.join(treeRoot, entrypointPath(cluster)));
  const layers = objects
    .filter((o) => o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') && o.kind === 'Kustomization')
    .map((o) => {
      const spec = o.spec as { path?: string; dependsOn?: { name: string }[] };
      return { name: o.metadata.name, namespace: o.metadata.namespace ?? FLUX_BOOTSTRAP.namespace, path: spec.path ?? './', dependsOn: (spec.dependsOn ?? []).map((d) => d.name) };
    });
  return { objects, layers };
}

export async function readDesiredState(kustomizeBin: string, treeRoot: string, cluster: string): Promise<DesiredState> {
  const objects = new Map<string, DesiredObject>();
  const add = (object: KubeObject, owner: string): void => {
    const key = objectKey(object);
    if (objects.has(key)) throw new Error(`${cluster}: ${key} is applied by both ${objects.get(key)!.owner} and ${owner}`);
    objects.set(key, { object, owner });
  };
  const entrypoint = await readEntrypoint(kustomizeBin, treeRoot, cluster);
  for (const object of entrypoint.objects) add(object, ROOT_KUSTOMIZATION);
  for (const layer of entrypoint.layers) {
    for (const object of await kustomizeBuild(kustomizeBin, path.join(treeRoot, layer.path))) add(object, layer.name);
  }
  return { cluster, layers: entrypoint.layers, objects };
}
