#!/usr/bin/env node
// Before `npm run synth`: synthesis validates custom resources against their CRD schemas from the schema location
// ($FLEET_SCHEMA_LOCATION, else .cache/schemas). Fetch the pinned files once when neither is there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!process.env.FLEET_SCHEMA_LOCATION && !existsSync(path.join(root, '.cache/schemas/crds'))) {
  const result = spawnSync('bash', [path.join(root, 'scripts/fetch-schemas.sh')], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('ERROR could not fetch the pinned schemas — fix: check network access, or set FLEET_SCHEMA_LOCATION to a folder with arm/ and crds/ (e.g. ../shared/schemas)\n');
    process.exit(1);
  }
}
