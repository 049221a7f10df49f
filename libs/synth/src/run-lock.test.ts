import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock, RUN_LOCK_FILE, type RunLockHolder } from './run-lock.ts';
import { RunLockedError } from './tree-errors.ts';

const HELPER = fileURLToPath(new URL('./testing/hold-run-lock.ts', import.meta.url));
const roots: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function scratch(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fleet-lock-'));
  roots.push(root);
  return root;
}

/** Starts a real process that takes the lock and holds it; resolves with its holder once it has it. */
function holdInChild(root: string): Promise<{ child: ChildProcess; holder: RunLockHolder }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HELPER, root, 'hold'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ child, holder: JSON.parse(out.split('\n')[0]!) as RunLockHolder });
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early with ${code}`)));
  });
}

describe('run lock', () => {
  it('refuses while a live process holds it, naming its pid and start time, and is free again once released', async () => {
    const root = scratch();
    const { child, holder } = await holdInChild(root);
    expect(holder.pid).toBe(child.pid);
    let refused: unknown;
    try {
      acquireRunLock(root, 300);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RunLockedError);
    expect((refused as Error).message).toBe(
      `${RUN_LOCK_FILE}: another fleet synth is running in this repository (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}); ` +
        `waited 0.3 s — fix: wait for it to finish and rerun; if no fleet process runs any more, delete ${RUN_LOCK_FILE}`,
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.stdin!.end();
    await exited;
    expect(existsSync(path.join(root, RUN_LOCK_FILE))).toBe(false);
    acquireRunLock(root, 0).release();
  });

  it('waits for a holder that finishes within the wait', async () => {
    const root = scratch();
    const { child } = await holdInChild(root);
    const script = `const { acquireRunLock } = await import(${JSON.stringify(fileURLToPath(new URL('./run-lock.ts', import.meta.url)))});
      acquireRunLock(${JSON.stringify(root)}, 60000).release(); console.log('acquired');`;
    const waiter = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(waiter);
    let out = '';
    waiter.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    waiter.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const done = new Promise<number | null>((resolve) => waiter.on('exit', resolve));
    child.stdin!.end(); // the holder finishes while (or before) the waiter polls
    expect(await done).toBe(0);
    expect(out.trim()).toBe('acquired');
  });

  it('recovers the lock of a killed process', () => {
    const root = scratch();
    const died = spawnSync(process.execPath, ['--import', 'tsx', HELPER, root, 'die'], { encoding: 'utf8' });
    expect(died.signal).toBe('SIGKILL');
    const stale = JSON.parse(died.stdout.split('\n')[0]!) as RunLockHolder;
    expect(existsSync(path.join(root, RUN_LOCK_FILE))).toBe(true);
    const lock = acquireRunLock(root, 0);
    expect(lock.holder.pid).toBe(process.pid);
    expect(lock.holder.token).not.toBe(stale.token);
    lock.release();
    expect(readdirSync(root)).toStrictEqual([]);
  });
});
