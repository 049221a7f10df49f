/**
 * Pieces every template builder uses: the `tags` parameter (declared by every template; it also carries the
 * parameters file's ownership marker), tracked resources, diagnostic settings to the shared workspace, and role
 * assignments with deploy-time names.
 */
import { clusterAzureNames, sharedAzureNames, type FleetSpec } from '@aks-fleet/fleet';
import type { ResourceType } from './api-versions.ts';
import {
  expr,
  idIn,
  lit,
  parameter,
  resource,
  roleDefinitionId,
  type ArmParameterDefinition,
  type ArmResource,
  type Json,
  type JsonObject,
} from './arm-template.ts';

export const TAGS_PARAMETER = 'tags';
/** `[parameters('tags')]`: every tracked resource carries the fleet's tags. */
export const TAGS = parameter(TAGS_PARAMETER);

export function tagsParameterDefinition(): Record<string, ArmParameterDefinition> {
  return {
    [TAGS_PARAMETER]: {
      type: 'object',
      metadata: { description: 'Tags of every resource of this deployment (from the fleet model).' },
    },
  };
}

/** Tags derived from the model: business unit and application (as the reference), plus where the resource belongs. */
export function fleetTags(spec: FleetSpec, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    'Business unit': spec.organization.businessUnit,
    'Application identifier': spec.organization.appId,
    'managed-by': 'aks-fleet',
    ...extra,
  };
}

export function clusterTags(spec: FleetSpec, clusterName: string): Record<string, string> {
  const { region } = clusterAzureNames(spec, clusterName);
  return fleetTags(spec, { 'aks-fleet-cluster': clusterName, 'aks-fleet-region': region });
}

/** A resource with a location and the deployment's tags. */
export function tracked(
  type: ResourceType,
  name: string,
  location: string,
  body: { readonly [key: string]: Json | undefined } = {},
): ArmResource {
  return resource(type, name, { location, tags: TAGS, ...body });
}

/** Inner expression: id of the shared Log Analytics workspace. */
export function workspaceIdExpression(spec: FleetSpec): string {
  const shared = sharedAzureNames(spec);
  return idIn(shared.resourceGroup, 'Microsoft.OperationalInsights/workspaces', shared.logAnalyticsWorkspace);
}

export interface DiagnosticsOptions {
  /** Log categories; @default - the `allLogs` category group */
  readonly categories?: readonly string[];
  /** Send AllMetrics too. @default true */
  readonly metrics?: boolean;
}

/** Diagnostic settings of one resource (an extension resource on `scopeId`) to the shared workspace. */
export function diagnosticSettings(
  spec: FleetSpec,
  scopeId: string,
  dependsOn: string,
  options: DiagnosticsOptions = {},
): ArmResource {
  const logs: JsonObject[] = options.categories
    ? options.categories.map((category) => ({ category, enabled: true }))
    : [{ categoryGroup: 'allLogs', enabled: true }];
  return resource('Microsoft.Insights/diagnosticSettings', 'to-shared-log-analytics', {
    scope: expr(scopeId),
    dependsOn: [expr(dependsOn)],
    properties: {
      workspaceId: expr(workspaceIdExpression(spec)),
      logs,
      metrics: options.metrics === false ? undefined : [{ category: 'AllMetrics', enabled: true }],
    },
  });
}

/** Inner expression: the deploy-time GUID name of a role assignment. */
export function roleAssignmentNameExpression(
  options: Pick<RoleAssignmentOptions, 'scopeId' | 'principalKey' | 'role'>,
): string {
  return `guid(${options.scopeId}, ${lit(options.principalKey)}, ${lit(options.role)})`;
}

/** Inner expression: the id of a role assignment (an extension resource of its scope), for dependsOn. */
export function roleAssignmentIdExpression(
  options: Pick<RoleAssignmentOptions, 'scopeId' | 'principalKey' | 'role'>,
): string {
  return `extensionResourceId(${options.scopeId}, 'Microsoft.Authorization/roleAssignments', ${roleAssignmentNameExpression(options)})`;
}

export interface RoleAssignmentOptions {
  /** Inner expression of the scope resource id. */
  readonly scopeId: string;
  /** Built-in role GUID. */
  readonly role: string;
  /** Inner expression of the principal's object id (deploy-time). */
  readonly principalId: string;
  /** Stable text naming the principal, part of the assignment's name. */
  readonly principalKey: string;
  readonly dependsOn?: readonly string[];
  readonly description: string;
}

/**
 * A role assignment as an extension resource on `scopeId`. Its name must be a GUID unique per tenant, so it is
 * `guid(<scope id>, <principal>, <role>)` at deploy time (the scope id contains the subscription).
 */
export function roleAssignment(options: RoleAssignmentOptions): ArmResource {
  return resource('Microsoft.Authorization/roleAssignments', expr(roleAssignmentNameExpression(options)), {
    scope: expr(options.scopeId),
    dependsOn: options.dependsOn && options.dependsOn.length > 0 ? options.dependsOn.map(expr) : undefined,
    properties: {
      roleDefinitionId: roleDefinitionId(options.role),
      principalId: expr(options.principalId),
      principalType: 'ServicePrincipal',
      description: options.description,
    },
  });
}
