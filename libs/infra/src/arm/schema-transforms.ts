/**
 * In-memory fixes applied to the official ARM schemas before ajv sees them (the files on disk are never changed).
 * Each one answers a documented quirk of the schemas (SOURCES.md "Validator quirks", infrastructure-as-code.md §4.3):
 *
 * - ARM expressions: `oneOf: [<literal>, <expression>]` fails when both branches match (e.g. `"[guid(...)]"` against
 *   a name pattern), so those `oneOf`s become `anyOf`; string `pattern`s also accept an expression, so an
 *   expression string is valid for any value.
 * - Cdn: `allOf: [{additionalProperties: false, properties: {type|name}}, {oneOf: [...]}]` rejects every real
 *   security policy / rule action; that `additionalProperties: false` is dropped.
 * - Insights: the data collection stream enums are extensible upstream but closed in the schema
 *   (extendDataCollectionStreams).
 * - Strict mode: the schemas never set `additionalProperties: false`, so a misspelled property passes. Strict adds
 *   it to every object schema that lists properties — resource definitions get the ARM envelope keys (dependsOn,
 *   scope, …) added first, and "base properties + oneOf variants" unions get the base keys merged into each variant.
 */

export const EXPRESSION_REF =
  'https://schema.management.azure.com/schemas/common/definitions.json#/definitions/expression';
/** The expression pattern of common/definitions.json. */
export const EXPRESSION_PATTERN = '^\\[([^\\[].*)?\\]$';

type Schema = Record<string, unknown>;

/** Keys of the ARM resource envelope that the template language accepts on every resource (deploymentTemplate.json
 * resourceBase), plus `resourceGroup`/`subscriptionId` of cross-scope nested deployments. */
export const RESOURCE_ENVELOPE_KEYS = [
  'name',
  'type',
  'apiVersion',
  'condition',
  'dependsOn',
  'location',
  'tags',
  'copy',
  'scope',
  'comments',
] as const;
const NESTED_DEPLOYMENT_KEYS = ['resourceGroup', 'subscriptionId'] as const;

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions'];
const SCHEMA_KEYWORDS = ['additionalProperties', 'additionalItems', 'not'];
const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf'];

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isExpressionBranch(value: unknown): boolean {
  return isObject(value) && value.$ref === EXPRESSION_REF;
}

export interface TransformOptions {
  readonly strict: boolean;
}

/** Keys of resource-definition maps at the top of a provider schema (all deployment scopes). */
export function resourceDefinitionKeys(schema: Schema): string[] {
  return Object.keys(schema).filter((key) => key === 'resourceDefinitions' || key.endsWith('_resourceDefinitions'));
}

/** Applies the quirk fixes (and strictness) to a provider schema, in place. */
export function transformProviderSchema(schema: Schema, options: TransformOptions): void {
  for (const key of resourceDefinitionKeys(schema)) {
    const map = schema[key];
    if (!isObject(map)) continue;
    for (const definition of Object.values(map)) {
      if (options.strict && isObject(definition)) addEnvelopeKeys(definition);
      visit(definition, options, false);
    }
  }
  const definitions = schema.definitions;
  if (isObject(definitions)) for (const definition of Object.values(definitions)) visit(definition, options, false);
}

/** Strict resource definitions must still accept the template-language envelope (validated by resourceBase). */
function addEnvelopeKeys(definition: Schema): void {
  const properties = isObject(definition.properties) ? definition.properties : {};
  const typeEnum =
    isObject(properties.type) && Array.isArray(properties.type.enum) ? (properties.type.enum as unknown[]) : [];
  const keys: readonly string[] = typeEnum.includes('Microsoft.Resources/deployments')
    ? [...RESOURCE_ENVELOPE_KEYS, ...NESTED_DEPLOYMENT_KEYS]
    : RESOURCE_ENVELOPE_KEYS;
  for (const key of keys) if (!(key in properties)) properties[key] = {};
  definition.properties = properties;
}

