import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder upwards from `start` that holds nx.json (else `start`). */
export function findWorkspaceRoot(start: string = process.cwd()): string {
  let current = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(current, 'nx.json'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return path.resolve(start);
    current = parent;
  }
}
