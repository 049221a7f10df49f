/**
 * Loading a fleet from disk: one file (a whole `Fleet` document) or a fleet directory
 * (`fleet.yaml` plus one `clusters/<name>/cluster.yaml` per cluster, the form the embedded default uses so that
 * every cluster is its own nx project). The loader is strict: a file or folder it does not understand is an error,
 * never skipped, and every problem of every file is reported together.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { Described, FleetValidationError, formatPath, type FleetIssue } from './errors.ts';
import { parseFleet, type FleetSource } from './parse.ts';
import {
  CLUSTER_KIND,
  ClusterDocumentSchema,
  FLEET_API_VERSION,
  FLEET_KIND,
  FleetSchema,
  type Fleet,
} from './schema.ts';
import type { ShapeCheck } from './yaml-indentation.ts';
import { editDistance } from '@aks-fleet/util';
import { GivenNumber, readYamlFile } from './yaml-reader.ts';

export interface LoadedFleet {
  readonly fleet: Readonly<Fleet>;
  /** Every file the fleet was read from (absolute paths, sorted). */
  readonly files: readonly string[];
}

/** What a fleet directory may hold besides the clusters folder. */
const FLEET_FILE = 'fleet.yaml';
const CLUSTERS_FOLDER = 'clusters';
/** A cluster folder holds this file only (nx infers the cluster's project from it: tools/nx-plugins). */
const CLUSTER_FILE = 'cluster.yaml';

/** The envelope of a cluster document; its spec (less `region`) is checked as part of the fleet. */
const ClusterEnvelopeSchema = ClusterDocumentSchema.pick({ apiVersion: true, kind: true, metadata: true }).extend({
  spec: z.looseObject({ region: z.string() }),
});

/**
 * What a file should hold, for finding a mis-indented key (yaml-indentation.ts): the schema accepts the document
 * (`ignore`: issues that are not the file's, e.g. the clusters a fleet.yaml of a directory leaves to its cluster
 * files), and a document it refuses only for unknown fields or missing / non-mapping fields has another shape.
 */
function shapeOf(schema: z.ZodType, ignore: (issue: z.core.$ZodIssue) => boolean = () => false): ShapeCheck {
  const issues = (value: unknown) => (schema.safeParse(value).error?.issues ?? []).filter((issue) => !ignore(issue));
  return {
    accepts: (value) => issues(value).length === 0,
    misshapen: (value) => {
      const found = issues(value);
      return (
        found.length > 0 &&
        found.every(
          (issue) =>
            issue.code === 'unrecognized_keys' ||
            (issue.code === 'invalid_type' && (issue.expected === 'object' || issue.input === undefined)),
        )
      );
    },
  };
}

/** A fleet.yaml of a directory: its regions' clusters are in the cluster files. */
const FLEET_FILE_SHAPE = shapeOf(
  FleetSchema,
  (issue) => issue.path.length === 4 && issue.path[1] === 'regions' && issue.path[3] === 'clusters',
);
const FLEET_DOCUMENT_SHAPE = shapeOf(FleetSchema);
const CLUSTER_FILE_SHAPE = shapeOf(ClusterDocumentSchema);

/** The embedded fleet that ships with aks-fleet: the reference implementation's two regions. */
export function defaultFleetLocation(): string {
  // Resolved through the package (not this file's URL) so that it also holds when the CLI runs from a bundle.
  return path.join(
    path.dirname(createRequire(import.meta.url).resolve('@aks-fleet/fleet/package.json')),
    'default-fleet',
  );
}

