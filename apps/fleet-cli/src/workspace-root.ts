import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
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
 * `--root` if given (an existing, readable folder), else the workspace root. A missing folder is refused by every
 * command, synthesis included: a typo'd `--root` must not grow a new tree somewhere unexpected. `synth` names the
 * other fix, creating the folder first, for a deliberate new tree.
 */
export function rootFlag(value: unknown, use: 'read' | 'synth' = 'read'): string {
  if (typeof value !== 'string') return findWorkspaceRoot();
  const root = path.resolve(value);
  const fix = 'pass the repository root (the folder with nx.json), or omit --root';
  if (!existsSync(root)) {
    if (use === 'synth')
      throw new CliError(
        `--root ${value}: no such folder`,
        `point --root at a fleet repository (the folder with nx.json), or create the folder first (\`mkdir -p ${value}\`) to synthesize a new tree there`,
      );
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

/**
 * A typo'd `--root` must not fill an unrelated folder (/tmp, a home directory) with a synthesized tree: synthesis
 * writes only into a fleet repository (nx.json or the owned folders) or a new, empty folder.
 */
export function requireSynthesisRoot(root: string, value: unknown): void {
  if (typeof value !== 'string' || !existsSync(root) || isFleetRoot(root) || readdirSync(root).length === 0) return;
  throw new CliError(
    `--root ${value}: a non-empty folder that is not a fleet repository (no nx.json, manifests/, clusters/ or infrastructure/)`,
    'pass the repository root (the folder with nx.json), an empty folder, or omit --root',
  );
}

/** A folder synthesis owns: the workspace (nx.json) or one that already holds a synthesized tree. */
function isFleetRoot(root: string): boolean {
  return ['nx.json', 'manifests', 'clusters', 'infrastructure'].some((entry) => existsSync(path.join(root, entry)));
}
