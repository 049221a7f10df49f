/**
 * `fleet validate --changed-since <ref>`: which clusters' synthesized files are byte-identical to a git ref, so that
 * a ref the gate already passed need not be validated again cluster by cluster. Compared by git blob id, so the
 * ref's contents are never read.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { TreeFiles } from './tree.ts';

/** The cluster a synthesized file belongs to: `manifests/<c>/…`, `clusters/<c>/…`, `infrastructure/clusters/<c>/…`. */
export function clusterOfFile(file: string): string | undefined {
  const parts = file.split('/');
  if ((parts[0] === 'manifests' || parts[0] === 'clusters') && parts.length >= 3) return parts[1];
  if (parts[0] === 'infrastructure' && parts[1] === 'clusters' && parts.length >= 4) return parts[2];
  return undefined;
}

/** git's blob id of a file content. */
function blobId(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Per cluster, its files and their blob ids, in one comparable string. */
function fingerprints(entries: Iterable<readonly [string, string]>): Map<string, string> {
  const byCluster = new Map<string, string[]>();
  for (const [file, blob] of entries) {
    const cluster = clusterOfFile(file);
    if (cluster === undefined) continue;
    const lines = byCluster.get(cluster) ?? [];
    lines.push(`${file} ${blob}`);
    byCluster.set(cluster, lines);
  }
  return new Map([...byCluster].map(([cluster, lines]) => [cluster, lines.sort().join('\n')]));
}

/**
 * Clusters whose files in the working tree (`files`, as readWorkingTree returns them) are exactly those at `ref`:
 * same paths, same bytes. A cluster that is new, gone or edited in any file is not in the set.
 */
export function unchangedClusters(root: string, ref: string, files: TreeFiles): Set<string> {
  const listing = execFileSync(
    'git',
    ['ls-tree', '-r', '-z', ref, '--', 'manifests', 'clusters', 'infrastructure/clusters'],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  const atRef = fingerprints(
    listing
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        return [line.slice(tab + 1), line.slice(0, tab).split(' ')[2]!] as const;
      }),
  );
  const now = fingerprints([...files].map(([file, content]) => [file, blobId(content)] as const));
  return new Set(
    [...now].filter(([cluster, fingerprint]) => atRef.get(cluster) === fingerprint).map(([cluster]) => cluster),
  );
}
