/**
 * The test repository serves the synthesized tree unmodified: this lists a tree's files and proves a copy
 * byte-identical to its source (same file list, same bytes), so nothing test-only can slip into what Flux reads.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** Every file under `dir`, relative to `root`, sorted. */
export function listFiles(root: string, dir = ''): string[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute)
    .sort()
    .flatMap((name) => {
      const relative = path.join(dir, name);
      return statSync(path.join(root, relative)).isDirectory() ? listFiles(root, relative) : [relative];
    });
}

/** Throws unless `copyRoot` holds exactly `originalRoot`'s files under `tops`, byte for byte; returns the count. */
export function verifyUnmodified(originalRoot: string, copyRoot: string, tops: readonly string[]): number {
  const problems: string[] = [];
  let count = 0;
  for (const top of tops) {
    const before = listFiles(originalRoot, top);
    const after = listFiles(copyRoot, top);
    if (!isDeepStrictEqual(before, after))
      problems.push(
        `${top}/: file lists differ (${before.length} synthesized, ${after.length} in the test repository)`,
      );
    for (const file of before.filter((f) => after.includes(f))) {
      count++;
      if (!readFileSync(path.join(originalRoot, file)).equals(readFileSync(path.join(copyRoot, file))))
        problems.push(`${file}: not byte-identical to the synthesized file`);
    }
  }
  if (problems.length > 0)
    throw new Error(`the test repository differs from the synthesized tree:\n  ${problems.join('\n  ')}`);
  return count;
}
