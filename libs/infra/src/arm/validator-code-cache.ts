/**
 * On-disk cache of compiled ajv validators (ajv "standalone" code), so a process validating templates does not
 * compile the ARM schemas again: compiling them is most of what a `fleet validate` of 100 clusters spends on ARM.
 *
 * One file per key, `<directory>/<key>.cjs`: a header line (format, key, the exported names, the SHA-256 of the
 * body) and the body, the CommonJS module ajv generated. The key is a hash of everything the code depends on (the
 * schemas as ajv sees them, the ajv options, the refs and the ajv package versions), so a changed schema file,
 * transform or ajv version gets a new file. A file is used only when its header names this key and its body hashes
 * to the recorded digest; anything else (truncated, edited, another format) is rebuilt and rewritten, never trusted.
 * Writes are atomic (temporary file, then rename), so concurrent processes never read half a file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Bumped when the file layout or the way the body is evaluated changes. */
const CACHE_FORMAT = 'aks-fleet-ajv-standalone/1';
/** Files kept per directory (newest first): one per schema set × options in use, the rest are stale. */
const KEEP_FILES = 8;

const requireHere = createRequire(import.meta.url);

export type CompiledFunction = ((data: unknown) => boolean) & { errors?: unknown };

export interface CodeCacheEntry {
  /** The module body (CommonJS), as ajv's `standaloneCode` returns it. */
  readonly code: string;
  /** The names the module exports, each a validate function. */
  readonly names: readonly string[];
}

/** Versions of the packages whose code generator (and runtime helpers) the cached code comes from. */
export function ajvPackageVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of ['ajv', 'ajv-draft-04', 'ajv-formats']) {
    versions[name] = (requireHere(`${name}/package.json`) as { version: string }).version;
  }
  return versions;
}

/** The cache key of `inputs` (any JSON value describing everything the generated code depends on). */
export function cacheKey(inputs: unknown): string {
  return createHash('sha256')
    .update(CACHE_FORMAT)
    .update('\0')
    .update(JSON.stringify({ versions: ajvPackageVersions(), inputs }))
    .digest('hex');
}

const digest = (body: string): string => createHash('sha256').update(body).digest('hex');

interface Header {
  readonly format: string;
  readonly key: string;
  readonly names: readonly string[];
  readonly sha256: string;
}

/** The functions of a cache file, or undefined when it is missing, for another key, or not intact. */
function read(file: string, key: string): Record<string, CompiledFunction> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  if (newline < 0 || !text.startsWith('// ')) return undefined;
  let header: Header;
  try {
    header = JSON.parse(text.slice(3, newline)) as Header;
  } catch {
    return undefined;
  }
  const body = text.slice(newline + 1);
  if (
    header?.format !== CACHE_FORMAT ||
    header.key !== key ||
    !Array.isArray(header.names) ||
    header.sha256 !== digest(body)
  )
    return undefined;
  try {
    return evaluate(body, header.names);
  } catch {
    return undefined;
  }
}

/** Runs a module body and returns its exported validate functions; throws when one is missing. */
function evaluate(code: string, names: readonly string[]): Record<string, CompiledFunction> {
  const module = { exports: {} as Record<string, unknown> };
  // The generated code requires ajv's runtime helpers (and ajv-formats' formats) by package name.
  new Function('require', 'module', 'exports', code)(requireHere, module, module.exports);
  const functions: Record<string, CompiledFunction> = {};
  for (const name of names) {
    const exported = module.exports[name];
    if (typeof exported !== 'function') throw new Error(`compiled validator code does not export "${name}"`);
    functions[name] = exported as CompiledFunction;
  }
  return functions;
}

function write(directory: string, file: string, key: string, entry: CodeCacheEntry): void {
  const header: Header = { format: CACHE_FORMAT, key, names: entry.names, sha256: digest(entry.code) };
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(directory, { recursive: true });
    writeFileSync(temporary, `// ${JSON.stringify(header)}\n${entry.code}`);
    renameSync(temporary, file);
    prune(directory, file);
  } catch {
    // A cache that cannot be written (read-only checkout, full disk) only costs the next process the compile.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
  }
}

/** Removes all but the newest KEEP_FILES cache files (and temporary files older than a minute). */
function prune(directory: string, keep: string): void {
  const now = Date.now();
  const files = readdirSync(directory)
    .map((name) => path.join(directory, name))
    .map((file) => ({ file, mtime: statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? now }));
  for (const { file, mtime } of files) if (file.endsWith('.tmp') && now - mtime > 60_000) rmSync(file, { force: true });
  files
    .filter(({ file }) => file.endsWith('.cjs') && file !== keep)
    .sort((a, b) => b.mtime - a.mtime)
    .slice(KEEP_FILES - 1)
    .forEach(({ file }) => rmSync(file, { force: true }));
}

/**
 * The validate functions cached under `key` in `directory`; on a miss (or a file that fails its checks) `build` is
 * called, its functions are returned and its code is written for the next process.
 */
export function cachedValidators(
  directory: string,
  key: string,
  build: () => { entry: CodeCacheEntry; functions: Record<string, CompiledFunction> },
): Record<string, CompiledFunction> {
  const file = path.join(directory, `${key}.cjs`);
  const cached = read(file, key);
  if (cached) return cached;
  const { entry, functions } = build();
  write(directory, file, key, entry);
  return functions;
}
