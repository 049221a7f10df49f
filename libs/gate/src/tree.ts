/**
 * Reading the synthesized tree back: every object of `manifests/<cluster>/<layer>/` and `clusters/<cluster>/`, with
 * the file it came from. The gate checks what is committed, not what the code meant to write.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubernetesObject } from '@aks-fleet/synth';
import { parseAllDocuments } from 'yaml';

export interface TreeObject {
  readonly file: string;
  readonly cluster: string;
  /** Layer folder, or `entrypoint` for `clusters/<cluster>/`. */
  readonly layer: string;
  readonly object: KubernetesObject;
}

export interface ClusterTree {
  readonly name: string;
  /** Folders (repository-relative) that hold a kustomization.yaml. */
  readonly folders: readonly string[];
  readonly objects: readonly TreeObject[];
  /** Files that do not parse as YAML. */
  readonly unreadable: ReadonlyArray<{ readonly file: string; readonly error: string }>;
}

function walk(root: string, folder: string): string[] {
  const absolute = path.join(root, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? walk(root, `${folder}/${entry.name}`) : [`${folder}/${entry.name}`]));
}

function subfolders(root: string, folder: string): string[] {
  const absolute = path.join(root, folder);
  return existsSync(absolute) ? readdirSync(absolute, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
}

/** Every cluster that has a folder under manifests/ or clusters/. */
export function readClusterTrees(root: string): ClusterTree[] {
  const names = [...new Set([...subfolders(root, 'manifests'), ...subfolders(root, 'clusters')])].sort();
  return names.map((name) => {
    const objects: TreeObject[] = [];
    const unreadable: Array<{ file: string; error: string }> = [];
    const folders = new Set<string>();
    for (const file of [...walk(root, `manifests/${name}`), ...walk(root, `clusters/${name}`)]) {
      if (!/\.ya?ml$/.test(file)) continue;
      if (path.posix.basename(file) === 'kustomization.yaml') {
        folders.add(path.posix.dirname(file));
        continue;
      }
      const documents = parseAllDocuments(readFileSync(path.join(root, file), 'utf8'));
      for (const document of Array.isArray(documents) ? documents : [documents]) {
        if (document.errors.length > 0) {
          unreadable.push({ file, error: document.errors[0]!.message });
          continue;
        }
        const object = document.toJS() as KubernetesObject | null;
        if (!object) continue;
        const parts = file.split('/');
        objects.push({ file, cluster: name, layer: parts[0] === 'clusters' ? 'entrypoint' : (parts[2] ?? ''), object });
      }
    }
    return { name, folders: [...folders].sort(), objects, unreadable };
  });
}

export function objectRef(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}
