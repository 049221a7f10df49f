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
import { deployTimeValues, ROOT_KUSTOMIZATION } from './flux-bootstrap.ts';
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
  /** Its post-build substitution values. */
  readonly substitute: Readonly<Record<string, string>>;
}

export interface DesiredState {
  readonly cluster: string;
  /** The Flux Kustomizations the entrypoint creates, in file order. */
  readonly layers: readonly LayerKustomization[];
  /** Every object Flux applies in this cluster (layers included), keyed by `objectKey()`. */
  readonly objects: ReadonlyMap<string, DesiredObject>;
}

export async function kustomizeBuild(kustomizeBin: string, dir: string): Promise<KubeObject[]> {
  const { stdout } = await execFileAsync(kustomizeBin, ['build', dir], {
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

/**
 * Flux's post-build substitution as kustomize-controller applies it: `${NAME}` of a variable the Kustomization
 * substitutes becomes its value (our manifests use no other `${…}` form).
 */
export function substitute(objects: KubeObject[], values: Readonly<Record<string, string>>): KubeObject[] {
  return objects.map(
    (object) =>
      JSON.parse(
        JSON.stringify(object).replace(
          /\$\{([_a-zA-Z][_a-zA-Z0-9]*)\}/g,
          (whole, name: string) => values[name] ?? whole,
        ),
      ) as KubeObject,
  );
}

/** The post-build values a Kustomization object substitutes. */
function substitutionsOf(kustomization: KubeObject): Record<string, string> {
  return (kustomization.spec as { postBuild?: { substitute?: Record<string, string> } }).postBuild?.substitute ?? {};
}

/** The entrypoint alone: the objects of `./clusters/<cluster>` (the layer Kustomizations) and the layers they define. */
export async function readEntrypoint(
  kustomizeBin: string,
  treeRoot: string,
  cluster: string,
): Promise<{ objects: KubeObject[]; layers: LayerKustomization[] }> {
  // The root kustomization (the bootstrap) substitutes the deploy-time values into the layer Kustomizations.
  const objects = substitute(
    await kustomizeBuild(kustomizeBin, path.join(treeRoot, entrypointPath(cluster))),
    deployTimeValues(cluster),
  );
  const layers = objects
    .filter((o) => o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') && o.kind === 'Kustomization')
    .map((o) => {
      const spec = o.spec as { path?: string; dependsOn?: { name: string }[] };
      return {
        name: o.metadata.name,
        namespace: o.metadata.namespace ?? FLUX_BOOTSTRAP.namespace,
        path: spec.path ?? './',
        dependsOn: (spec.dependsOn ?? []).map((d) => d.name),
        substitute: substitutionsOf(o),
      };
    });
  return { objects, layers };
}

export async function readDesiredState(kustomizeBin: string, treeRoot: string, cluster: string): Promise<DesiredState> {
  const objects = new Map<string, DesiredObject>();
  const add = (object: KubeObject, owner: string): void => {
    const key = objectKey(object);
    if (objects.has(key))
      throw new Error(`${cluster}: ${key} is applied by both ${objects.get(key)!.owner} and ${owner}`);
    objects.set(key, { object, owner });
  };
  const entrypoint = await readEntrypoint(kustomizeBin, treeRoot, cluster);
  for (const object of entrypoint.objects) add(object, ROOT_KUSTOMIZATION);
  for (const layer of entrypoint.layers) {
    for (const object of substitute(
      await kustomizeBuild(kustomizeBin, path.join(treeRoot, layer.path)),
      layer.substitute,
    ))
      add(object, layer.name);
  }
  return { cluster, layers: entrypoint.layers, objects };
}
