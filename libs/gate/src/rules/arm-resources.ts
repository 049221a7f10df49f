/** Reading the synthesized ARM templates for the deploy rules: resources with their file, and resource-id parts. */
import type { GateContext } from '../rule.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ArmResource {
  readonly type?: string;
  readonly name?: string;
  readonly location?: string;
  readonly scope?: string;
  readonly kind?: string;
  readonly sku?: JsonObject;
  readonly properties?: JsonObject;
  readonly resources?: ArmResource[];
}

export interface FileResource {
  readonly file: string;
  readonly resource: ArmResource;
}

/** Every resource of every template (nested deployments and child resources included), with its file. */
export function armResources(context: GateContext): FileResource[] {
  const out: FileResource[] = [];
  const walk = (file: string, list: readonly ArmResource[] | undefined) => {
    for (const resource of list ?? []) {
      out.push({ file, resource });
      walk(file, resource.resources);
      const nested = (resource.properties?.template as { resources?: ArmResource[] } | undefined)?.resources;
      walk(file, nested);
    }
  };
  for (const [file, template] of context.infrastructure?.templates ?? []) {
    walk(file, (template as { resources?: ArmResource[] }).resources);
  }
  return out;
}

export const isType = (resource: ArmResource, type: string): boolean =>
  resource.type?.toLowerCase() === type.toLowerCase();

/**
 * Indexes of one resource list, built on first use: the deploy rules look things up per cluster or per origin, and a
 * scan of every resource each time made a 1000-cluster fleet quadratic (minutes of `fleet validate`).
 */
interface ResourceIndex {
  byType?: Map<string | undefined, FileResource[]>;
  byFile?: Map<string, FileResource[]>;
  byCluster?: Map<string | undefined, FileResource[]>;
}
const indexes = new WeakMap<readonly FileResource[], ResourceIndex>();

function indexOf(resources: readonly FileResource[]): ResourceIndex {
  let index = indexes.get(resources);
  if (!index) indexes.set(resources, (index = {}));
  return index;
}

function groupBy<K>(resources: readonly FileResource[], key: (entry: FileResource) => K): Map<K, FileResource[]> {
  const groups = new Map<K, FileResource[]>();
  for (const entry of resources) {
    const k = key(entry);
    const group = groups.get(k);
    if (group) group.push(entry);
    else groups.set(k, [entry]);
  }
  return groups;
}

/** The resources of a type (any casing, as ARM matches types), in their order. */
export function ofType(resources: readonly FileResource[], type: string): FileResource[] {
  const index = indexOf(resources);
  index.byType ??= groupBy(resources, ({ resource }) => resource.type?.toLowerCase());
  return [...(index.byType.get(type.toLowerCase()) ?? [])];
}

/** The resources of one template file, in their order. */
export function inFile(resources: readonly FileResource[], file: string): FileResource[] {
  const index = indexOf(resources);
  index.byFile ??= groupBy(resources, (entry) => entry.file);
  return [...(index.byFile.get(file) ?? [])];
}

/** The resources of one cluster's templates (`infrastructure/clusters/<cluster>/…`), in their order. */
export function ofCluster(resources: readonly FileResource[], cluster: string): FileResource[] {
  const index = indexOf(resources);
  index.byCluster ??= groupBy(resources, (entry) => clusterOfFile(entry.file));
  return [...(index.byCluster.get(cluster) ?? [])];
}

/** The last name segment of a `resourceId(…, '<type>', …, '<name>')` expression of the given type, if it is one. */
export function nameInResourceId(expression: unknown, type: string): string | undefined {
  if (typeof expression !== 'string') return undefined;
  const at = expression.toLowerCase().indexOf(`'${type.toLowerCase()}'`);
  if (at < 0) return undefined;
  const names = [...expression.slice(at + type.length + 2).matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  const segments = type.split('/').length - 1;
  return names[segments - 1];
}

/** The cluster a template belongs to (`infrastructure/clusters/<cluster>/…`), if any. */
export function clusterOfFile(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'infrastructure' && parts[1] === 'clusters' ? parts[2] : undefined;
}

/** Every object in a JSON tree (depth first), with the path to it. */
export function* objectsIn(node: Json | undefined, path = ''): Generator<{ path: string; value: JsonObject }> {
  if (Array.isArray(node)) {
    for (const [index, child] of node.entries()) yield* objectsIn(child, `${path}[${index}]`);
  } else if (node && typeof node === 'object') {
    yield { path, value: node };
    for (const [key, child] of Object.entries(node)) yield* objectsIn(child, path ? `${path}.${key}` : key);
  }
}

/** The value at a path of object keys, if every step is an object. */
export function field(node: Json | undefined, ...path: readonly string[]): Json | undefined {
  let at: Json | undefined = node;
  for (const key of path) at = at && typeof at === 'object' && !Array.isArray(at) ? at[key] : undefined;
  return at;
}

/** The objects of the array at a path (none when it is missing or not an array). */
export function list(node: Json | undefined, ...path: readonly string[]): JsonObject[] {
  const at = field(node, ...path);
  return Array.isArray(at) ? at.filter((x): x is JsonObject => !!x && typeof x === 'object' && !Array.isArray(x)) : [];
}

/** The strings of the array at a path. */
export function strings(node: Json | undefined, ...path: readonly string[]): string[] {
  const at = field(node, ...path);
  return Array.isArray(at) ? at.filter((x): x is string => typeof x === 'string') : [];
}

/** A resource as a JSON node, for field/list/strings. */
export const json = (resource: ArmResource): Json => resource as unknown as Json;
