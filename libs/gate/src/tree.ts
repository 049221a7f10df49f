/**
 * Reading the synthesized tree back: every object of `manifests/<cluster>/<layer>/` and `clusters/<cluster>/`, with
 * the file it came from. The gate checks what is committed, not what the code meant to write.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isGenerated, objectId, readGeneratedYaml, type KubernetesObject } from '@aks-fleet/synth';
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
  /** Every file of the cluster as read (path → content), for content hashes. @default - not kept */
  readonly files?: TreeFiles;
}

/** Files of the synthesized tree: repository-relative path → content. */
export type TreeFiles = ReadonlyMap<string, string>;

/** The synthesized folders of the working tree (`manifests`, `clusters`, `infrastructure` by default). */
export function readWorkingTree(
  root: string,
  folders: readonly string[] = ['manifests', 'clusters', 'infrastructure'],
): TreeFiles {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    const absolute = path.join(root, folder);
    if (!existsSync(absolute)) return;
    for (const entry of readdirSync(absolute, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      // Regular files only: synthesis writes nothing else, and reading a FIFO would block forever.
      else if (entry.isFile()) out.set(relative, readFileSync(path.join(root, relative), 'utf8'));
    }
  };
  for (const folder of folders) walk(folder);
  return out;
}

/** Every cluster that has files under manifests/ or clusters/, with its objects and kustomization folders. */
export function clusterTreesFromFiles(files: TreeFiles): ClusterTree[] {
  const trees = new Map<
    string,
    {
      objects: TreeObject[];
      unreadable: Array<{ file: string; error: string }>;
      folders: Set<string>;
      files: Map<string, string>;
    }
  >();
  for (const [file, content] of files) {
    const parts = file.split('/');
    const [top, name] = parts;
    if ((top !== 'manifests' && top !== 'clusters') || !name || parts.length < 3) continue;
    let tree = trees.get(name);
    if (!tree) trees.set(name, (tree = { objects: [], unreadable: [], folders: new Set(), files: new Map() }));
    tree.files.set(file, content);
    if (!/\.ya?ml$/.test(file)) continue;
    if (path.posix.basename(file) === 'kustomization.yaml') {
      tree.folders.add(path.posix.dirname(file));
      continue;
    }
    const layer = top === 'clusters' ? 'entrypoint' : (parts[2] ?? '');
    // Generated files are read with the library that wrote them (several times faster); anything else, or a file it
    // refuses, with `yaml`, whose messages name the problem.
    const generated = isGenerated(content) ? readGeneratedYaml(content) : undefined;
    if (generated) {
      for (const object of generated as Array<KubernetesObject | null | undefined>)
        if (object) tree.objects.push({ file, cluster: name, layer, object });
      continue;
    }
    for (const document of parseAllDocuments(content)) {
      if (document.errors.length > 0) {
        tree.unreadable.push({ file, error: document.errors[0]!.message });
        continue;
      }
      const object = document.toJS() as KubernetesObject | null;
      if (object) tree.objects.push({ file, cluster: name, layer, object });
    }
  }
  return [...trees.keys()].sort().map((name) => {
    const tree = trees.get(name)!;
    const { objects, unreadable, files } = tree;
    return { name, folders: [...tree.folders].sort(), objects, unreadable, files };
  });
}

/** Every cluster of the working tree. */
export function readClusterTrees(root: string): ClusterTree[] {
  return clusterTreesFromFiles(readWorkingTree(root, ['manifests', 'clusters']));
}

/** `Kind/namespace/name`: the synthesis engine's object id (one spelling for the gate, the diff and synthesis). */
export const objectRef: (object: KubernetesObject) => string = objectId;
