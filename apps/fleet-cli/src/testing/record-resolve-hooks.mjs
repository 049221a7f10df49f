// Module resolution hooks (node:module register) of record-resolve.mjs: they run on the loader's own thread, so
// they write each resolution to the record file as it happens.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data?.file;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (file) appendFileSync(file, `${specifier}\t${resolved.url}\n`);
  return resolved;
}
