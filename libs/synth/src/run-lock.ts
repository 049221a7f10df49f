/**
 * One synthesis run at a time per repository: a lock file in the repository root holding the owner's pid, host and
 * start time. A second run waits briefly for it, then refuses naming the holder. A lock whose process is gone (killed,
 * crashed) is recovered: the next run takes it over.
 *
 * The lock appears atomically with its content (written to a private file, then hard-linked into place, which fails
 * if a lock exists), so a reader never sees a half-written lock.
 */
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { RunLockedError } from './tree-errors.ts';

export const RUN_LOCK_FILE = '.fleet-synth.lock';
/** How long a run waits for another to finish before refusing. Overridable for CI with FLEET_LOCK_WAIT_MS. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
const POLL_MS = 100;

export interface RunLockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO 8601. */
  readonly startedAt: string;
  /** Distinguishes two locks of the same pid (pid reuse, or a second lock in one process). */
  readonly token: string;
}

export interface RunLock {
  readonly holder: RunLockHolder;
  release(): void;
}

function readHolder(file: string): RunLockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as RunLockHolder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(holder: RunLockHolder): boolean {
  if (holder.host !== hostname()) return true; // cannot tell for another machine: never steal its lock
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
  return !isZombie(holder.pid);
}

/** A killed process its parent has not reaped yet still answers signal 0, but will never release the lock. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false; // no /proc (not Linux): trust signal 0
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Takes the lock of `root`, waiting up to `waitMs` for a live holder; throws RunLockedError naming the holder
 * when it does not finish in time.
 */
export function acquireRunLock(
  root: string,
  waitMs = Number(process.env.FLEET_LOCK_WAIT_MS ?? DEFAULT_LOCK_WAIT_MS),
): RunLock {
  const file = path.join(root, RUN_LOCK_FILE);
  const holder: RunLockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    token: Math.random().toString(36).slice(2, 10),
  };
  const mine = `${file}.${process.pid}.${holder.token}`;
  writeFileSync(mine, JSON.stringify(holder));
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      try {
        linkSync(mine, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(file);
      if (current && !isAlive(current)) {
        recoverStale(file, current);
        continue;
      }
      if (Date.now() >= deadline) {
        const who = current
          ? `pid ${current.pid} on ${current.host}, started ${current.startedAt}`
          : 'an unreadable lock';
        throw new RunLockedError({
          path: RUN_LOCK_FILE,
          problem: `another fleet synth is running in this repository (${who}); waited ${(waitMs / 1000).toFixed(1)} s`,
          fix: `wait for it to finish and rerun; if no fleet process runs any more, delete ${RUN_LOCK_FILE}`,
        });
      }
      sleep(POLL_MS);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  return {
    holder,
    release: () => {
      if (readHolder(file)?.token === holder.token) rmSync(file, { force: true });
    },
  };
}

/**
 * Removes a lock whose process is gone. It is first moved aside, so that of two runs recovering the same stale
 * lock only one removes it; if what was moved aside is not the stale lock (a live run took over in between), it
 * is put back.
 */
function recoverStale(file: string, stale: RunLockHolder): void {
  const aside = `${file}.stale.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else moved it first
  }
  if (readHolder(aside)?.token === stale.token) {
    rmSync(aside, { force: true });
    return;
  }
  try {
    linkSync(aside, file);
  } finally {
    rmSync(aside, { force: true });
  }
}
