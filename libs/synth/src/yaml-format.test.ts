import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortKeys } from '@aks-fleet/util';
import { dump } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { GENERATED_HEADER, isGenerated, readGeneratedYaml, toYaml } from './yaml-format.ts';

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

  it('writes what serializing a sorted copy wrote (generated values: any keys, undefined members, nesting)', () => {
    // The former formulation, kept as the oracle: a sorted copy (sortKeys drops undefined members), then js-yaml.
    const viaSortedCopy = (value: unknown) =>
      `${GENERATED_HEADER}\n${dump(sortKeys(value), { lineWidth: -1, noRefs: true, quotingType: '"' })}`;
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '__proto__',
        'constructor',
        '10',
        '2',
        '0',
        '01',
        '-1',
        '4294967294',
        '4294967295',
        '1e3',
        'a',
        'ä',
        '',
      ),
    );
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.constantFrom('on', 'yes', '0755', '1e3', '~', '- x', 'a: b', '#', '"', "'", '\n', ' x'),
      ),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    }));
    fc.assert(
      fc.property(value.object, (object) => {
        expect(toYaml(object)).toBe(viaSortedCopy(object));
      }),
      { numRuns: 500 },
    );
  });

  it('recognises generated files by their header only', () => {
    expect(isGenerated(toYaml({ a: 1 }))).toBe(true);
    expect(isGenerated('apiVersion: v1\n')).toBe(false);
    expect(isGenerated(`# hand-written\n${GENERATED_HEADER}\n`)).toBe(false);
  });
});

describe('readGeneratedYaml', () => {
  /** What the `yaml` package (YAML 1.2 core, the gate's reader for any file) makes of a text. */
  const viaYaml = (text: string) => parseAllDocuments(text).map((document) => document.toJS());

  it("reads every scalar form as the yaml package does (YAML 1.2 core, not js-yaml's YAML 1.1 extras)", () => {
    const scalars = [
      ...['0', '-0', '+12', '012', '0o17', '0x1F', '0b101', '1_000', '-0x1F', '123456789012345678901234567890'],
      ...['1.5', '-.5', '.5', '1.', '1e3', '-1.5E-3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '1_0.5'],
      ...['~', 'null', 'Null', 'NULL', 'nULL', '', 'true', 'True', 'TRUE', 'tRUE', 'false', 'yes', 'on', 'off', 'y'],
      ...['2024-01-01', '2001-12-14t21:59:43.10-05:00', '"0755"', "'true'", '<<', '=', 'a b', '0.0.1', '1:30'],
    ];
    const text = `${GENERATED_HEADER}\n${scalars.map((s, i) => `k${i}: ${s}`).join('\n')}\nlist: [${scalars.filter((s) => s !== '').join(', ')}]\n`;
    expect(readGeneratedYaml(text)).toStrictEqual(viaYaml(text));
  });

  it('reads documents, nesting, block scalars, anchors and empty documents as the yaml package does', () => {
    const text = [
      GENERATED_HEADER,
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: a, labels: {x: "1"}}',
      'data:',
      '  script: |',
      '    echo 1',
      '  folded: >-',
      '    a',
      '    b',
      '  ref: &r {k: v}',
      '  again: *r',
      '---',
      '---',
      '- 1',
      '- [a, {b: c}]',
      '',
    ].join('\n');
    expect(readGeneratedYaml(text)).toStrictEqual(viaYaml(text));
  });

  it('refuses what it cannot read exactly (duplicate keys, unknown tags, syntax errors): the caller uses yaml then', () => {
    expect(readGeneratedYaml(`${GENERATED_HEADER}\na: 1\na: 2\n`)).toBeUndefined();
    expect(readGeneratedYaml(`${GENERATED_HEADER}\na: !!binary aGk=\n`)).toBeUndefined();
    expect(readGeneratedYaml(`${GENERATED_HEADER}\na: [1,\n`)).toBeUndefined();
  });

  it('reads back what toYaml writes', () => {
    const object = { apiVersion: 'v1', kind: 'K', spec: { a: ['on', 'yes', '0755', 1.5, true, null], b: { c: 'd' } } };
    expect(readGeneratedYaml(toYaml(object))).toStrictEqual([object]);
  });
});
