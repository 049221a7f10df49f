import { defineConfig } from 'vitest/config';

// One vitest project per workspace package (named after its nx project), run together by `npm test`.
// Timeouts are generous: CI machines have 2 cores, and nothing here is a timing test (benchmarks are scripts).
const GENEROUS = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'util', root: 'libs/util', include: ['src/**/*.test.ts'], ...GENEROUS } },
      { test: { name: 'fleet', root: 'libs/fleet', include: ['src/**/*.test.ts'], ...GENEROUS } },
      { test: { name: 'constructs', root: 'libs/constructs', include: ['src/**/*.test.ts'], ...GENEROUS } },
      { test: { name: 'cluster-app', root: 'libs/cluster-app', include: ['src/**/*.test.ts'], ...GENEROUS } },
      { test: { name: 'synth', root: 'libs/synth', include: ['src/**/*.test.ts'], ...GENEROUS } },
      { test: { name: 'gate', root: 'libs/gate', include: ['src/**/*.test.ts'], ...GENEROUS } },
      { test: { name: 'infra', root: 'libs/infra', include: ['src/**/*.test.ts'], ...GENEROUS } },
      { test: { name: 'rollout', root: 'libs/rollout', include: ['src/**/*.test.ts'], ...GENEROUS } },
      { test: { name: 'fleet-cli', root: 'apps/fleet-cli', include: ['src/**/*.test.ts'], ...GENEROUS } },
      {
        test: {
          name: 'workspace',
          root: 'libs/workspace-tests',
          include: ['src/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
