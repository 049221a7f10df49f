import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatPath } from './errors.ts';
import { generateFleet } from './testing/generated-fleet.ts';
import { GivenNumber, readPlainYaml, readYamlText, type YamlReadResult } from './yaml-reader.ts';

/**
 * A read result as comparable data: each mapping's prototype and entries in order, numbers kept as written, the
 * written forms sorted (a key named `constructor` would otherwise make equality compare the wrong thing).
 */
function comparable(result: YamlReadResult): unknown {
  const value = (node: unknown): unknown => {
    if (node instanceof GivenNumber) return { given: node.text };
    if (Array.isArray(node)) return node.map(value);
    if (node === null || typeof node !== 'object') return Object.is(node, -0) ? '-0' : node;
    const prototype = Object.getPrototypeOf(node) === null ? 'null' : 'object';
    return { prototype, entries: Object.entries(node).map(([key, child]) => [key, value(child)]) };
  };
  return {
    value: value(result.value),
    issues: result.issues,
    empty: result.empty,
    written: [...(result.written ?? new Map<string, string>())].sort(),
  };
}

/** The full reader (the `yaml` package's document model), which the fast path must equal. */
const full = (text: string) => comparable(readYamlText(text, 'test.yaml', formatPath, undefined, { fast: false }));
const fast = (text: string) => comparable(readYamlText(text, 'test.yaml', formatPath));

describe('readYamlText: the js-yaml fast path reads plain documents as the full reader does', () => {
  it('takes the fast path for a generated fleet and gives the same data and written forms', () => {
    for (const clusters of [1, 7]) {
      const text = stringify(generateFleet(clusters));
      expect(readPlainYaml(text, formatPath)).toBeDefined();
      expect(fast(text)).toStrictEqual(full(text));
    }
  });

  type Node =
    string | { readonly entries: ReadonlyArray<readonly [string, Node]> } | { readonly items: readonly Node[] };

  /**
   * Block documents as people write them, from these scalars and keys: nested mappings `step` spaces deeper,
   * sequence items `- ` with a mapping or sequence item starting on the dash's line (compact), comments and blank
   * lines between entries.
   */
  function blockDocuments(scalars: fc.Arbitrary<string>, keys: fc.Arbitrary<string>): fc.Arbitrary<string> {
    const tree = fc.letrec<{ node: Node; mapping: Node; sequence: Node }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalars, tie('mapping'), tie('sequence')),
      mapping: fc
        .uniqueArray(fc.tuple(keys, tie('node')), { selector: ([key]) => key, minLength: 1, maxLength: 4 })
        .map((entries) => ({ entries })),
      sequence: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => ({ items })),
    }));
    const lines = (node: Node, indent: string, step: string): string[] => {
      if (typeof node === 'string') throw new Error('a scalar has no block lines');
      if ('entries' in node)
        return node.entries.flatMap(([key, value], index) => [
          ...(index % 3 === 2 ? ['', `${indent}# a comment`] : []),
          ...(typeof value === 'string'
            ? [`${indent}${key}: ${value}`]
            : [`${indent}${key}:`, ...lines(value, indent + step, step)]),
        ]);
      return node.items.flatMap((item) => {
        if (typeof item === 'string') return [`${indent}- ${item}`];
        const [first, ...rest] = lines(item, `${indent}  `, step);
        return [`${indent}- ${first!.slice(indent.length + 2)}`, ...rest];
      });
    };
    return fc
      .tuple(tree.mapping, fc.integer({ min: 1, max: 4 }))
      .map(([mapping, width]) => `${lines(mapping, '', ' '.repeat(width)).join('\n')}\n`);
  }

  /** Numbers, booleans and nulls in every core-schema form (and look-alikes that are strings). */
  const SCALAR_FORMS = [
    ...['0', '-0', '+12', '012', '0o17', '0x1F', '0b101', '1_000', '123456789012345678901234567890', '1e400'],
    ...['1.5', '-.5', '.5', '1.', '1e3', '-1.5E-3', '.inf', '-.Inf', '.nan', '~', 'null', 'Null', 'true'],
    ...['True', 'FALSE', 'yes', 'on', 'y', '2024-01-01', '"0755"', "'true'", '<<', '=', 'a b', '0.0.1', '1:30'],
    ...['"a\\tb\\u00e9"', "'it''s'", '"#"', '[]', '{}', '"a: b"', 'a:b', 'a -b', '-a', '- a', '10.0.0.0/16'],
    ...['Standard_D4ds_v5', "'a\"b'", '"\\""', "''"],
  ];

  it('takes the fast path for every plain document, with the same values and written forms', () => {
    const scalars = fc.oneof(
      { weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-z0-9._/@-]{0,12}[a-z0-9]$/) }, // plain text
      { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z0-9 ,.:@/-]{0,8}$/).map((text) => JSON.stringify(text)) },
      fc.constantFrom(...SCALAR_FORMS.filter((form) => form !== '- a')), // `key: - a` is no YAML at all
    );
    const keys = fc.constantFrom('a', 'b', 'nodePools', '__proto__', 'constructor', '"10"', 'x y', 'a.b');
    fc.assert(
      fc.property(blockDocuments(scalars, keys), (text) => {
        expect(readPlainYaml(text, formatPath), text).toBeDefined();
        expect(fast(text)).toStrictEqual(full(text));
      }),
      { numRuns: 300 },
    );
  });

  it('gives what the full reader gives for any block document, on or off the fast path', () => {
    const scalars = fc.oneof(
      { weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-z0-9 ._:/@-]{0,12}[a-z0-9]$/) }, // plain text
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)) }, // JSON's escapes
      fc.constantFrom(...SCALAR_FORMS, '', 'https://example.com/a?b', 'x # comment', 'a #b'),
    );
    const keys = fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom('a', 'b', 'nodePools', '__proto__', 'constructor', '"null"', 'x y') },
      { weight: 1, arbitrary: fc.constantFrom('10', '2', '1.5', 'true', '~', '"10"') },
    );
    fc.assert(
      fc.property(blockDocuments(scalars, keys), (text) => {
        expect(fast(text)).toStrictEqual(full(text));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves what it does not read plainly to the full reader (same result either way)', () => {
    const offPath = [
      'a: &x 1\nb: *x\n', // anchors and aliases: the alias budget
      'a: !!str 1\n', // tags
      '%YAML 1.1\n---\na: yes\n', // directives
      '? [a]\n: 1\n', // complex keys
      'a: [1, 2]\n', // flow collections
      'a: |\n  text\n', // block scalars
      'a:\n\t- 1\n', // tabs
      '\uFEFFa: 1\n', // byte order mark
      'a: 1\na: 2\n', // duplicate keys (js-yaml refuses: the full reader words it)
      'a:\n  -\n    -\n      a:\n        - \n  -\n    -\n      - 0\n', // entries continued on the next line
      'a:\n- - - \n  - a: a0\n- a0\n', // an empty entry (js-yaml nested the next item into it)
      '~: 1\n', // a null key
      '1: a\n', // a number as key
      'a: 1\n---\nb: 2\n', // several documents
      '', // empty
      '# only a comment\n',
      'just a scalar\n',
    ];
    for (const text of offPath) {
      expect(readPlainYaml(text, formatPath), JSON.stringify(text)).toBeUndefined();
      expect(fast(text), JSON.stringify(text)).toStrictEqual(full(text));
    }
  });
});
