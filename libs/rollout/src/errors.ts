/**
 * A rollout command refused or could not run because of its input (unknown wave, a ref that does not exist, a bad
 * context mapping, no kubeconfig …): one line naming what was given and what was expected, then the fix. The message
 * is `<problem> — fix: <fix>`; the CLI prints it as is and never a stack trace.
 */
export class RolloutInputError extends Error {
  constructor(
    /** What was given and what was expected. */
    readonly problem: string,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super(`${problem} — fix: ${fix}`);
    this.name = 'RolloutInputError';
  }
}
