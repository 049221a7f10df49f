import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from './command.ts';

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

/**
 * `--root` if given (an existing, readable folder; for writing, a missing one is created by the writer), else the
 * workspace root.
 */
export function rootFlag(value: unknown, access: 'read' | 'write' = 'read'): string {
  if (typeof value !== 'string') return findWorkspaceRoot();
  const root = path.resolve(value);
  const fix = 'pass the repository root (the folder with nx.json), or omit --root';
  if (!existsSync(root)) {
    if (access === 'write') return root;
    throw new CliError(`--root ${value}: no such folder`, fix);
  }
  if (!statSync(root).isDirectory()) throw new CliError(`--root ${value}: not a folder`, fix);
  // Readable, checked here; writable is left to the writer, which names the exact path and errno (EACCES, EROFS …).
  try {
    accessSync(root, constants.R_OK);
  } catch {
    throw new CliError(`--root ${value}: not readable`, `fix its permissions, or ${fix}`);
  }
  return root;
}
