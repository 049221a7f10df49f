/**
 * Owned, atomic writes of the synthesized tree.
 *
 * - Owned: a file belongs to aks-fleet when it starts with the generated header. Stale owned files inside the
 *   folders in scope are removed; files without the header are never touched (they are reported as foreign).
 * - Atomic: new content is staged under `.fleet-tx/<id>/new`, a journal lists every operation, then each target is
 *   moved aside to `.fleet-tx/<id>/old` and replaced by rename (same file system). If anything fails — or the
 *   process dies and a later run finds the journal — every operation is rolled back from the journal, so the
 *   previous tree comes back byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFile } from './layout.ts';
import { isGenerated } from './yaml-format.ts';

export const TRANSACTION_DIR = '.fleet-tx';

/** A file to create or change; without `content` it is already staged (see Staging). */
export interface PlannedWrite {
  readonly path: string;
  readonly content?: string;
}

export interface TreePlan {
  /** Files to create or change. */
  readonly write: readonly PlannedWrite[];
  /** Paths whose content is already what synthesis produces. */
  readonly unchanged: readonly string[];
  /** Owned files that synthesis no longer produces. */
  readonly remove: readonly string[];
  /** Files without the generated header inside the folders in scope: left alone. */
  readonly foreign: readonly string[];
  /** Paths of `write` that do not exist yet. */
  readonly created: readonly string[];
}

/** Walks a folder; returns repository-relative file paths (forward slashes), sorted. */
function listFiles(root: string, folder: string): string[] {
  const absolute = path.join(root, folder);
  if (!existsSync(absolute)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(root, relative));
    else out.push(relative);
  }
  return out.sort();
}

/**
 * Compares the desired files with the tree under `root`, within the `scope` folders (e.g. `manifests/c1`,
 * `clusters/c1`, or `manifests` and `clusters` for a whole-fleet run).
 */
export function planTree(
  root: string,
  scope: readonly string[],
  desired: readonly GeneratedFile[],
  isOwned: (content: string) => boolean = isGenerated,
): TreePlan {
  const desiredByPath = new Map(desired.map((file) => [file.path, file]));
  const write: PlannedWrite[] = [];
  const unchanged: string[] = [];
  const created: string[] = [];
  for (const file of [...desired].sort((a, b) => a.path.localeCompare(b.path))) {
    const target = path.join(root, file.path);
    if (!existsSync(target)) {
      write.push(file);
      created.push(file.path);
    } else if (readFileSync(target, 'utf8') === file.content) {
      unchanged.push(file.path);
    } else {
      write.push(file);
    }
  }
  return { write, unchanged, created, ...undesired(root, scope, desiredByPath, isOwned) };
}

/** Files in scope that synthesis does not produce: owned ones to remove, foreign ones to leave alone. */
function undesired(root: string, scope: readonly string[], desired: ReadonlyMap<string, unknown>, isOwned: (content: string) => boolean) {
  const remove: string[] = [];
  const foreign: string[] = [];
  for (const file of scope.flatMap((folder) => listFiles(root, folder))) {
    if (desired.has(file)) continue;
    if (isOwned(readFileSync(path.join(root, file), 'utf8'))) remove.push(file);
    else foreign.push(file);
  }
  return { remove: remove.sort(), foreign: foreign.sort() };
}

/** A file as staged: its hash and how it compares with the tree; the content itself is only on disk. */
export interface StagedFile {
  readonly path: string;
  readonly sha256: string;
  readonly state: 'created' | 'changed' | 'unchanged';
}

/**
 * The staging folder of one transaction, filled while clusters render (several worker threads may stage into the
 * same one), so the contents of a 1000-cluster fleet never sit in memory together. Without `id` nothing is
 * written: files are only compared (check mode).
 */
export class Staging {
  readonly dir: string | undefined;
  private readonly known = new Set<string>();

  /** Opens a new staging folder below `root`; `write: false` only compares. */
  static open(root: string, write: boolean): Staging {
    return new Staging(root, write ? `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` : undefined);
  }

  /** `id` of an open staging folder (another thread's), or undefined to compare only. */
  constructor(
    readonly root: string,
    readonly id: string | undefined,
  ) {
    this.dir = id === undefined ? undefined : path.join(root, TRANSACTION_DIR, id);
  }

