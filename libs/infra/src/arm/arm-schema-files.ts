/**
 * The ARM schema folder inside the schema location (`<location>/arm/<apiVersion>/<file>.json`), mirroring
 * `https://schema.management.azure.com/schemas/`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_LOCATION_ENV } from '@aks-fleet/util';

/** Canonical URL prefix of the ARM schemas: `arm/<rel>` locally is `<ARM_SCHEMA_BASE><rel>` upstream. */
export const ARM_SCHEMA_BASE = 'https://schema.management.azure.com/schemas/';

export class SchemaLocationError extends Error {
  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(
      `no ARM schemas at ${location} (${reason}); expected a folder with arm/2019-04-01/deploymentTemplate.json and the provider schemas — ` +
        `fix: run scripts/fetch-schemas.sh (downloads them into .cache/schemas) or set ${SCHEMA_LOCATION_ENV} to a folder laid out like it (crds/ and arm/, e.g. a copy of a filled .cache/schemas)`,
    );
    this.name = 'SchemaLocationError';
  }
}

/** Every `*.json` file under `<location>/arm`, as paths relative to `arm/` with forward slashes, sorted. */
export function listArmSchemaFiles(location: string): string[] {
  const arm = path.join(location, 'arm');
  if (!existsSync(arm) || !statSync(arm).isDirectory())
    throw new SchemaLocationError(location, 'the arm/ folder is missing');
  const out: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(arm, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.json')) out.push(child);
    }
  };
  walk('');
  if (!out.includes('2019-04-01/deploymentTemplate.json'))
    throw new SchemaLocationError(location, 'arm/2019-04-01/deploymentTemplate.json is missing');
  return out.sort();
}
