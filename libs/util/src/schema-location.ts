/**
 * Where the official schemas (ARM, CRDs) are read from: `$FLEET_SCHEMA_LOCATION` (a folder laid out like the schemas'
 * SOURCES.md: `arm/<apiVersion>/<file>.json`, `crds/…`), else `<repo root>/.cache/schemas`, which
 * `scripts/fetch-schemas.sh` fills from the canonical URLs. The schemas are never copied into the repository.
 */
import path from 'node:path';
import { createRequire } from 'node:module';

export const SCHEMA_LOCATION_ENV = 'FLEET_SCHEMA_LOCATION';

/** Repository root (libs/util → ../..), resolved through the package so it also holds inside the CLI bundle. */
export function repositoryRoot(): string {
  return path.resolve(path.dirname(createRequire(import.meta.url).resolve('@aks-fleet/util/package.json')), '../..');
}

export function defaultSchemaLocation(): string {
  return path.join(repositoryRoot(), '.cache', 'schemas');
}

/** The schema folder to use: the environment variable wins over the cache folder. */
export function schemaLocation(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[SCHEMA_LOCATION_ENV];
  return configured && configured.trim() !== '' ? path.resolve(configured) : defaultSchemaLocation();
}
