/**
 * Loading a fleet from disk: one file (a whole `Fleet` document) or a fleet directory
 * (`fleet.yaml` plus one `clusters/<name>/cluster.yaml` per cluster, the form the embedded default uses so that
 * every cluster is its own nx project).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseDocument } from 'yaml';
import { FleetValidationError, formatPath, type FleetIssue } from './errors.ts';
import { parseFleet } from './parse.ts';
import { CLUSTER_KIND, ClusterDocumentSchema, type Fleet } from './schema.ts';

export interface LoadedFleet {
  readonly fleet: Readonly<Fleet>;
  /** Every file the fleet was read from (absolute paths, sorted). */
  readonly files: readonly string[];
}

/** The fleet that ships with aks-fleet: the reference implementation's two regions. */
export function defaultFleetLocation(): string {
  // Resolved through the package (not this file's URL) so that it also holds when the CLI runs from a bundle.
  return path.join(path.dirname(createRequire(import.meta.url).resolve('@aks-fleet/fleet/package.json')), 'default-fleet');
}

/** Loads and parses a fleet file or fleet directory; throws `FleetValidationError` with every issue. */
export function loadFleet(location: string = defaultFleetLocation()): LoadedFleet {
  const absolute = path.resolve(location);
  if (!existsSync(absolute)) {
    throw new FleetValidationError([
      { path: '(document)', value: location, expected: 'an existing fleet file or fleet directory', fix: 'check the --fleet path', source: location },
    ]);
  }
  if (statSync(absolute).isDirectory()) return loadFleetDirectory(absolute);
  const document = readYaml(absolute);
  return { fleet: parseFleet(document, new Map([['', relative(absolute)]])), files: [absolute] };
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function readYaml(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    const issues: FleetIssue[] = document.errors.map((error) => ({
      path: '(document)',
      value: error.linePos ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : error.code,
      expected: 'valid YAML',
      fix: error.message.split('\n')[0] ?? error.message,
      source: relative(file),
    }));
    throw new FleetValidationError(issues);
  }
  return document.toJS();
}

function loadFleetDirectory(directory: string): LoadedFleet {
  const fleetFile = path.join(directory, 'fleet.yaml');
  if (!existsSync(fleetFile)) {
    throw new FleetValidationError([
      { path: '(document)', value: directory, expected: 'a fleet directory with a fleet.yaml', fix: 'create fleet.yaml or point --fleet at a fleet file', source: relative(directory) },
    ]);
  }
  const document = readYaml(fleetFile) as { spec?: { regions?: Record<string, { clusters?: unknown[] }> } } | null;
  const sources = new Map<string, string>([['', relative(fleetFile)]]);
  const files = [fleetFile];
  const issues: FleetIssue[] = [];

  const clustersDir = path.join(directory, 'clusters');
  const clusterFolders = existsSync(clustersDir)
    ? readdirSync(clustersDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
    : [];

  const regions = document?.spec?.regions;
  for (const folder of clusterFolders) {
    const file = path.join(clustersDir, folder, 'cluster.yaml');
    if (!existsSync(file)) continue;
    files.push(file);
    const parsed = ClusterDocumentSchema.safeParse(readYaml(file), { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const input = (issue as { input?: unknown }).input;
        issues.push({ path: formatPath(issue.path), value: input, expected: issue.message.replace(/^Invalid input: expected /, ''), fix: `correct ${formatPath(issue.path)} in the ${CLUSTER_KIND} document`, source: relative(file) });
      }
      continue;
    }
    const { metadata, spec } = parsed.data;
    if (metadata.name !== folder) {
      issues.push({ path: 'metadata.name', value: metadata.name, expected: `the folder name "${folder}"`, fix: `rename the folder or set metadata.name: ${folder}`, source: relative(file) });
      continue;
    }
    const region = regions?.[spec.region];
    if (!regions || !region) {
      issues.push({
        path: 'spec.region',
        value: spec.region,
        expected: `a region defined in fleet.yaml (${Object.keys(regions ?? {}).join(', ') || 'none defined'})`,
        fix: `add regions.${spec.region} with its hub to fleet.yaml, or correct spec.region`,
        source: relative(file),
      });
      continue;
    }
    const { region: _region, ...rest } = spec;
    region.clusters ??= [];
    sources.set(`regions.${spec.region}.clusters[${region.clusters.length}]`, relative(file));
    region.clusters.push({ name: metadata.name, ...rest });
  }
  if (issues.length > 0) throw new FleetValidationError(issues);
  return { fleet: parseFleet(document, sources), files: files.sort() };
}
