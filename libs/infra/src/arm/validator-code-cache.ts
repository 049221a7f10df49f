/**
 * On-disk cache of compiled ajv validators (ajv "standalone" code), so a process validating templates does not
 * compile the ARM schemas again: compiling them is most of what a `fleet validate` of 100 clusters spends on ARM.
 *
 * One file per key, `<directory>/<key>.cjs`, in the sealed layout of the content cache (@aks-fleet/util
 * content-cache.ts): a header line (format, key, the exported names, the SHA-256 of the body) and the body, the
 * CommonJS module ajv generated. The key is a hash of everything the code depends on (the schemas as ajv sees them,
 * the ajv options, the refs and the ajv package versions), so a changed schema file, transform or ajv version gets a
 * new file. A file is used only when its header names this key and its body hashes to the recorded digest and runs;
 * anything else (truncated, edited, another format) is rebuilt and rewritten, never trusted. Writes are atomic
 * (temporary file, then rename), so concurrent processes never read half a file.
 */
import { createRequire } from 'node:module';
import { contentHash, ContentCache, sealedCodec } from '@aks-fleet/util';

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
  return contentHash(CACHE_FORMAT, [JSON.stringify({ versions: ajvPackageVersions(), inputs })]);
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

/**
 * The validate functions cached under `key` in `directory`; on a miss (or a file that fails its checks) `build` is
 * called, its functions are returned and its code is written for the next process.
 */
export function cachedValidators(
  directory: string,
  key: string,
  build: () => { entry: CodeCacheEntry; functions: Record<string, CompiledFunction> },
): Record<string, CompiledFunction> {
  const cache = new ContentCache(directory, { codec: sealedCodec(CACHE_FORMAT), keep: KEEP_FILES, extension: '.cjs' });
  const cached = cache.get(key);
  const names = cached?.meta.names;
  if (cached && Array.isArray(names)) {
    try {
      return evaluate(cached.body, names as string[]);
    } catch {
      // not a module that exports these functions: rebuilt below
    }
  }
  const { entry, functions } = build();
  // A cache that cannot be written (read-only checkout, full disk) only costs the next process the compile.
  cache.put([[key, { body: entry.code, meta: { names: entry.names } }]]);
  return functions;
}
