/**
 * A copy with object keys sorted at every level and undefined members dropped; arrays keep their order (it is
 * meaningful). Every generated file (YAML manifests, ARM JSON) goes through it, so output never depends on the
 * order code happened to build an object in.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child === undefined) continue;
      // A `__proto__` key stays a member: assigning it would replace the copy's prototype instead.
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: sortKeys(child),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = sortKeys(child);
    }
    return out;
  }
  return value;
}
