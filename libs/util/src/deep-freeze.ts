/**
 * Freezes a value and everything reachable from it; returns it. A parsed fleet is deeply frozen: memos keyed by the
 * spec (e.g. the wave of each cluster) are only kept for a frozen spec, which cannot change under them — a copy of a
 * fleet sent to a worker thread arrives unfrozen and must be frozen again.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
