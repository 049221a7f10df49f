/**
 * Which cluster builds passed before, by content: a successful `kustomize build` of a cluster's folders is recorded
 * under a hash of everything that build read, so validating an unchanged cluster again (the same tree, or the 999
 * clusters a one-cluster change leaves alone) needs no build. Only successes are recorded; a failure is built again,
 * for its reason.
 *
 * The record is sound only when the hash covers every input of the build, so a cluster is recorded only when each of
 * its kustomization.yaml files holds nothing but `apiVersion`, `kind` and `resources`, and every resource is a file
 * of the cluster's folders or a folder of the cluster with a kustomization.yaml (what synthesis writes). Then the
 * inputs are: those files (all files of the cluster, as read, are hashed), the list of its top folders (the scratch
 * kustomization), and the kustomize binary (its content is hashed). Anything else (a URL, a path out of the cluster,
 * patches, generators, a symlink the tree reader skipped) leaves the cluster unrecorded: always built.
 *
 * One file per success, `<directory>/<hash>`, holding the hash itself: a file with other content is not trusted
 * (a content cache of @aks-fleet/util, content-cache.ts: written atomically, pruned to the newest records).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { isGenerated, readGeneratedYaml } from '@aks-fleet/synth';
import { contentHash, ContentCache, keyRecordCodec } from '@aks-fleet/util';
import type { ClusterTree } from '../tree.ts';

/** Bumped when what a record means changes. */
const FORMAT = 'aks-fleet-kustomize-build/1';
/** Records kept: beyond this, those not used by the current run are removed. */
const MAX_RECORDS = 20_000;
const KUSTOMIZATION_KEYS = new Set(['apiVersion', 'kind', 'resources']);

const binaryDigests = new Map<string, string>();

/** SHA-256 of the kustomize binary (once per process and path). */
function binaryDigest(kustomize: string): string {
  let digest = binaryDigests.get(kustomize);
  if (digest === undefined) {
    digest = createHash('sha256').update(readFileSync(kustomize)).digest('hex');
    binaryDigests.set(kustomize, digest);
  }
  return digest;
}

function readKustomization(text: string): unknown {
  const generated = isGenerated(text) ? readGeneratedYaml(text) : undefined;
  return generated?.length === 1 ? generated[0] : parse(text);
}

/**
 * The build-record key of a cluster, or undefined when its build may read something the hash would not cover (then
 * it is not recorded). `tops`: the folders the cluster's build lists, in order.
 */
export function clusterBuildKey(kustomize: string, cluster: ClusterTree, tops: readonly string[]): string | undefined {
  const files = cluster.files;
  if (!files) return undefined;
  const folders = new Set(cluster.folders);
  for (const folder of cluster.folders) {
    const text = files.get(`${folder}/kustomization.yaml`);
    if (text === undefined) return undefined;
    let document: unknown;
    try {
      document = readKustomization(text);
    } catch {
      return undefined;
    }
    if (!document || typeof document !== 'object' || Array.isArray(document)) return undefined;
    if (Object.keys(document).some((key) => !KUSTOMIZATION_KEYS.has(key))) return undefined;
    const resources = (document as { resources?: unknown }).resources ?? [];
    if (!Array.isArray(resources)) return undefined;
    for (const resource of resources) {
      if (typeof resource !== 'string' || resource.includes(':') || path.posix.isAbsolute(resource)) return undefined;
      const target = path.posix.join(folder, resource);
      if (!files.has(target) && !folders.has(target)) return undefined;
    }
  }
  let binary: string;
  try {
    binary = binaryDigest(kustomize);
  } catch {
    return undefined;
  }
  const sorted = [...files.keys()].sort();
  return contentHash(FORMAT, [
    `${binary}\0${JSON.stringify(tops)}\0`,
    ...sorted.flatMap((file) => [`${file}\0${files.get(file)!.length}\0`, files.get(file)!]),
  ]);
}

const records = (directory: string) => new ContentCache(directory, { codec: keyRecordCodec, keep: MAX_RECORDS });

/** Whether a build with this key passed before. */
export function passedBefore(directory: string, key: string): boolean {
  return records(directory).get(key) === true;
}

/**
 * Records passed builds, then keeps the newest MAX_RECORDS records, sparing those `used` by this run (best effort:
 * an unwritable cache only costs the next run the builds).
 */
export function recordPassed(directory: string, keys: readonly string[], used: ReadonlySet<string>): void {
  if (keys.length === 0) return;
  records(directory).put(
    keys.map((key) => [key, true] as const),
    used,
  );
}
