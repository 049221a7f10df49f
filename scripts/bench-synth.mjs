#!/usr/bin/env node
// Runs the synthesis benchmark (libs/cluster-app/src/bench/bench-synth.ts) with tsx. Arguments: fleet sizes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'libs/cluster-app/src/bench/bench-synth.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
