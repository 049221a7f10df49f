/**
 * The rollout's only writes: plain git. Branch heads are read from the remote (`git ls-remote`), a wave moves with
 * one `git push --force-with-lease` of a commit to `refs/heads/fleet/wave-<name>` (the lease makes a concurrent move
 * fail instead of being overwritten), and pause markers are ordinary commits.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RolloutInputError } from './errors.ts';

const run = promisify(execFile);

export class GitRemote {
  constructor(
    /** A git work tree (a clone of the fleet repository). */
    readonly root: string,
    /** The remote the clusters read from (a name like `origin`, or a URL/path). */
    readonly remote: string,
  ) {}

  async git(
    args: readonly string[],
    fix = 'check that --root is a clone of the fleet repository and that git works there (git status)',
  ): Promise<string> {
    try {
      const { stdout } = await run('git', [...args], { cwd: this.root, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
      return stdout.trim();
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      const lines = (e.stderr ?? e.message).trim().split('\n').filter(Boolean);
      const detail = lines.find((l) => /^(fatal|error): /.test(l)) ?? lines[0] ?? e.message;
      throw new RolloutInputError(`git ${args.join(' ')} failed in ${this.root}: ${detail}`, fix);
    }
  }

  /** Branch name → commit, for every branch of the remote. */
  async branches(): Promise<Map<string, string>> {
    const out = await this.git(
      ['ls-remote', '--heads', this.remote],
      `pass --remote the fleet repository (a remote name of the clone — git remote -v lists them — or a URL), and check that git can reach it`,
    );
    const heads = new Map<string, string>();
    for (const line of out.split('\n').filter(Boolean)) {
      const [sha, ref] = line.split('\t');
      if (sha && ref?.startsWith('refs/heads/')) heads.set(ref.slice('refs/heads/'.length), sha);
    }
    return heads;
  }

  /** Fetches branches into `refs/rollout/<branch>` (no local branch is touched). */
  async fetch(branches: readonly string[]): Promise<void> {
    if (branches.length === 0) return;
    await this.git([
      'fetch',
      '--quiet',
      '--no-tags',
      this.remote,
      ...branches.map((b) => `+refs/heads/${b}:refs/rollout/${b}`),
    ]);
  }

  /** The commit `rev` names, or a one-line error naming the revision. */
  async resolve(rev: string): Promise<string> {
    try {
      return await this.git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    } catch {
      throw new RolloutInputError(
        `--to ${rev}: no such revision in ${this.root}; expected a commit or ref of ${this.remote}`,
        'fetch it first, or name a commit the previous wave runs',
      );
    }
  }

  /** A file at a fetched branch, or undefined. */
  async show(branch: string, file: string): Promise<string | undefined> {
    try {
      return await this.git(['show', `refs/rollout/${branch}:${file}`]);
    } catch {
      return undefined;
    }
  }

  /** Moves `branch` on the remote to `sha`, only if it is still at `expected` (undefined: must not exist). */
  async moveBranch(branch: string, sha: string, expected: string | undefined): Promise<void> {
    await this.git([
      'push',
      '--quiet',
      `--force-with-lease=refs/heads/${branch}:${expected ?? ''}`,
      this.remote,
      `${sha}:refs/heads/${branch}`,
    ]);
  }
}