/** Loads and parses a fleet file or fleet directory; throws `FleetValidationError` with every issue. */
export function loadFleet(location: string = defaultFleetLocation()): LoadedFleet {
  const absolute = path.resolve(location);
  if (!existsSync(absolute)) {
    throw new FleetValidationError([
      {
        path: '(document)',
        value: location,
        expected: 'an existing fleet file or fleet directory',
        fix: 'check the --fleet path',
        source: location,
      },
    ]);
  }
  const stat = statSync(absolute);
  if (stat.isDirectory()) return loadFleetDirectory(absolute, location);
  if (!stat.isFile()) {
    throw new FleetValidationError([
      {
        path: '(document)',
        value: new Described('not a regular file (a device, pipe or socket)'),
        expected: 'a fleet file or fleet directory',
        fix: `pass the fleet directory (or its ${FLEET_FILE}) to --fleet`,
        source: location,
      },
    ]);
  }
  const { value, issues, empty, written } = readYamlFile(absolute, location, formatPath, FLEET_DOCUMENT_SHAPE);
  if (empty) throw new FleetValidationError([emptyFile(location, FLEET_KIND)]);
  if (value === undefined) throw new FleetValidationError(issues);
  const other = otherKind(value, location);
  if (other) throw new FleetValidationError([...issues, other]);
  const source: FleetSource = { file: location, kind: 'fleet', ...(written ? { written } : {}) };
  return { fleet: parseFleet(value, new Map([['', source]]), issues), files: [absolute] };
}

/**
 * A document of another kind than Fleet (a cluster.yaml passed as the fleet, a Kubernetes manifest): one error, not
 * one per Fleet field it lacks. A kind a letter or two off (`Fleets`) is left to the schema, with the rest.
 */
function otherKind(document: unknown, file: string): FleetIssue | undefined {
  if (!isMapping(document) || typeof document.kind !== 'string' || document.kind === FLEET_KIND) return undefined;
  const cluster = document.kind.toLowerCase() === CLUSTER_KIND.toLowerCase();
  if (!cluster && editDistance(document.kind.toLowerCase(), FLEET_KIND.toLowerCase()) <= 2) return undefined;
  return {
    path: 'kind',
    value: document.kind,
    expected: `a ${FLEET_KIND} document (kind: ${FLEET_KIND})`,
    fix: cluster
      ? `this is a ${CLUSTER_KIND} document; pass the fleet directory (or its ${FLEET_FILE}) to --fleet`
      : `pass a fleet directory or fleet file to --fleet (a ${FLEET_KIND} document: apiVersion: ${FLEET_API_VERSION}, kind: ${FLEET_KIND})`,
    source: file,
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GivenNumber);
}

function isEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** What a fleet or cluster file must hold, for the error on an empty one. */
const DOCUMENT_CONTENT: Record<string, string> = {
  [FLEET_KIND]: `a ${FLEET_KIND} document: apiVersion: ${FLEET_API_VERSION}, kind: ${FLEET_KIND}, metadata.name and spec`,
  [CLUSTER_KIND]: `a ${CLUSTER_KIND} document: apiVersion: ${FLEET_API_VERSION}, kind: ${CLUSTER_KIND}, metadata.name (the folder name) and spec with region and the cluster's fields`,
};

/** `file` (shown as given) is empty. */
function emptyFile(file: string, kind: string): FleetIssue {
  return {
    path: '(document)',
    value: new Described('an empty file'),
    expected: DOCUMENT_CONTENT[kind]!,
    fix: `write the ${kind} document into ${path.basename(file)} (copy one from libs/fleet/default-fleet), or remove the file`,
    source: file,
  };
}

function unexpected(file: string, expected: string, fix: string): FleetIssue {
  return { path: '(document)', value: path.basename(file), expected, fix, source: file };
}

