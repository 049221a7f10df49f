/**
 * A temporary git repository holding a copy of this workspace (tracked and untracked, not ignored files), with
 * node_modules linked and the workspace packages pointing into the copy: real nx and the real CLI run in it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };

/** Copies the workspace into `repo` and links node_modules. */
export function copyWorkspace(repo: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(path.join(WORKSPACE_ROOT, file))) continue;
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    copyFileSync(path.join(WORKSPACE_ROOT, file), path.join(repo, file));
  }
  const modules = path.join(repo, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(WORKSPACE_ROOT, 'node_modules'))) {
    if (entry === '@aks-fleet' || entry === '.bin') {
      // Relative links (../../libs/fleet, ../nx/…) recreated as they are resolve inside the copy.
      mkdirSync(path.join(modules, entry));
      for (const link of readdirSync(path.join(WORKSPACE_ROOT, 'node_modules', entry))) {
        symlinkSync(readlinkSync(path.join(WORKSPACE_ROOT, 'node_modules', entry, link)), path.join(modules, entry, link));
      }
    } else {
      symlinkSync(path.join(WORKSPACE_ROOT, 'node_modules', entry), path.join(modules, entry));
    }
  }
}

export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
}

export function nx(repo: string, ...args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'node_modules/nx/dist/bin/nx.js'), ...args], { cwd: repo, env: NX_ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** A new git repository on branch main, with a committer. */
export function initRepository(repo: string): void {
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@aks-fleet.invalid');
  git(repo, 'config', 'user.name', 'aks-fleet test');
}

export function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}