function visit(node: unknown, options: TransformOptions, isAllOfMember: boolean): void {
  if (!isObject(node)) return;

  // Cdn discriminator bug: an allOf member that forbids the variant's properties.
  if (Array.isArray(node.allOf) && node.allOf.some((member) => isObject(member) && Array.isArray(member.oneOf))) {
    for (const member of node.allOf)
      if (isObject(member) && member.additionalProperties === false && !Array.isArray(member.oneOf))
        delete member.additionalProperties;
  }

  // Expressions: literal-or-expression must not be exclusive.
  if (Array.isArray(node.oneOf) && node.oneOf.some(isExpressionBranch)) {
    if (node.anyOf === undefined) node.anyOf = node.oneOf;
    else node.allOf = [...(Array.isArray(node.allOf) ? node.allOf : []), { anyOf: node.oneOf }];
    delete node.oneOf;
  }
  if (typeof node.pattern === 'string' && node.pattern !== EXPRESSION_PATTERN)
    node.pattern = `(?:${EXPRESSION_PATTERN})|(?:${node.pattern})`;

  if (options.strict && !isAllOfMember) strictify(node);

  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const map = node[keyword];
    if (isObject(map)) for (const child of Object.values(map)) visit(child, options, false);
  }
  for (const keyword of SCHEMA_KEYWORDS) visit(node[keyword], options, false);
  if (Array.isArray(node.items)) for (const child of node.items) visit(child, options, false);
  else visit(node.items, options, false);
  for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
    const members = node[keyword];
    if (Array.isArray(members)) for (const member of members) visit(member, options, keyword === 'allOf');
  }
  if (isObject(node.dependencies))
    for (const child of Object.values(node.dependencies)) if (!Array.isArray(child)) visit(child, options, false);
}

function strictify(node: Schema): void {
  if (!isObject(node.properties) || Object.keys(node.properties).length === 0) return;
  if (node.additionalProperties !== undefined) return;
  const variants = [
    ...(Array.isArray(node.oneOf) ? node.oneOf : []),
    ...(Array.isArray(node.anyOf) ? node.anyOf : []),
  ].filter((v) => !isExpressionBranch(v));
  if (variants.length === 0) {
    node.additionalProperties = false;
    return;
  }
  // "Base properties + variants" union: each inline variant accepts base ∪ own keys; a $ref variant stays loose.
  if (!variants.every((variant) => isObject(variant) && variant.$ref === undefined && isObject(variant.properties)))
    return;
  for (const variant of variants as Schema[]) {
    const own = variant.properties as Schema;
    for (const key of Object.keys(node.properties)) if (!(key in own)) own[key] = {};
    // the variant is visited (and strictified) after this node
  }
}

/**
 * The template language's resource envelope (deploymentTemplate.json and common/definitions.json `resourceBase`…)
 * types `tags` and `copy` as objects with no expression branch, yet `"tags": "[parameters('tags')]"` is valid ARM:
 * give every non-string envelope property (except dependsOn, which ARM wants as a literal array) an expression branch.
 */
export function allowExpressionsInEnvelope(schema: Schema): void {
  if (!isObject(schema.definitions)) return;
  for (const name of ['ARMResourceBase', 'resourceBase', 'proxyResourceBase']) {
    const definition = schema.definitions[name];
    if (!isObject(definition)) continue;
    const parts = [definition, ...(Array.isArray(definition.allOf) ? definition.allOf : [])];
    for (const part of parts) {
      if (!isObject(part) || !isObject(part.properties)) continue;
      for (const [key, property] of Object.entries(part.properties)) {
        if (
          key === 'dependsOn' ||
          !isObject(property) ||
          property.type === 'string' ||
          property.anyOf ||
          property.oneOf
        )
          continue;
        part.properties[key] = { anyOf: [property, { $ref: EXPRESSION_REF }] };
      }
    }
  }
}

/** Strictness for the template envelope: parameter and output declarations reject misspelled keys. */
export function transformDeploymentTemplateSchema(schema: Schema, options: TransformOptions): void {
  allowExpressionsInEnvelope(schema);
  if (!options.strict || !isObject(schema.definitions)) return;
  for (const name of ['parameter', 'output']) {
    const definition = schema.definitions[name];
    if (isObject(definition) && definition.additionalProperties === undefined) definition.additionalProperties = false;
  }
}

/**
 * Insights data collection rules: the REST spec's stream names are an extensible enum (x-ms-enum modelAsString),
 * but the generated schema lists only five values, so Microsoft's own Container Insights onboarding template fails
 * it. The stream group the Container Insights agent sends is added to the two stream lists that carry it.
 */
export const EXTENSIBLE_DATA_COLLECTION_STREAMS = ['Microsoft-ContainerInsights-Group-Default'] as const;

export function extendDataCollectionStreams(schema: Schema): void {
  const definitions = isObject(schema.definitions) ? schema.definitions : {};
  for (const [definition, property] of [
    ['ExtensionDataSource', 'streams'],
    ['DataFlow', 'streams'],
  ] as const) {
    const node = definitions[definition];
    const streams = isObject(node) && isObject(node.properties) ? node.properties[property] : undefined;
    const branches = isObject(streams)
      ? [streams, ...[streams.oneOf, streams.anyOf].flatMap((b) => (Array.isArray(b) ? b : []))]
      : [];
    for (const branch of branches) {
      const items = isObject(branch) ? branch.items : undefined;
      if (isObject(items) && Array.isArray(items.enum)) {
        for (const stream of EXTENSIBLE_DATA_COLLECTION_STREAMS)
          if (!items.enum.includes(stream)) items.enum.push(stream);
      }
    }
  }
}
