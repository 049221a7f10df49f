/**
 * The ARM template shape we emit (classic `resources` array, 2019-04-01 schema) and small builders, so every
 * resource gets its pinned apiVersion and every template the same envelope.
 */
import { KEY_VAULT_ROLES } from '@aks-fleet/fleet';
import { API_VERSIONS, type ResourceType } from './api-versions.ts';

export const DEPLOYMENT_TEMPLATE_SCHEMA =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
/** Subscription-scope templates (the resource groups) declare the subscription schema; its shape is the same. */
export const SUBSCRIPTION_TEMPLATE_SCHEMA =
  'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#';
export const DEPLOYMENT_PARAMETERS_SCHEMA =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';
export const CONTENT_VERSION = '1.0.0.0';

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };
export type JsonObject = { readonly [key: string]: Json | undefined };

/** One resource of a template; `type` and `apiVersion` come from the pinned table. */
export interface ArmResource {
  readonly type: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly [key: string]: Json | undefined;
}

export interface ArmParameterDefinition {
  readonly type: 'string' | 'securestring' | 'int' | 'bool' | 'object' | 'secureObject' | 'array';
  readonly defaultValue?: Json;
  readonly allowedValues?: readonly Json[];
  readonly metadata?: JsonObject;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface ArmOutput {
  readonly type: 'string' | 'int' | 'bool' | 'object' | 'array';
  readonly value: Json;
}

export interface ArmTemplate {
  readonly $schema: string;
  readonly contentVersion: string;
  readonly metadata?: JsonObject;
  readonly parameters?: Readonly<Record<string, ArmParameterDefinition>>;
  readonly resources: readonly ArmResource[];
  readonly outputs?: Readonly<Record<string, ArmOutput>>;
}

export interface ArmParametersFile {
  readonly $schema: string;
  readonly contentVersion: string;
  readonly parameters: Readonly<Record<string, { readonly value: Json; readonly metadata?: JsonObject }>>;
}

/** A resource with its pinned apiVersion; undefined members are dropped by the serializer. */
export function resource(
  type: ResourceType,
  name: string,
  body: { readonly [key: string]: Json | undefined } = {},
): ArmResource {
  return { type, apiVersion: API_VERSIONS[type], name, ...body };
}

export function template(
  resources: readonly ArmResource[],
  options: {
    parameters?: Record<string, ArmParameterDefinition>;
    outputs?: Record<string, ArmOutput>;
    scope?: 'resourceGroup' | 'subscription';
  } = {},
): ArmTemplate {
  return {
    $schema: options.scope === 'subscription' ? SUBSCRIPTION_TEMPLATE_SCHEMA : DEPLOYMENT_TEMPLATE_SCHEMA,
    contentVersion: CONTENT_VERSION,
    ...(options.parameters ? { parameters: options.parameters } : {}),
    resources,
    ...(options.outputs ? { outputs: options.outputs } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// ARM expressions: only for values that exist at deploy time (ids with the subscription, reference(), parameters).

/** A literal inside an ARM expression: single quotes doubled. */
export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Wraps an inner expression as an ARM expression string `[...]`. */
export function expr(inner: string): string {
  return `[${inner}]`;
}

/** Inner expression: id of a resource in the deployment's resource group. */
export function idOf(type: string, ...names: readonly string[]): string {
  return `resourceId(${[type, ...names].map(lit).join(', ')})`;
}

/** Inner expression: id of a resource in another resource group of the same subscription. */
export function idIn(resourceGroup: string, type: string, ...names: readonly string[]): string {
  return `resourceId(${[resourceGroup, type, ...names].map(lit).join(', ')})`;
}

/** Inner expression: id of a subscription-level resource (role definitions). */
export function subscriptionIdOf(type: string, ...names: readonly string[]): string {
  return `subscriptionResourceId(${[type, ...names].map(lit).join(', ')})`;
}

/** Inner expression: runtime state of a resource, `reference(<id>, '<apiVersion>')`. */
export function referenceOf(idExpression: string, type: ResourceType, full = false): string {
  return `reference(${idExpression}, ${lit(API_VERSIONS[type])}${full ? ", 'full'" : ''})`;
}

export function parameter(name: string): string {
  return expr(`parameters(${lit(name)})`);
}

/** `{ id: "[resourceId(...)]" }`, the usual sub-resource reference. */
export function idRef(idExpression: string): JsonObject {
  return { id: expr(idExpression) };
}

/** The `Microsoft.Authorization/roleDefinitions` id of a built-in role. */
export function roleDefinitionId(roleGuid: string): string {
  return expr(subscriptionIdOf('Microsoft.Authorization/roleDefinitions', roleGuid));
}

/** Built-in role definition GUIDs (Azure built-in roles). */
export const BUILT_IN_ROLES = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  keyVaultSecretsUser: KEY_VAULT_ROLES.secretsUser,
  keyVaultCertificatesOfficer: KEY_VAULT_ROLES.certificatesOfficer,
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
} as const;
