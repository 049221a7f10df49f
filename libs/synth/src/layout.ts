/**
 * Where each object goes: one file per object with a stable readable name, and a kustomization.yaml in every
 * folder that lists its resources explicitly, so `kustomize build` works on any folder and Flux never
 * generates one.
 *
 *   manifests/<cluster>/kustomization.yaml            → the layer folders, in apply order
 *   manifests/<cluster>/<layer>/kustomization.yaml    → the layer's files
 *   manifests/<cluster>/<layer>/<kind>-<name>.yaml
 *   clusters/<cluster>/kustomization.yaml             → the Flux entrypoint files
 *   clusters/<cluster>/<kind>-<name>.yaml
 */
import type { KubernetesObject } from './kubernetes-object.ts';
import type { RenderedCluster } from './render-cluster.ts';
import { toYaml } from './yaml-format.ts';

/** A file of the synthesized tree; `path` is repository-relative with forward slashes. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export const MANIFESTS_ROOT = 'manifests';
export const ENTRYPOINTS_ROOT = 'clusters';

/** The folders a cluster owns in the tree. */
export function clusterFolders(cluster: string): string[] {
  return [`${MANIFESTS_ROOT}/${cluster}`, `${ENTRYPOINTS_ROOT}/${cluster}`];
}

function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

/** File names for objects of one folder: `<kind>-<name>.yaml`, namespace-qualified only where names collide. */
export function fileNames(objects: readonly KubernetesObject[]): string[] {
  const short = objects.map((o) => `${slug(o.kind)}-${slug(o.metadata.name)}`);
  const counts = new Map<string, number>();
  for (const name of short) counts.set(name, (counts.get(name) ?? 0) + 1);
  return objects.map((o, i) => {
    const name = short[i]!;
    return `${counts.get(name)! > 1 && o.metadata.namespace ? `${slug(o.kind)}-${slug(o.metadata.namespace)}-${slug(o.metadata.name)}` : name}.yaml`;
  });
}

function kustomization(resources: readonly string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] });
}

function folder(path: string, objects: readonly KubernetesObject[]): GeneratedFile[] {
  const names = fileNames(objects);
  const files = objects.map((object, i) => ({ path: `${path}/${names[i]}`, content: toYaml(object) }));
  return [{ path: `${path}/kustomization.yaml`, content: kustomization(names) }, ...files];
}

export function layoutCluster(cluster: RenderedCluster): GeneratedFile[] {
  const manifests = `${MANIFESTS_ROOT}/${cluster.name}`;
  return [
    { path: `${manifests}/kustomization.yaml`, content: kustomization(cluster.layers.map((layer) => layer.name)) },
    ...cluster.layers.flatMap((layer) => folder(`${manifests}/${layer.name}`, layer.objects)),
    ...folder(`${ENTRYPOINTS_ROOT}/${cluster.name}`, cluster.entrypoint),
  ];
}
