import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.ts';

describe('deepFreeze', () => {
  it('freezes every object and array reachable from the value, and returns it', () => {
    const value = { a: { b: [{ c: 1 }] }, d: 'x' };
    expect(deepFreeze(value)).toBe(value);
    expect([value, value.a, value.a.b, value.a.b[0]].every((part) => Object.isFrozen(part))).toBe(true);
  });

  it('freezes a structured clone again (what a worker thread receives)', () => {
    const clone = structuredClone(deepFreeze({ spec: { regions: { a: { clusters: [{ name: 'c' }] } } } }));
    expect(Object.isFrozen(clone.spec)).toBe(false);
    deepFreeze(clone);
    expect(Object.isFrozen(clone.spec.regions.a.clusters[0])).toBe(true);
  });
});
