/**
 * Why synthesis refused to touch the tree, as lines a person can act on: each names the path, what is wrong and the
 * fix. The CLI prints them without a stack trace.
 */
export interface TreeProblem {
  /** Repository-relative path (or absolute, when outside the repository). */
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
}

export function formatTreeProblem(problem: TreeProblem): string {
  return `${problem.path}: ${problem.problem} — fix: ${problem.fix}`;
}

/** The tree holds something synthesis must not write over or through; nothing was written. */
export class TreeRefusedError extends Error {
  constructor(
    readonly problems: readonly TreeProblem[],
    readonly written = false,
  ) {
    super(problems.map(formatTreeProblem).join('\n'));
    this.name = 'TreeRefusedError';
  }
}

/** Another `fleet synth` holds the repository's run lock. */
export class RunLockedError extends TreeRefusedError {
  constructor(problem: TreeProblem) {
    super([problem]);
    this.name = 'RunLockedError';
  }
}

/** What an errno means for a file synthesis writes, and what to do about it. */
const ERRNO: Record<string, { problem: string; fix: (file: string) => string }> = {
  EACCES: {
    problem: 'permission denied',
    fix: (f) => `make ${f} and its folder writable by this user (chmod/chown), or synthesize in a checkout you own`,
  },
  EPERM: {
    problem: 'operation not permitted',
    fix: (f) =>
      `remove the immutable or ownership restriction on ${f} (chattr -i, chown), or synthesize in a checkout you own`,
  },
  EROFS: {
    problem: 'the file system is read-only',
    fix: () => 'synthesize in a writable checkout (or remount it read-write)',
  },
  ENOSPC: {
    problem: 'no space left on the device',
    fix: () => 'free space on the file system that holds the repository, then rerun',
  },
  EDQUOT: { problem: 'disk quota exceeded', fix: () => 'free space within your quota, then rerun' },
  EISDIR: { problem: 'a folder is where synthesis writes a file', fix: (f) => `move the folder ${f} out of the way` },
  ENOTDIR: {
    problem: 'a file is where synthesis needs a folder',
    fix: (f) => `move the file on the way to ${f} out of the way`,
  },
  EEXIST: { problem: 'a file is where synthesis needs a folder', fix: (f) => `move the file ${f} out of the way` },
  ENOTEMPTY: {
    problem: 'a non-empty folder is where synthesis writes a file',
    fix: (f) => `move the folder ${f} out of the way`,
  },
  EXDEV: {
    problem: 'the path is on another file system than the repository root (a mount inside the repository)',
    fix: (f) => `synthesize in a checkout on one file system: ${f} must be renameable from .fleet-tx/`,
  },
  EMFILE: { problem: 'too many open files', fix: () => 'raise the open-file limit (ulimit -n), then rerun' },
  ENAMETOOLONG: {
    problem: 'the path is too long for the file system',
    fix: () => 'shorten the cluster or object name in the fleet model',
  },
  EBUSY: {
    problem: 'the file is in use (busy)',
    fix: (f) => `close whatever holds ${f} (an editor, a mount), then rerun`,
  },
};

/** A file-system error during the write, after the tree was rolled back (or, failing that, left for the next run). */
export class TreeWriteError extends Error {
  constructor(
    readonly problem: TreeProblem,
    /** Whether the previous tree was restored; if not, the next run restores it from the journal. */
    readonly restored: boolean,
    readonly code: string,
  ) {
    super(formatTreeProblem(problem));
    this.name = 'TreeWriteError';
  }

  /**
   * Wraps an errno error of the write; `display` turns the absolute path Node reports into the path a person knows
   * (a staged copy under the transaction folder is shown as the file it becomes).
   */
  static from(error: unknown, display: (absolute: string) => string, restored: boolean): TreeWriteError | undefined {
    const { code, path: from, dest } = (error ?? {}) as { code?: unknown; path?: unknown; dest?: unknown };
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined;
    // For a rename that fails because of what is at the destination, the destination is the path at fault.
    const atDestination = code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOTEMPTY';
    const absolute = atDestination && typeof dest === 'string' ? dest : typeof from === 'string' ? from : '';
    const file = display(absolute);
    const known = ERRNO[code];
    return new TreeWriteError(
      {
        path: file,
        problem: known ? `${known.problem} (${code})` : `${(error as Error).message.split(',')[0]} (${code})`,
        fix: known ? known.fix(file) : `check ${file} and rerun`,
      },
      restored,
      code,
    );
  }
}
