import { describe, expect, it } from 'vitest';
import { sortKeys } from '@aks-fleet/util';
import { GENERATED_HEADER, isGenerated, toYaml } from './yaml-format.ts';

describe('toYaml', () => {
  it('sorts keys at every level, keeps list order, drops undefined, and starts with the generated header', () => {
    const yaml = toYaml({ spec: { b: 1, a: [{ z: 1, y: 2 }, 'x'] }, kind: 'K', apiVersion: 'v1', skip: undefined });
    expect(yaml).toBe(
      `${GENERATED_HEADER}\napiVersion: v1\nkind: K\nspec:\n  a:\n    - \"y\": 2\n      z: 1\n    - x\n  b: 1\n`,
    );
  });

  it('quotes strings a YAML 1.1 parser (Kubernetes) would read as booleans or numbers', () => {
    expect(toYaml({ a: 'on', b: 'yes', c: 'off', d: '0755', e: 'true', f: true })).toBe(
      `${GENERATED_HEADER}\na: "on"\nb: "yes"\nc: "off"\nd: "0755"\ne: "true"\nf: true\n`,
    );
  });

  it('does not fold long lines or alias repeated objects', () => {
    const shared = { k: 'v' };
    const long = 'x'.repeat(200);
    const yaml = toYaml({ a: shared, b: shared, long });
    expect(yaml).not.toContain('&');
    expect(yaml).toContain(`long: ${long}\n`);
  });

  it('is byte-identical whatever the key insertion order', () => {
    expect(toYaml({ a: 1, b: { c: 2, d: 3 } })).toBe(toYaml({ b: { d: 3, c: 2 }, a: 1 }));
    expect(sortKeys([{ b: 1, a: 2 }])).toStrictEqual([{ a: 2, b: 1 }]);
  });

  it('recognises generated files by their header only', () => {
    expect(isGenerated(toYaml({ a: 1 }))).toBe(true);
    expect(isGenerated('apiVersion: v1\n')).toBe(false);
    expect(isGenerated(`# hand-written\n${GENERATED_HEADER}\n`)).toBe(false);
  });
});
