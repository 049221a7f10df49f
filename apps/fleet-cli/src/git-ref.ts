/** Git refs the CLI is given (`fleet diff --base`, `fleet validate --changed-since`). */
import { spawnSync } from 'node:child_process';
import { CliError } from './command.ts';

/**
 * A ref a command compares with must name a commit git has: a clear error here, not git's message and stack from deep
 * inside the comparison. `command` names what was run (`fleet diff`) for the fix.
 */
export function requireCommit(root: string, ref: string, command: string): void {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status === 0) return;
  const inRepository = spawnSync('git', ['rev-parse', '--git-dir'], { cwd: root, encoding: 'utf8' }).status === 0;
  if (!inRepository)
    throw new CliError(
      `${root} is not a git repository`,
      `run ${command} inside the repository, or pass --root its folder`,
    );
  throw new CliError(
    `unknown git ref "${ref}" in ${root}`,
    'pass a commit git has (e.g. HEAD~1), or fetch it first (git fetch origin main; CI checks out with fetch-depth: 0)',
  );
}
