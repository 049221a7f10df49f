/**
 * What is on disk along the paths synthesis writes, checked before anything is written: synthesis never writes or
 * deletes through a symlink that leads out of the repository, never writes a file where a folder is (or a folder
 * where a file is), and never writes over something that is not a regular file (a FIFO would block the read).
 */
import { lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { TreeProblem } from './tree-errors.ts';

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isInside(realRoot: string, candidate: string): boolean {
  return candidate === realRoot || candidate.startsWith(`${realRoot}${path.sep}`);
}

function describeKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Inspects repository-relative paths once each (prefixes are shared between the files of one folder). The tree must
 * not change while an inspector is in use: what it found (missing folders included) is remembered.
 */
export class PathInspector {
  private readonly realRoot: string;
  private readonly seen = new Map<string, TreeProblem | null | 'missing'>();
  /** Files `file()` found to be a regular file (true) or absent (false). */
  private readonly files = new Map<string, boolean>();

  constructor(private readonly root: string) {
    this.realRoot = realpathSync(root);
  }

  /** A symlink at `relative` leading outside the repository, as a problem; undefined otherwise. */
  escape(relative: string): TreeProblem | undefined {
    const absolute = path.join(this.root, relative);
    const link = readlinkSync(absolute);
    let target: string;
    try {
      target = realpathSync(absolute);
    } catch {
      target = path.resolve(path.dirname(absolute), link); // dangling: judge where it points
    }
    if (isInside(this.realRoot, target)) return undefined;
    return {
      path: relative,
      problem: `is a symlink to ${link}, outside the repository ${this.realRoot}`,
      fix: `replace ${relative} with a real folder or file inside the repository (synthesis never writes or deletes through a link out of it)`,
    };
  }

  /** Problems with a folder synthesis owns or passes through (`manifests`, `.fleet-tx` …): each step must be a folder or missing. */
  folder(relative: string, wanted = relative): TreeProblem[] {
    return this.walk(relative, wanted).problems;
  }

  private walk(relative: string, wanted: string): { problems: TreeProblem[]; missing: boolean } {
    const problems: TreeProblem[] = [];
    let prefix = '';
    for (const part of relative.split('/')) {
      prefix = prefix ? `${prefix}/${part}` : part;
      const problem = this.step(prefix, wanted);
      if (problem === 'missing') return { problems, missing: true };
      if (problem) problems.push(problem);
    }
    return { problems, missing: false };
  }

  /**
   * Whether `file()` found `relative` to be a regular file (true) or absent (false); undefined when it was not asked
   * or found something else.
   */
  isFile(relative: string): boolean | undefined {
    return this.files.get(relative);
  }

  /** Problems with a file path synthesis writes: its folders as for `folder`, then the file itself. */
  file(relative: string): TreeProblem[] {
    const { problems: out, missing } = this.walk(path.posix.dirname(relative), relative);
    if (out.length > 0) return out;
    // Below a missing folder: nothing to inspect (one lstat less per file of a new cluster).
    const stats = missing ? undefined : lstatOrUndefined(path.join(this.root, relative));
    if (!stats || stats.isFile()) {
      this.files.set(relative, stats !== undefined);
      return [];
    }
    if (stats.isSymbolicLink()) {
      const escape = this.escape(relative);
      return [
        escape ?? {
          path: relative,
          problem: 'is a symlink where synthesis writes a file',
          fix: `delete the link ${relative} (synthesis writes regular files only)`,
        },
      ];
    }
    if (stats.isDirectory())
      return [
        {
          path: relative,
          problem: 'is a folder where synthesis writes a file',
          fix: `move the folder ${relative} out of the way`,
        },
      ];
    return [
      {
        path: relative,
        problem: `is ${describeKind(stats)} where synthesis writes a file`,
        fix: `delete or move ${relative}`,
      },
    ];
  }

  /** One step on the way: null when fine, 'missing' when it (and so everything below) does not exist yet. */
  private step(prefix: string, wanted: string): TreeProblem | null | 'missing' {
    const cached = this.seen.get(prefix);
    if (cached !== undefined) return cached;
    const absolute = path.join(this.root, prefix);
    const stats = lstatOrUndefined(absolute);
    if (!stats) {
      this.seen.set(prefix, 'missing');
      return 'missing';
    }
    let problem: TreeProblem | null = null;
    if (stats.isSymbolicLink()) {
      problem = this.escape(prefix) ?? null;
      if (!problem && !statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) {
        problem = {
          path: prefix,
          problem: `is a symlink that does not lead to a folder, on the way to ${wanted}`,
          fix: `replace ${prefix} with a real folder`,
        };
      }
    } else if (!stats.isDirectory()) {
      problem = {
        path: prefix,
        problem: `is a file where synthesis needs a folder${prefix === wanted ? '' : ` (on the way to ${wanted})`}`,
        fix: `move the file ${prefix} out of the way`,
      };
    }
    this.seen.set(prefix, problem);
    return problem;
  }
}
