import { describe, expect, it } from 'vitest';
import { sortKeys } from './sort-keys.ts';

describe('sortKeys', () => {
  it('sorts keys recursively, keeps array order and drops undefined members', () => {
    expect(JSON.stringify(sortKeys({ b: 1, a: { d: [{ z: 1, y: undefined, x: 2 }, 3], c: null } }))).toBe(
      '{"a":{"c":null,"d":[{"x":2,"z":1},3]},"b":1}',
    );
  });

  it('keeps a member named __proto__ as a member (it used to replace the prototype of the copy and vanish)', () => {
    const value = JSON.parse('{"b":1,"__proto__":{"x":1}}') as object;
    const sorted = sortKeys(value) as Record<string, unknown>;
    expect(Object.keys(sorted)).toStrictEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(sorted)).toBe(Object.prototype);
    expect(JSON.stringify(sorted)).toBe('{"__proto__":{"x":1},"b":1}');
  });
});
