import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './closest-name.ts';

describe('closestName', () => {
  it('picks the nearest candidate within the bound, case-insensitively', () => {
    expect(closestName('synt', ['synth', 'validate'], 2)).toBe('synth');
    expect(closestName('CHECK', ['check', 'cluster'], 2)).toBe('check');
    expect(closestName('frobnicate', ['synth', 'validate'], 2)).toBeUndefined();
  });

  it('measures Levenshtein distance', () => {
    expect([editDistance('kitten', 'sitting'), editDistance('', 'abc'), editDistance('same', 'same')]).toStrictEqual([
      3, 3, 0,
    ]);
  });
});
