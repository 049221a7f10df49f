/**
 * A folder of content-addressed cache entries, one file per key: `<directory>/<key><extension>`. The key is a hash of
 * everything the entry depends on (contentHash), so changed inputs get a new entry and an entry never needs
 * invalidating. An entry is used only when its codec decodes it as intact for its key: anything else (truncated,
 * edited, written for another key or format) is a miss, never trusted. Writes are atomic (a temporary file, then a
 * rename), so a reader or a concurrent writer never sees half an entry. After a write the folder keeps the newest
 * `keep` entries. Everything is best effort: a cache that cannot be read or written only costs a rebuild.
 *
 * Used by the compiled ARM validators (libs/infra validator-code-cache.ts) and the record of passed kustomize builds
 * (libs/gate kustomize-build-cache.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** How long a temporary file may exist before a prune removes it (its writer died between write and rename). */
const TEMPORARY_LIFETIME_MS = 60_000;
const TEMPORARY_SUFFIX = '.tmp';

/** SHA-256 (hex) of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** SHA-256 (hex) of `format`, a NUL, then each part in order: the key of everything an entry depends on. */
export function contentHash(format: string, parts: Iterable<string | Uint8Array>): string {
  const hash = createHash('sha256').update(format).update('\0');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/** How an entry is written to its file, and read back only when intact. */
export interface EntryCodec<T> {
  encode(key: string, value: T): string;
  /** The entry in `text`, or undefined when it is not intact for `key` (a miss). */
  decode(key: string, text: string): T | undefined;
}

export interface ContentCacheOptions<T> {
  readonly codec: EntryCodec<T>;
  /** Entries kept after a write: beyond this, the oldest ones not in use are removed. */
  readonly keep: number;
  /** File name suffix of an entry, e.g. `.cjs`. @default '' */
  readonly extension?: string;
}

export class ContentCache<T> {
  readonly directory: string;
  readonly #codec: EntryCodec<T>;
  readonly #keep: number;
  readonly #extension: string;

  constructor(directory: string, options: ContentCacheOptions<T>) {
    this.directory = directory;
    this.#codec = options.codec;
    this.#keep = options.keep;
    this.#extension = options.extension ?? '';
  }

  /** The entry of `key`, or undefined when there is none or it is not intact. */
  get(key: string): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.#file(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      return this.#codec.decode(key, text);
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the entries (each atomically), then prunes the folder to the newest `keep` entries, sparing the ones
   * just written and `inUse` (keys the current run relies on). Returns false when something could not be written.
   */
  put(entries: Iterable<readonly [key: string, value: T]>, inUse: ReadonlySet<string> = new Set()): boolean {
    const written = new Set<string>();
    try {
      mkdirSync(this.directory, { recursive: true });
      for (const [key, value] of entries) {
        writeAtomically(this.#file(key), this.#codec.encode(key, value));
        written.add(key);
      }
      this.#prune((key) => written.has(key) || inUse.has(key));
      return true;
    } catch {
      return false;
    }
  }

  #file(key: string): string {
    return path.join(this.directory, `${key}${this.#extension}`);
  }

  /** Removes the oldest entries beyond `keep` that are not spared, and temporary files older than their lifetime. */
  #prune(spared: (key: string) => boolean): void {
    const now = Date.now();
    const mtime = (name: string) => statSync(path.join(this.directory, name), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const names = readdirSync(this.directory);
    for (const name of names.filter((n) => n.endsWith(TEMPORARY_SUFFIX)))
      if (now - mtime(name) > TEMPORARY_LIFETIME_MS) rmSync(path.join(this.directory, name), { force: true });
    const entries = names.filter((n) => n.endsWith(this.#extension) && !n.endsWith(TEMPORARY_SUFFIX));
    if (entries.length <= this.#keep) return;
    entries
      .filter((name) => !spared(name.slice(0, name.length - this.#extension.length)))
      .map((name) => ({ name, mtime: mtime(name) }))
      .sort((a, b) => a.mtime - b.mtime)
      .slice(0, entries.length - this.#keep)
      .forEach(({ name }) => rmSync(path.join(this.directory, name), { force: true }));
  }
}

/** Writes `content` to a temporary file beside `file`, then renames it over `file`: all of it, or nothing. */
function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}-${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** An entry of the sealed layout: the body and the metadata its header carries. */
export interface SealedEntry {
  readonly body: string;
  /** Fields of the header besides `format`, `key` and `sha256`. */
  readonly meta: Readonly<Record<string, unknown>>;
}

/**
 * The sealed layout: a header line `// {"format":…,"key":…,…meta,"sha256":…}`, then the body. Decoded only when the
 * header names `format` and the key, and the body hashes to its `sha256`.
 */
export function sealedCodec(format: string): EntryCodec<SealedEntry> {
  return {
    encode: (key, { body, meta }) => `// ${JSON.stringify({ format, key, ...meta, sha256: sha256(body) })}\n${body}`,
    decode: (key, text) => {
      const newline = text.indexOf('\n');
      if (newline < 0 || !text.startsWith('// ')) return undefined;
      const header = JSON.parse(text.slice(3, newline)) as unknown;
      if (!header || typeof header !== 'object' || Array.isArray(header)) return undefined;
      const { format: written, key: writtenKey, sha256: digest, ...meta } = header as Record<string, unknown>;
      const body = text.slice(newline + 1);
      if (written !== format || writtenKey !== key || digest !== sha256(body)) return undefined;
      return { body, meta };
    },
  };
}

/** A record that something passed: the file holds its key, nothing else (other content is not trusted). */
export const keyRecordCodec: EntryCodec<true> = {
  encode: (key) => key,
  decode: (key, text) => (text === key ? true : undefined),
};
