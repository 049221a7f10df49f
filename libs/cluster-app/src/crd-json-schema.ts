/**
 * Validation of custom resources against their CRD's schema, offline: a CRD version's `openAPIV3Schema` (a
 * structural OpenAPI v3.0 schema with Kubernetes extensions) converted to JSON Schema draft-07 and compiled with ajv.
 *
 * The conversion keeps what the API server checks structurally and makes unknown fields an error, as the API server
 * prunes them (silently losing them is worse than failing at synthesis):
 * - `additionalProperties: false` wherever a schema lists `properties`, unless it sets `additionalProperties` or
 *   `x-kubernetes-preserve-unknown-fields: true`;
 * - `x-kubernetes-int-or-string` → integer or string; `nullable` → the type or null; OpenAPI's boolean
 *   `exclusiveMinimum`/`exclusiveMaximum` → draft-07's numeric form; `x-kubernetes-list-type: set` → `uniqueItems`;
 * - dropped: `x-kubernetes-validations` (CEL rules are not evaluated here), list-map keys, map types, embedded-resource
 *   markers, and documentation-only keywords. Unknown `format`s are accepted, as the API server ignores them.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

type JsonSchema = Record<string, unknown>;

/** JSON Schema keywords carried over as they are (after their sub-schemas are converted). */
const KEPT = new Set([
  'type',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'format',
  'default',
  'description',
  'title',
]);
const SCHEMA_LISTS = ['anyOf', 'allOf', 'oneOf'] as const;

/** Formats ajv-formats knows; any other `format` is registered as accept-all. */
const KNOWN_FORMATS = new Set([
  'date',
  'time',
  'date-time',
  'iso-time',
  'iso-date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'json-pointer-uri-fragment',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Converts one openAPIV3Schema node (recursively); `formats` collects the format names met. */
export function openApiToJsonSchema(node: unknown, formats: Set<string> = new Set()): JsonSchema {
  if (!isObject(node)) return {};
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (KEPT.has(key)) out[key] = value;
  }
  if (typeof node.format === 'string') formats.add(node.format);

  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  for (const [bound, flag] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (node[flag] === true && typeof node[bound] === 'number') {
      out[flag] = node[bound];
      delete out[bound];
    }
  }
  if (node['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;

  if (isObject(node.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([name, child]) => [name, openApiToJsonSchema(child, formats)]),
    );
  }
  if (isObject(node.items)) out.items = openApiToJsonSchema(node.items, formats);
  if (isObject(node.additionalProperties))
    out.additionalProperties = openApiToJsonSchema(node.additionalProperties, formats);
  else if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (isObject(node.properties) && node['x-kubernetes-preserve-unknown-fields'] !== true)
    out.additionalProperties = false;
  for (const list of SCHEMA_LISTS) {
    if (Array.isArray(node[list]))
      out[list] = (node[list] as unknown[]).map((child) => openApiToJsonSchema(child, formats));
  }
  if (isObject(node.not)) out.not = openApiToJsonSchema(node.not, formats);
  return out;
}

/** One served, non-deprecated version of a CRD: `apiVersion/kind` and its JSON Schema. */
export interface CrdVersionSchema {
  /** `<group>/<version>/<kind>`, the key `synthesize({ validators })` uses. */
  readonly key: string;
  readonly crd: string;
  readonly schema: JsonSchema;
}

/** Every served, non-deprecated version of every CRD in a YAML text (one or more documents). */
export function crdVersionSchemas(yamlText: string, source: string): CrdVersionSchema[] {
  const out: CrdVersionSchema[] = [];
  for (const document of parseAllDocuments(yamlText)) {
    if (document.errors.length > 0) throw new Error(`${source}: not valid YAML: ${document.errors[0]!.message}`);
    const crd = document.toJS() as unknown;
    if (!isObject(crd) || crd.kind !== 'CustomResourceDefinition') continue;
    const spec = crd.spec as
      { group?: string; names?: { kind?: string }; versions?: Array<Record<string, unknown>> } | undefined;
    const name = (crd.metadata as { name?: string } | undefined)?.name ?? '(unnamed)';
    if (!spec?.group || !spec.names?.kind)
      throw new Error(`${source}: CRD ${name} has no spec.group or spec.names.kind`);
    for (const version of spec.versions ?? []) {
      if (version.served !== true || version.deprecated === true) continue;
      const openApi = (version.schema as { openAPIV3Schema?: unknown } | undefined)?.openAPIV3Schema;
      if (!isObject(openApi))
        throw new Error(`${source}: CRD ${name} version ${String(version.name)} has no openAPIV3Schema`);
      out.push({
        key: `${spec.group}/${String(version.name)}/${spec.names.kind}`,
        crd: `${name} ${String(version.name)}`,
        schema: openApiToJsonSchema(openApi),
      });
    }
  }
  return out;
}

/** Formats an ajv error as `field.path: message`. */
function describe(error: ErrorObject): string {
  const path = error.instancePath === '' ? '(object)' : error.instancePath.slice(1).replace(/\//g, '.');
  if (error.keyword === 'additionalProperties')
    return `${path}: unknown field "${String(error.params.additionalProperty)}" (the API server would drop it)`;
  if (error.keyword === 'enum')
    return `${path}: ${error.message} (${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  return `${path}: ${error.message}`;
}

/** Compiles a CRD version's JSON Schema into a function returning one message per problem (empty when valid). */
export function compileCrdSchema(version: CrdVersionSchema): (object: unknown) => string[] {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
  });
  addFormats(ajv);
  const formats = new Set<string>();
  collectFormats(version.schema, formats);
  for (const format of formats) if (!KNOWN_FORMATS.has(format)) ajv.addFormat(format, true);
  const validate: ValidateFunction = ajv.compile(version.schema);
  return (object) =>
    validate(object) ? [] : (validate.errors ?? []).map((error) => `schema (CRD ${version.crd}): ${describe(error)}`);
}

function collectFormats(schema: unknown, formats: Set<string>): void {
  if (Array.isArray(schema)) schema.forEach((item) => collectFormats(item, formats));
  else if (isObject(schema)) {
    if (typeof schema.format === 'string') formats.add(schema.format);
    Object.values(schema).forEach((value) => collectFormats(value, formats));
  }
}