  /** Compares one file with the tree and stages it when it differs. */
  stage(file: GeneratedFile): StagedFile {
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const target = path.join(this.root, file.path);
    const state = !existsSync(target) ? 'created' : readFileSync(target, 'utf8') === file.content ? 'unchanged' : 'changed';
    if (state !== 'unchanged' && this.dir !== undefined) {
      const staged = path.join(this.dir, 'new', file.path);
      ensureParent(staged, this.known);
      writeFileSync(staged, file.content);
    }
    return { path: file.path, sha256, state };
  }

  /** Removes the staging folder (nothing outside it was changed). */
  discard(): void {
    if (this.dir === undefined) return;
    rmSync(this.dir, { recursive: true, force: true });
    removeEmptyTransactionRoot(this.root);
  }
}

/** The plan for files already staged (see Staging): same classification as planTree, without contents. */
export function planStaged(
  root: string,
  scope: readonly string[],
  staged: readonly StagedFile[],
  isOwned: (content: string) => boolean = isGenerated,
): TreePlan {
  const sorted = [...staged].sort((a, b) => a.path.localeCompare(b.path));
  const changed = sorted.filter((file) => file.state !== 'unchanged');
  return {
    write: changed.map((file) => ({ path: file.path })),
    unchanged: sorted.filter((file) => file.state === 'unchanged').map((file) => file.path),
    created: changed.filter((file) => file.state === 'created').map((file) => file.path),
    ...undesired(root, scope, new Map(staged.map((file) => [file.path, file])), isOwned),
  };
}

interface Journal {
  readonly pid: number;
  /** `staged` while operations may be half done; `committed` once every operation succeeded. */
  readonly state: 'staged' | 'committed';
  /** `create-folder` moves a whole staged folder that did not exist in the tree (one rename instead of one per file). */
  readonly operations: ReadonlyArray<{ readonly op: 'write' | 'remove' | 'create-folder'; readonly path: string; readonly existed: boolean }>;
}

export interface ApplyOptions {
  /**
   * Test hook: called before operation `index` of the commit phase; throwing simulates a crash or I/O error there.
   * @default - none
   */
  readonly beforeOperation?: (index: number, filePath: string) => void;
  /** Folders whose empty sub-folders are removed after the commit. @default - none */
  readonly prune?: readonly string[];
  /** Where the writes without content were staged. @default - a new staging folder; every write carries content */
  readonly staging?: Staging;
}

/**
 * Creates the parent folder of `file` unless `known` says it exists: one mkdir per file cost more than writing the
 * files at 1000 clusters. `known` lives for one phase in which no folder is removed.
 */
function ensureParent(file: string, known: Set<string>): void {
  const folder = path.dirname(file);
  if (known.has(folder)) return;
  mkdirSync(folder, { recursive: true });
  known.add(folder);
}

/**
 * The commit operations: created files under a folder missing from the tree move with that folder (its topmost
 * missing ancestor) in one rename; every other write and removal is one operation per file.
 */
function operationsOf(root: string, plan: TreePlan): Journal['operations'] {
  const created = new Set(plan.created);
  const missing = new Map<string, string | undefined>();
  /** The topmost ancestor folder of `relative` (a folder) that does not exist, if any. */
  const topMissing = (relative: string): string | undefined => {
    if (relative === '.' || relative === '') return undefined;
    if (missing.has(relative)) return missing.get(relative);
    const result = existsSync(path.join(root, relative)) ? undefined : (topMissing(path.posix.dirname(relative)) ?? relative);
    missing.set(relative, result);
    return result;
  };
  const folders = new Set<string>();
  const operations: Array<Journal['operations'][number]> = [];
  for (const file of plan.write) {
    const folder = created.has(file.path) ? topMissing(path.posix.dirname(file.path)) : undefined;
    if (folder === undefined) operations.push({ op: 'write', path: file.path, existed: !created.has(file.path) });
    else if (!folders.has(folder)) {
      folders.add(folder);
      operations.push({ op: 'create-folder', path: folder, existed: false });
    }
  }
  return [...operations, ...plan.remove.map((file) => ({ op: 'remove' as const, path: file, existed: true }))];
}

