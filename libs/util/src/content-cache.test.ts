import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHash, ContentCache, keyRecordCodec, sealedCodec, type SealedEntry } from './content-cache.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const MODULE = fileURLToPath(new URL('./content-cache.ts', import.meta.url));
const FORMAT = 'test-sealed/1';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'content-cache-'));
  folders.push(dir);
  return dir;
}

const sealed = (directory: string, keep = 8) =>
  new ContentCache<SealedEntry>(directory, { codec: sealedCodec(FORMAT), keep, extension: '.txt' });
const KEY = contentHash(FORMAT, ['inputs of the entry']);
const ENTRY: SealedEntry = { body: 'the body\nover two lines', meta: { names: ['a', 'b'] } };

describe('contentHash', () => {
  it('is the SHA-256 of the format, a NUL and the parts, in order', () => {
    expect(contentHash('f/1', ['a', 'b'])).toBe(contentHash('f/1', ['ab']));
    expect(contentHash('f/1', ['a', 'b'])).toBe(contentHash('f/1', [Buffer.from('a'), 'b']));
    expect(contentHash('f/1', ['ab'])).not.toBe(contentHash('f/2', ['ab']));
    expect(contentHash('f/1', ['ab'])).not.toBe(contentHash('f/1', ['ba']));
    expect(contentHash('f', [])).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ContentCache', () => {
  it('reads back what it wrote, one file per key, header first', () => {
    const directory = folder();
    const cache = sealed(directory);
    expect(cache.get(KEY)).toBeUndefined();
    expect(cache.put([[KEY, ENTRY]])).toBe(true);
    expect(cache.get(KEY)).toStrictEqual(ENTRY);
    expect(readdirSync(directory)).toStrictEqual([`${KEY}.txt`]);
    expect(readFileSync(path.join(directory, `${KEY}.txt`), 'utf8')).toMatch(
      new RegExp(`^// \\{"format":"test-sealed/1","key":"${KEY}","names":\\["a","b"\\],"sha256":"[0-9a-f]{64}"\\}\\n`),
    );
  });

  for (const [damage, corrupt] of [
    ['a truncated entry', (text: string) => text.slice(0, Math.floor(text.length * 0.8))],
    ['an edited body', (text: string) => text.replace('the body', 'another body')],
    ['an edited header', (text: string) => text.replace('"names":["a","b"]', '"names":["a"]x')],
    ['a header without the digest', (text: string) => text.replace(/"sha256":"[0-9a-f]+"/, '"sha256":""')],
    ['a header that is not an object', (text: string) => `// null\n${text.slice(text.indexOf('\n') + 1)}`],
    ['no header line', (text: string) => text.slice(text.indexOf('\n') + 1)],
    ['an empty file', () => ''],
  ] as const) {
    it(`treats ${damage} as a miss, and the entry built again replaces it intact`, () => {
      const directory = folder();
      const cache = sealed(directory);
      cache.put([[KEY, ENTRY]]);
      const file = path.join(directory, `${KEY}.txt`);
      const intact = readFileSync(file, 'utf8');
      writeFileSync(file, corrupt(intact));
      expect(cache.get(KEY)).toBeUndefined();
      // The caller's rebuild on that miss:
      expect(cache.put([[KEY, ENTRY]])).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(intact);
      expect(cache.get(KEY)).toStrictEqual(ENTRY);
    });
  }

  it('ignores a stale entry: one written for another key, or in another format', () => {
    const directory = folder();
    const cache = sealed(directory);
    const stale = contentHash(FORMAT, ['the inputs before they changed']);
    cache.put([[stale, ENTRY]]);
    // GIVEN the stale entry under this key's name (its header still names the other key)
    copyFileSync(path.join(directory, `${stale}.txt`), path.join(directory, `${KEY}.txt`));
    expect(cache.get(KEY)).toBeUndefined();
    expect(cache.get(stale)).toStrictEqual(ENTRY);
    const otherFormat = new ContentCache(directory, {
      codec: sealedCodec('test-sealed/2'),
      keep: 8,
      extension: '.txt',
    });
    expect(otherFormat.get(stale)).toBeUndefined();
  });

  it('a key record is trusted only when the file holds exactly its key', () => {
    const directory = folder();
    const records = new ContentCache(directory, { codec: keyRecordCodec, keep: 8 });
    expect(records.get(KEY)).toBeUndefined();
    records.put([[KEY, true]]);
    expect(readFileSync(path.join(directory, KEY), 'utf8')).toBe(KEY);
    expect(records.get(KEY)).toBe(true);
    for (const content of ['', KEY.slice(0, 40), `${KEY}\n`, 'garbage']) {
      writeFileSync(path.join(directory, KEY), content);
      expect(records.get(KEY), JSON.stringify(content)).toBeUndefined();
    }
  });

  it('keeps the newest entries after a write, sparing those just written and those in use', () => {
    const directory = folder();
    const cache = sealed(directory, 3);
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'].map((k) => contentHash(FORMAT, [k]));
    keys.forEach((key, i) => {
      cache.put([[key, ENTRY]]);
      // k1 oldest … k5 newest
      utimesSync(path.join(directory, `${key}.txt`), new Date(2000, 0, 1 + i), new Date(2000, 0, 1 + i));
    });
    // GIVEN five entries (each write pruned to three: k1 and k2 went when k4 and k5 came)
    expect(readdirSync(directory).sort()).toStrictEqual(
      keys
        .slice(2)
        .map((k) => `${k}.txt`)
        .sort(),
    );
    // WHEN an old entry is in use and a new one is written
    const fresh = contentHash(FORMAT, ['k6']);
    cache.put([[fresh, ENTRY]], new Set([keys[2]!]));
    // THEN the oldest that is not in use (k4) goes: k3 (in use), k5 and k6 (just written) stay
    expect(readdirSync(directory).sort()).toStrictEqual([keys[2]!, keys[4]!, fresh].map((k) => `${k}.txt`).sort());
    // A file of another extension is not an entry: never counted, never removed.
    writeFileSync(path.join(directory, 'notes.md'), 'x');
    cache.put([[contentHash(FORMAT, ['k7']), ENTRY]]);
    expect(readdirSync(directory)).toContain('notes.md');
  });

  it('removes the temporary files of writers that died before their rename, once they are a minute old', () => {
    const directory = folder();
    const cache = sealed(directory);
    const dead = path.join(directory, `${KEY}.txt.123-abc.tmp`);
    const live = path.join(directory, `${KEY}.txt.456-def.tmp`);
    writeFileSync(dead, 'half an ent');
    writeFileSync(live, 'half an ent');
    utimesSync(dead, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    cache.put([[KEY, ENTRY]]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true); // a writer may still be busy with it
    expect(cache.get(KEY)).toStrictEqual(ENTRY);
  });

  it('fails soft when the folder cannot be written (a file where the folder should be)', () => {
    const parent = folder();
    const directory = path.join(parent, 'not-a-folder');
    writeFileSync(directory, '');
    const cache = sealed(directory);
    expect(cache.put([[KEY, ENTRY]])).toBe(false);
    expect(cache.get(KEY)).toBeUndefined();
    expect(readdirSync(parent)).toStrictEqual(['not-a-folder']);
  });

  it(
    'concurrent writers of one key leave a valid entry, and a reader never sees half of one (atomic writes)',
    { timeout: 120_000 },
    async () => {
      const directory = folder();
      const writers = 4;
      const writes = 25;
      // Large bodies: a write in place would be seen torn by the reader, and interleaved writers would leave a mix.
      const body = (writer: number, write: number) => `${writer}:${write}:`.padEnd(256 * 1024, String(writer));
      const script =
        `import { ContentCache, sealedCodec } from ${JSON.stringify(MODULE)};\n` +
        `const cache = new ContentCache(${JSON.stringify(directory)}, ` +
        `{ codec: sealedCodec(${JSON.stringify(FORMAT)}), keep: 8, extension: '.txt' });\n` +
        `const writer = Number(process.argv[1]);\n` +
        `for (let i = 0; i < ${writes}; i++) {\n` +
        `  const body = \`\${writer}:\${i}:\`.padEnd(${256 * 1024}, String(writer));\n` +
        `  if (!cache.put([[${JSON.stringify(KEY)}, { body, meta: { writer } }]])) process.exit(3);\n` +
        `}\n`;
      const children = Array.from({ length: writers }, (_, writer) =>
        spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, String(writer)], {
          cwd: REPO,
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
      const exits = Promise.all(children.map((child) => once(child, 'exit').then(([code]) => code as number | null)));
      let running = true;
      void exits.then(() => (running = false));
      const file = path.join(directory, `${KEY}.txt`);
      const codec = sealedCodec(FORMAT);
      let seen = 0;
      /** What the reader saw that was not a whole entry of one write. */
      const partial: string[] = [];
      while (running) {
        let text: string | undefined;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          text = undefined; // not written yet
        }
        const entry = text === undefined ? undefined : codec.decode(KEY, text);
        if (text !== undefined) seen++;
        if (text !== undefined && entry?.body !== body(entry?.meta.writer as number, Number(entry?.body.split(':')[1])))
          partial.push(`${text.length} characters: ${text.slice(0, 80)}…`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(partial).toStrictEqual([]);
      expect(await exits).toStrictEqual(Array.from({ length: writers }, () => 0));
      expect(seen).toBeGreaterThan(0);
      const final = sealed(directory).get(KEY);
      expect(final).toBeDefined();
      expect(final!.body).toBe(body(final!.meta.writer as number, writes - 1));
      expect(readdirSync(directory)).toStrictEqual([`${KEY}.txt`]); // every temporary file renamed
    },
  );
});