/** `directory` was given to --fleet as `given`: files in it are named from there (`given/clusters/…`). */
function loadFleetDirectory(directory: string, given: string): LoadedFleet {
  const shown = (file: string) => path.join(given, path.relative(directory, file));
  const fleetFile = path.join(directory, FLEET_FILE);
  if (!existsSync(fleetFile)) {
    throw new FleetValidationError([
      {
        path: '(document)',
        value: new Described(`no ${FLEET_FILE} in ${given}`),
        expected: `a fleet directory with a ${FLEET_FILE}`,
        fix: `create ${shown(fleetFile)}, or point --fleet at a fleet directory or fleet file`,
        source: given,
      },
    ]);
  }
  const issues: FleetIssue[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === FLEET_FILE && entry.isFile()) continue;
    if (entry.name === CLUSTERS_FOLDER && entry.isDirectory()) continue;
    issues.push(
      unexpected(
        shown(path.join(directory, entry.name)),
        `only ${FLEET_FILE} and ${CLUSTERS_FOLDER}/ in a fleet directory`,
        `remove ${entry.name}, or move a cluster to ${CLUSTERS_FOLDER}/<name>/${CLUSTER_FILE}`,
      ),
    );
  }

  const fleetShown = shown(fleetFile);
  const read = readYamlFile(fleetFile, fleetShown, formatPath, FLEET_FILE_SHAPE);
  issues.push(...(read.empty ? [emptyFile(fleetShown, FLEET_KIND)] : read.issues));
  const document = read.empty ? undefined : read.value;
  const spec = isMapping(document) && isMapping(document.spec) ? document.spec : undefined;
  const regions = spec && isMapping(spec.regions) ? spec.regions : undefined;
  const sources = new Map<string, FleetSource>([
    ['', { file: fleetShown, kind: 'fleet', ...(read.written ? { written: read.written } : {}) }],
  ]);
  /** Model paths an issue of a cluster file already accounts for. */
  const explained = new Set<string>();
  const files = [fleetFile];
  /** A cluster file could not be read or placed in a region. */
  let unplaced = false;

  const clustersDir = path.join(directory, CLUSTERS_FOLDER);
  const entries = existsSync(clustersDir)
    ? readdirSync(clustersDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    : [];
  for (const entry of entries) {
    const folder = path.join(clustersDir, entry.name);
    if (!entry.isDirectory()) {
      issues.push(
        unexpected(
          shown(folder),
          `only cluster folders in ${CLUSTERS_FOLDER}/`,
          `move it to ${CLUSTERS_FOLDER}/<name>/${CLUSTER_FILE} or remove it`,
        ),
      );
      continue;
    }
    const inside = readdirSync(folder, { withFileTypes: true });
    /** A cluster file under another name (cluster.yml, Cluster.yaml): renaming it is the one fix. */
    let misnamed = false;
    for (const item of inside) {
      if (item.name === CLUSTER_FILE && item.isFile()) continue;
      const renamable = /^cluster\.ya?ml$/i.test(item.name);
      misnamed ||= renamable;
      issues.push(
        unexpected(
          shown(path.join(folder, item.name)),
          `only ${CLUSTER_FILE} in a cluster folder`,
          renamable ? `rename ${item.name} to ${CLUSTER_FILE}` : `remove ${item.name}`,
        ),
      );
    }
    const file = path.join(folder, CLUSTER_FILE);
    if (!inside.some((item) => item.name === CLUSTER_FILE && item.isFile())) {
      if (!misnamed) {
        issues.push(
          unexpected(
            shown(folder),
            `a cluster folder with a ${CLUSTER_FILE}`,
            `add ${CLUSTERS_FOLDER}/${entry.name}/${CLUSTER_FILE} or remove the folder`,
          ),
        );
      }
      unplaced = true; // the region it names may well need it: nothing more is said about that region
      continue;
    }
    files.push(file);
    const clusterShown = shown(file);
    const cluster = readClusterFile(file, clusterShown, entry.name, issues);
    if (!cluster) {
      unplaced = true;
      continue;
    }
    if (!spec) continue;
    const { region: regionName, rest, written, misnamed: nameMismatch } = cluster;
    const region = regions && Object.hasOwn(regions, regionName) ? regions[regionName] : undefined;
    if (!isMapping(region)) {
      const known = regions ? Object.keys(regions).filter((name) => isMapping(regions[name])) : [];
      issues.push({
        path: 'spec.region',
        value: regionName,
        expected:
          region === undefined
            ? `a region defined in fleet.yaml (${known.join(', ') || 'none defined'})`
            : `a region whose value in fleet.yaml is a mapping (hub: …)`,
        fix:
          region === undefined
            ? `add spec.regions.${regionName} with its hub to ${fleetShown}, or correct spec.region`
            : `correct spec.regions.${regionName} in ${fleetShown}`,
        source: clusterShown,
      });
      unplaced = true;
      continue;
    }
    region.clusters ??= [];
    if (!Array.isArray(region.clusters)) continue; // reported by the fleet's schema
    const at = `regions.${regionName}.clusters[${region.clusters.length}]`;
    sources.set(at, { file: clusterShown, kind: 'cluster', ...(written ? { written } : {}) });
    // metadata.name differs from the folder name: that issue says it, not also "the name is used twice".
    if (nameMismatch) explained.add(`${at}.name`);
    region.clusters.push(rest);
  }
  // A region left without clusters: one issue, from the files' point of view. When a cluster file could not be
  // read or placed, that file's issue already explains it (the cluster may well belong there): nothing more is said.
  for (const [name, region] of regions ? Object.entries(regions) : []) {
    if (!isMapping(region) || (region.clusters !== undefined && !isEmptyArray(region.clusters))) continue;
    explained.add(`regions.${name}.clusters`);
    if (unplaced) continue;
    issues.push({
      path: `spec.regions.${name}.clusters`,
      value: undefined,
      expected: `at least one cluster in region ${name} (a ${CLUSTERS_FOLDER}/<name>/${CLUSTER_FILE} with spec.region: ${name})`,
      fix: `add ${CLUSTERS_FOLDER}/<name>/${CLUSTER_FILE} with spec.region: ${name}, or remove spec.regions.${name} from ${FLEET_FILE}`,
      source: fleetShown,
    });
  }
  if (document === undefined) throw new FleetValidationError(issues);
  return { fleet: parseFleet(document, sources, issues, explained), files: files.sort() };
}

