/**
 * Where the official ARM schemas are read from: `$FLEET_SCHEMA_LOCATION` (a folder laid out like the schemas'
 * SOURCES.md: `arm/<apiVersion>/<file>.json`, `crds/…`), else `<repo root>/.cache/schemas`, which
 * `scripts/fetch-schemas.sh` fills from the canonical URLs. The schemas are never copied into the repository.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const SCHEMA_LOCATION_ENV = 'FLEET_SCHEMA_LOCATION';

/** Canonical URL prefix of the ARM schemas: `arm/<rel>` locally is `<ARM_SCHEMA_BASE><rel>` upstream. */
export const ARM_SCHEMA_BASE = 'https://schema.management.azure.com/schemas/';

/** Repository root (libs/infra → ../..), resolved through the package so it also holds inside the CLI bundle. */
export function repositoryRoot(): string {
  return path.resolve(path.dirname(createRequire(import.meta.url).resolve('@aks-fleet/infra/package.json')), '../..');
}

export function defaultSchemaLocation(): string {
  return path.join(repositoryRoot(), '.cache', 'schemas');
}

/** The schema folder to use: the environment variable wins over the cache folder. */
export function schemaLocation(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[SCHEMA_LOCATION_ENV];
  return configured && configured.trim() !== '' ? path.resolve(configured) : defaultSchemaLocation();
}

export class SchemaLocationError extends Error {
  constructor(readonly location: string, reason: string) {
    super(
      `no ARM schemas at ${location} (${reason}); expected a folder with arm/2019-04-01/deploymentTemplate.json and the provider schemas — ` +
        `fix: run scripts/fetch-schemas.sh (downloads them into .cache/schemas) or set ${SCHEMA_LOCATION_ENV} to a folder laid out like it (e.g. ${SCHEMA_LOCATION_ENV}=../shared/schemas)`,
    );
    this.name = 'SchemaLocationError';
  }
}

/** Every `*.json` file under `<location>/arm`, as paths relative to `arm/` with forward slashes, sorted. */
export function listArmSchemaFiles(location: string): string[] {
  const arm = path.join(location, 'arm');
  if (!existsSync(arm) || !statSync(arm).isDirectory()) throw new SchemaLocationError(location, 'the arm/ folder is missing');
  const out: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(arm, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.json')) out.push(child);
    }
  };
  walk('');
  if (!out.includes('2019-04-01/deploymentTemplate.json')) throw new SchemaLocationError(location, 'arm/2019-04-01/deploymentTemplate.json is missing');
  return out.sort();
}
