/**
 * The git repository the regions reconcile: a bare repository served by the loopback git server, and a work tree
 * into which each synthesized tree is copied (only what Flux needs: `clusters/`, `manifests/`, `.sourceignore`),
 * proven byte-identical to the synthesized tree (tree-files.ts), committed and pushed by file path.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { verifyUnmodified } from './tree-files.ts';
import { REPO_ROOT } from './tools.ts';

const execFileAsync = promisify(execFile);

export interface Commit {
  readonly sha: string;
  /** The revision Flux reports for it: `<branch>@sha1:<sha>`. */
  readonly revision: string;
  readonly message: string;
  /** Files under clusters/ and manifests/, each byte-identical to the synthesized tree. */
  readonly files: number;
  /** `performance.now()` right after the push: the start of every commit→converged time. */
  readonly pushedAt: number;
}

export interface CommitOptions {
  /** Runs after the copy was verified: deliberate test damage (the bad-commit scenario). */
  readonly mutate?: (workTree: string) => void;
}

export class TestRepository {
  readonly bare: string;
  readonly workTree: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly dir: string,
    /** Name of the bare repository under the git server's project root. */
    readonly name: string,
    readonly branch: string,
  ) {
    this.bare = path.join(dir, name);
    this.workTree = path.join(dir, 'work');
    this.env = {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'aks-fleet e2e',
      GIT_AUTHOR_EMAIL: 'e2e@aks-fleet.invalid',
      GIT_COMMITTER_NAME: 'aks-fleet e2e',
      GIT_COMMITTER_EMAIL: 'e2e@aks-fleet.invalid',
    };
  }

  private async git(cwd: string, args: readonly string[]): Promise<string> {
    const { stdout } = await execFileAsync('git', ['-c', 'commit.gpgsign=false', ...args], {
      cwd,
      env: this.env,
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  }

  async init(): Promise<void> {
    mkdirSync(this.bare, { recursive: true });
    mkdirSync(this.workTree, { recursive: true });
    await this.git(this.bare, ['init', '--bare', '-q', '-b', this.branch]);
    await this.git(this.workTree, ['init', '-q', '-b', this.branch]);
    await this.git(this.workTree, ['remote', 'add', 'origin', this.bare]);
  }

  /**
   * Replaces the work tree's content with `synthRoot`'s `clusters/` and `manifests/` plus the workspace's
   * `.sourceignore`, verifies the copy byte for byte, commits and pushes.
   */
  async commitSynthesized(synthRoot: string, message: string, { mutate }: CommitOptions = {}): Promise<Commit> {
    for (const top of ['clusters', 'manifests']) {
      rmSync(path.join(this.workTree, top), { recursive: true, force: true });
      cpSync(path.join(synthRoot, top), path.join(this.workTree, top), { recursive: true });
    }
    cpSync(path.join(REPO_ROOT, '.sourceignore'), path.join(this.workTree, '.sourceignore'));
    const files = verifyUnmodified(synthRoot, this.workTree, ['clusters', 'manifests']);
    mutate?.(this.workTree);
    await this.git(this.workTree, ['add', '-A']);
    await this.git(this.workTree, ['commit', '-q', '--allow-empty', '-m', message]);
    const sha = await this.git(this.workTree, ['rev-parse', 'HEAD']);
    await this.git(this.workTree, ['push', '-q', 'origin', `HEAD:refs/heads/${this.branch}`]);
    return { sha, revision: `${this.branch}@sha1:${sha}`, message, files, pushedAt: performance.now() };
  }
}
