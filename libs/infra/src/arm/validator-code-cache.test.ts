import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { describe, expect, it } from 'vitest';
import { cacheKey, cachedValidators, type CompiledFunction } from './validator-code-cache.ts';

// A small real schema (with a format, so the generated code requires ajv-formats as the ARM code does).
const SCHEMA = {
  id: 'https://example.test/item.json',
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[a-z]+$' }, at: { type: 'string', format: 'date-time' } },
  required: ['name'],
};
const VALID = { name: 'abc', at: '2026-01-01T00:00:00Z' };
const INVALID = [{ name: 'ABC' }, { at: '2026-01-01T00:00:00Z' }, { name: 'abc', at: 'yesterday' }];

/** Counts the builds, so a test can tell a read from a rebuild. */
function counter() {
  let builds = 0;
  const build = () => {
    builds++;
    const ajv = new Ajv({ code: { source: true } });
    addFormats(ajv);
    ajv.addSchema(SCHEMA);
    const code = standaloneCode(ajv, { item: SCHEMA.id });
    return { entry: { code, names: ['item'] }, functions: { item: ajv.getSchema(SCHEMA.id) as CompiledFunction } };
  };
  return { build, builds: () => builds };
}

function expectWorking(functions: Record<string, CompiledFunction>): void {
  expect(functions.item!(VALID)).toBe(true);
  for (const data of INVALID) expect(functions.item!(data)).toBe(false);
}

const KEY = cacheKey({ schema: SCHEMA });

describe('compiled validator code cache', () => {
  it('builds once, then later reads use the file (and the functions it holds validate the same)', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
    const { build, builds } = counter();
    expectWorking(cachedValidators(directory, KEY, build));
    expect(builds()).toBe(1);
    expect(readdirSync(directory)).toStrictEqual([`${KEY}.cjs`]);
    expectWorking(cachedValidators(directory, KEY, build));
    expect(builds()).toBe(1);
  });

  it('the key changes with what the code depends on', () => {
    expect(cacheKey({ schema: { ...SCHEMA, required: [] } })).not.toBe(KEY);
    expect(cacheKey({ schema: SCHEMA })).toBe(KEY);
  });

  for (const [damage, corrupt] of [
    ['a truncated file', (text: string) => text.slice(0, Math.floor(text.length * 0.6))],
    ['an edited body that still runs (accepts everything)', (text: string) => `${text}\nexports.item = () => true;`],
    ['a header of another format', (text: string) => text.replace('aks-fleet-ajv-standalone/1', 'other/9')],
    ['a header without the digest', (text: string) => text.replace(/"sha256":"[0-9a-f]+"/, '"sha256":""')],
    ['an empty file', () => ''],
  ] as const) {
    it(`rebuilds (never trusts) ${damage}, and rewrites it intact`, () => {
      const directory = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
      const { build, builds } = counter();
      cachedValidators(directory, KEY, build);
      const file = path.join(directory, `${KEY}.cjs`);
      const intact = readFileSync(file, 'utf8');
      writeFileSync(file, corrupt(intact));
      expectWorking(cachedValidators(directory, KEY, build));
      expect(builds()).toBe(2);
      expect(readFileSync(file, 'utf8')).toBe(intact);
    });
  }

  it('never serves a file written for another key (stale: the schemas changed)', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
    const { build, builds } = counter();
    cachedValidators(directory, KEY, build);
    const stale = cacheKey({ schema: 'before' });
    // GIVEN the file of KEY under the other key's name (its header still names KEY)
    writeFileSync(path.join(directory, `${stale}.cjs`), readFileSync(path.join(directory, `${KEY}.cjs`)));
    cachedValidators(directory, stale, build);
    expect(builds()).toBe(2);
  });

  it('still validates when the cache cannot be written (a file where the folder should be)', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
    const directory = path.join(parent, 'not-a-folder');
    writeFileSync(directory, '');
    const { build, builds } = counter();
    expectWorking(cachedValidators(directory, KEY, build));
    expectWorking(cachedValidators(directory, KEY, build));
    expect(builds()).toBe(2);
  });
});
