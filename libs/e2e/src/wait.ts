/** Polling with a deadline: every wait in the harness is bounded and says what it was waiting for. */
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

export class WaitTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, lastState: string) {
    super(
      `timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}${lastState ? `; last state: ${lastState}` : ''}`,
    );
    this.name = 'WaitTimeoutError';
  }
}

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

/**
 * Calls `probe` until it returns `{ done: true }` or the deadline passes. A probe that throws counts as "not yet"
 * (its message becomes the last state), so transient connection errors during start-up do not abort the wait.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<{ done: true; value: T } | { done: false; state: string }>,
  { timeoutMs, intervalMs = 250 }: PollOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastState = '';
  for (;;) {
    try {
      const result = await probe();
      if (result.done) return result.value;
      lastState = result.state;
    } catch (error) {
      lastState = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(what, timeoutMs, lastState);
    await sleep(Math.min(intervalMs, Math.max(deadline - Date.now(), 1)));
  }
}

/** Seconds since `start` (a `performance.now()` value), rounded to 0.1 s. */
export function secondsSince(start: number): number {
  return Math.round((performance.now() - start) / 100) / 10;
}