/** Applies a plan atomically; on any error the tree is restored and the error rethrown. */
export function applyTree(root: string, plan: TreePlan, options: ApplyOptions = {}): void {
  if (plan.write.length === 0 && plan.remove.length === 0) {
    options.staging?.discard();
    return;
  }
  const staging = options.staging ?? Staging.open(root, true);
  const tx = staging.dir!;
  const journal: Journal = { pid: process.pid, state: 'staged', operations: operationsOf(root, plan) };

  const known = new Set<string>();
  // Stage: nothing outside .fleet-tx changes yet.
  mkdirSync(tx, { recursive: true });
  for (const file of plan.write) {
    if (file.content === undefined) continue; // staged while rendering
    const staged = path.join(tx, 'new', file.path);
    ensureParent(staged, known);
    writeFileSync(staged, file.content);
  }
  writeFileSync(path.join(tx, 'journal.json'), JSON.stringify(journal));

  try {
    journal.operations.forEach((operation, index) => {
      options.beforeOperation?.(index, operation.path);
      const target = path.join(root, operation.path);
      if (operation.existed) {
        const backup = path.join(tx, 'old', operation.path);
        ensureParent(backup, known);
        renameSync(target, backup);
      }
      if (operation.op !== 'remove') {
        ensureParent(target, known);
        renameSync(path.join(tx, 'new', operation.path), target);
      }
    });
    writeFileSync(path.join(tx, 'journal.json'), JSON.stringify({ ...journal, state: 'committed' }));
  } catch (error) {
    rollback(root, tx, journal);
    throw error;
  }
  rmSync(tx, { recursive: true, force: true });
  removeEmptyTransactionRoot(root);
  for (const folder of options.prune ?? []) pruneEmptyFolders(path.join(root, folder));
}

/** Undoes every operation of a journal, newest first, from what the file system shows. */
function rollback(root: string, tx: string, journal: Journal): void {
  const known = new Set<string>();
  if (journal.state === 'committed') {
    rmSync(tx, { recursive: true, force: true });
    return;
  }
  for (const operation of [...journal.operations].reverse()) {
    const target = path.join(root, operation.path);
    const backup = path.join(tx, 'old', operation.path);
    const staged = path.join(tx, 'new', operation.path);
    if (operation.existed) {
      if (existsSync(backup)) {
        ensureParent(target, known);
        renameSync(backup, target); // replaces a new version if one was already moved in
      }
    } else if (operation.op !== 'remove' && !existsSync(staged) && existsSync(target)) {
      rmSync(target, { recursive: true }); // it was created by this transaction (a file or a whole folder)
    }
  }
  rmSync(tx, { recursive: true, force: true });
  removeEmptyTransactionRoot(root);
  for (const operation of journal.operations) pruneEmptyParents(root, path.dirname(operation.path));
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Rolls back transactions left behind by a process that died mid-commit (their pid is gone).
 * Returns the number of transactions recovered.
 */
export function recoverInterrupted(root: string): number {
  const base = path.join(root, TRANSACTION_DIR);
  if (!existsSync(base)) return 0;
  let recovered = 0;
  for (const entry of readdirSync(base).sort()) {
    const tx = path.join(base, entry);
    const journalFile = path.join(tx, 'journal.json');
    if (!existsSync(journalFile)) {
      // Died while staging: nothing outside the transaction folder changed.
      if (!isAlive(Number(entry.split('-')[0]))) rmSync(tx, { recursive: true, force: true });
      continue;
    }
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
    if (isAlive(journal.pid)) continue;
    rollback(root, tx, journal);
    recovered++;
  }
  removeEmptyTransactionRoot(root);
  return recovered;
}

function removeEmptyTransactionRoot(root: string): void {
  const base = path.join(root, TRANSACTION_DIR);
  if (existsSync(base) && readdirSync(base).length === 0) rmdirSync(base);
}

/** Removes empty folders below (and including) `folder`. */
function pruneEmptyFolders(folder: string): void {
  if (!existsSync(folder)) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) pruneEmptyFolders(path.join(folder, entry.name));
  }
  if (readdirSync(folder).length === 0) rmdirSync(folder);
}

function pruneEmptyParents(root: string, relative: string): void {
  let current = relative;
  while (current && current !== '.' && current !== '/') {
    const absolute = path.join(root, current);
    if (!existsSync(absolute) || readdirSync(absolute).length > 0) return;
    rmdirSync(absolute);
    current = path.dirname(current);
  }
}
