/**
 * Deterministic JSON for every generated infrastructure file, and the ownership marker.
 *
 * - Keys sorted at every level (arrays keep their order: it is meaningful), 2-space indent, trailing newline, no
 *   timestamps: the same model gives byte-identical files.
 * - Templates carry `metadata._generator` = { name: "aks-fleet", templateHash } at the top level (the 2019-04-01
 *   deploymentTemplate schema allows a free-form top-level `metadata`).
 * - Parameter files cannot: the 2019-04-01 deploymentParameters schema has `additionalProperties: false` at the top
 *   level and no `metadata`. Its only free-form slot is the per-parameter `metadata` ("client specific metadata"),
 *   so every template declares a `tags` parameter and the parameter file carries the marker on it.
 */
import { sha256, sortKeys } from '@aks-fleet/util';
import type { ArmParametersFile, ArmTemplate, Json, JsonObject } from './arm-template.ts';

export const GENERATOR_NAME = 'aks-fleet';

export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** A template without its metadata, sorted and serialized once: its hash and its file both come from this text. */
interface SerializedTemplate {
  readonly keys: readonly string[];
  readonly json: string;
  readonly hash: string;
}

const serializedTemplates = new WeakMap<ArmTemplate, SerializedTemplate>();

function serializedTemplate(armTemplate: ArmTemplate): SerializedTemplate {
  let serialized = serializedTemplates.get(armTemplate);
  if (serialized === undefined) {
    const { metadata: _metadata, ...rest } = armTemplate;
    const body = sortKeys(rest) as Record<string, unknown>;
    const json = JSON.stringify(body, null, 2);
    serialized = { keys: Object.keys(body), json, hash: sha256(`${json}\n`) };
    serializedTemplates.set(armTemplate, serialized);
  }
  return serialized;
}

/** Hash of a template's content without its metadata (so the hash does not hash itself). */
export function templateHash(armTemplate: ArmTemplate): string {
  return serializedTemplate(armTemplate).hash;
}

function marker(hash: string): JsonObject {
  return { _generator: { name: GENERATOR_NAME, templateHash: hash } };
}

/**
 * The template file content, with the ownership marker: the serialized body with a `metadata` member written into
 * its sorted place (the text JSON.stringify gives for the whole sorted template — tested). A top-level member starts
 * a line with exactly two spaces of indent (nested ones have more, and strings hold no raw line breaks), so the
 * member that follows `metadata` is found by its key; the body is not serialized a second time.
 */
export function templateFileContent(armTemplate: ArmTemplate): string {
  const { keys, json, hash } = serializedTemplate(armTemplate);
  const metadata = JSON.stringify(sortKeys({ ...(armTemplate.metadata ?? {}), ...marker(hash) }), null, 2);
  const member = `\n  "metadata": ${metadata.replaceAll('\n', '\n  ')}`;
  if (keys.length === 0) return `{${member}\n}\n`;
  const next = keys.find((key) => key > 'metadata');
  if (next === undefined) return `${json.slice(0, -2)},${member}\n}\n`;
  const at = json.indexOf(`\n  ${JSON.stringify(next)}: `);
  return `${json.slice(0, at)}${member},${json.slice(at)}\n`;
}

/** The parameters file content; the marker goes on the `tags` parameter every template declares. */
export function parametersFileContent(
  file: ArmParametersFile,
  armTemplate: ArmTemplate,
  markerParameter = 'tags',
): string {
  const target = file.parameters[markerParameter];
  if (!target) {
    throw new Error(
      `parameters file has no "${markerParameter}" parameter to carry the ${GENERATOR_NAME} marker; expected every template to declare it — fix: declare a "${markerParameter}" parameter in the template`,
    );
  }
  const parameters = {
    ...file.parameters,
    [markerParameter]: { ...target, metadata: { ...(target.metadata ?? {}), ...marker(templateHash(armTemplate)) } },
  };
  return toJson({ ...file, parameters });
}

/** Any other generated JSON document (the deployment plan): marker at the top level. */
export function documentContent(document: { readonly [key: string]: Json | undefined }): string {
  return toJson({ ...document, metadata: { _generator: { name: GENERATOR_NAME } } });
}

function hasMarker(value: unknown): boolean {
  const generator = (value as { _generator?: { name?: unknown } } | undefined)?._generator;
  return generator?.name === GENERATOR_NAME;
}

/**
 * True when a file under `infrastructure/` was written by aks-fleet (eligible for stale removal): a template or
 * document with the top-level marker, or a parameters file whose parameters carry it.
 */
export function isGeneratedInfrastructureFile(content: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
  const document = parsed as { metadata?: unknown; parameters?: unknown; $schema?: unknown };
  if (hasMarker(document.metadata)) return true;
  if (
    typeof document.$schema === 'string' &&
    document.$schema.includes('deploymentParameters.json') &&
    document.parameters &&
    typeof document.parameters === 'object'
  ) {
    return Object.values(document.parameters as Record<string, { metadata?: unknown }>).some((entry) =>
      hasMarker(entry?.metadata),
    );
  }
  return false;
}
