/**
 * A temporary git repository holding a copy of this workspace (tracked and untracked files, not ignored ones), with
 * node_modules linked and the workspace packages pointing into the copy: real nx, real fleet, nothing shared.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const NX_OFFLINE_ENV = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

export interface WorkspaceCopy {
  readonly dir: string;
  git(...args: string[]): string;
  /** The copy's own nx, offline and without a daemon, as CI runs it. */
  nx(...args: string[]): string;
  commitAll(message: string): void;
  remove(): void;
}

export function copyWorkspace(prefix = 'fleet-ws-'): WorkspaceCopy {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(path.join(ROOT, file))) continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === '@aks-fleet' || entry === '.bin') {
      // Relative links (../../libs/fleet, ../nx/…) recreated as they are resolve inside the copy.
      mkdirSync(path.join(modules, entry));
      for (const link of readdirSync(path.join(ROOT, 'node_modules', entry))) {
        symlinkSync(readlinkSync(path.join(ROOT, 'node_modules', entry, link)), path.join(modules, entry, link));
      }
    } else {
      symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
    }
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@aks-fleet.invalid');
  git('config', 'user.name', 'aks-fleet test');
  const commitAll = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };
  commitAll('base');
  const nx = (...args: string[]): string =>
    execFileSync(process.execPath, [path.join(dir, 'node_modules/nx/dist/bin/nx.js'), ...args], {
      cwd: dir,
      env: NX_OFFLINE_ENV,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
  return { dir, git, nx, commitAll, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
