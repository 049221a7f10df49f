// Preloaded with `node --import` by the CLI startup test: registers record-resolve-hooks.mjs, which appends every
// module the ESM loader resolves (`<specifier>\t<url>`, one a line) to the file RECORD_RESOLVE names.
import { register } from 'node:module';

register('./record-resolve-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_RESOLVE } });
