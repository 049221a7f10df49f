import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The e2e suite drives real control planes: one worker, one file at a time, scenarios in order, long timeouts.
// Not part of the root vitest.config.ts (npm test stays fast); run it with `npm run test:e2e`.
export default defineConfig({
  // Keep vite's cache out of the package folder.
  cacheDir: fileURLToPath(new URL('../../.cache/vitest-e2e', import.meta.url)),
  test: {
    name: 'e2e',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    sequence: { concurrent: false, shuffle: false },
    testTimeout: 240_000,
    hookTimeout: 420_000,
    teardownTimeout: 120_000,
  },
});
