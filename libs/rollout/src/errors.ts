/**
 * A rollout command refused or could not run because of its input (unknown wave, a ref that does not exist, a bad
 * context mapping …): one line naming what was given, what was expected and the fix. The CLI prints the message
 * and never a stack trace.
 */
export class RolloutInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutInputError';
  }
}