/** Reads a Cluster document (`file`, shown as `shown`): its envelope is checked here, the cluster with the fleet. */
function readClusterFile(
  file: string,
  shown: string,
  folder: string,
  issues: FleetIssue[],
):
  | { region: string; rest: Record<string, unknown>; written?: ReadonlyMap<string, string>; misnamed: boolean }
  | undefined {
  const { value, issues: readIssues, empty, written } = readYamlFile(file, shown, formatPath, CLUSTER_FILE_SHAPE);
  if (empty) {
    issues.push(emptyFile(shown, CLUSTER_KIND));
    return undefined;
  }
  issues.push(...readIssues);
  if (value === undefined) return undefined;
  const envelope = ClusterEnvelopeSchema.safeParse(value, { reportInput: true });
  if (!envelope.success) {
    for (const issue of envelope.error.issues) {
      const input = (issue as { input?: unknown }).input;
      const where = formatPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        // One issue per key, at the key: a field of the cluster belongs under spec.
        for (const key of issue.keys) {
          const path = formatPath([...issue.path, key]);
          const field = Object.hasOwn(ClusterDocumentSchema.shape.spec.shape, key);
          issues.push({
            path,
            value: (input as Record<string, unknown> | undefined)?.[key],
            expected: 'no such field (unknown field)',
            fix: field
              ? `move ${key} under spec: (indented like the other fields of spec)`
              : `remove "${key}" or correct its spelling (a ${CLUSTER_KIND} document has apiVersion, kind, metadata and spec)`,
            source: shown,
          });
        }
        continue;
      }
      issues.push({
        path: where,
        value: input,
        expected: issue.message.replace(/^Invalid input: expected /, ''),
        fix:
          issue.code === 'invalid_value'
            ? `set ${where}: ${JSON.stringify(issue.values[0])}`
            : input === undefined
              ? `add ${where}`
              : `correct ${where} in the ${CLUSTER_KIND} document`,
        source: shown,
      });
    }
    return undefined;
  }
  const { metadata, spec } = envelope.data;
  if (metadata.name !== folder) {
    issues.push({
      path: 'metadata.name',
      value: metadata.name,
      expected: `the folder name "${folder}"`,
      fix: `rename the folder or set metadata.name: ${folder}`,
      source: shown,
    });
  }
  // From the document itself (null-prototype), not the envelope's output: zod drops a `__proto__` key silently.
  const rest = Object.create(null) as Record<string, unknown>;
  rest.name = metadata.name;
  for (const [key, child] of Object.entries((value as { spec: Record<string, unknown> }).spec)) {
    if (key !== 'region') rest[key] = child;
  }
  return { region: spec.region, rest, misnamed: metadata.name !== folder, ...(written ? { written } : {}) };
}
