import { describe, expect, it } from 'vitest';
import { sortKeys } from './sort-keys.ts';

describe('sortKeys', () => {
  it('sorts keys recursively, keeps array order and drops undefined members', () => {
    expect(JSON.stringify(sortKeys({ b: 1, a: { d: [{ z: 1, y: undefined, x: 2 }, 3], c: null } }))).toBe(
      '{"a":{"c":null,"d":[{"x":2,"z":1},3]},"b":1}',
    );
  });
});
