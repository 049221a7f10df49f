import { describe, expect, it } from 'vitest';
import { toToml, TomlFloat } from './toml.ts';

describe('toToml', () => {
  it('writes plain keys first, then sub-tables with dotted headers, then arrays of tables, in the given order', () => {
    const text = toToml({
      title: 'x',
      a: { b: { enabled: true, list: ['p', 'q'] }, empty: {} },
      items: [{ name: 'one', n: 1 }, { name: 'two', n: 2 }],
    });
    expect(text).toBe(
      [
        'title = "x"',
        '',
        '[a.b]',
        'enabled = true',
        'list = ["p", "q"]',
        '',
        '[a.empty]',
        '',
        '[[items]]',
        'name = "one"',
        'n = 1',
        '',
        '[[items]]',
        'name = "two"',
        'n = 2',
        '',
      ].join('\n'),
    );
  });

  it('quotes keys that are not bare, escapes strings, writes floats with a decimal point and skips undefined', () => {
    expect(toToml({ t: { 'a.b': 'say "hi"', ratio: new TomlFloat(90), half: new TomlFloat(0.5), skipped: undefined } })).toBe('[t]\n"a.b" = "say \\"hi\\""\nratio = 90.0\nhalf = 0.5\n');
  });

  it('fails on fractional numbers not marked as floats and on tables nested in arrays of tables', () => {
    expect(() => toToml({ x: 1.5 })).toThrow(/x: 1.5 is not an integer; wrap fractional numbers in TomlFloat/);
    expect(() => toToml({ list: [{ inner: { a: 1 } }] })).toThrow(/list: nested tables inside an array of tables are not supported/);
    expect(() => new TomlFloat(Number.NaN)).toThrow(/finite/);
  });
});
