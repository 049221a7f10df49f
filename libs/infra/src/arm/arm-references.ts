/**
 * Reading back the resource references of emitted templates (`[resourceId(...)]`, `[extensionResourceId(...)]`,
 * `[parameters('x')]`), and an index of the resources every deployment declares, so cross-resource invariants
 * ("every role assignment's scope is a resource of the fleet") can be checked without Azure.
 */
import type { ArmResource, ArmTemplate } from './arm-template.ts';
import type { FleetDeployment } from '../deployment-plan.ts';

/** A parsed `resourceId()` call: resource group (when given), type and name segments. */
export interface ResourceReference {
  readonly resourceGroup?: string;
  readonly type: string;
  readonly names: readonly string[];
}

/** The single-quoted literal arguments of a call like `resourceId('a', 'b')` (`''` is an escaped quote). */
function literalArguments(argumentText: string): string[] | undefined {
  const out: string[] = [];
  const pattern = /\s*'((?:[^']|'')*)'\s*(,|$)/y;
  let index = 0;
  while (index < argumentText.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(argumentText);
    if (!match) return undefined;
    out.push(match[1]!.replace(/''/g, "'"));
    index = pattern.lastIndex;
  }
  return out;
}

/**
 * Parses `[resourceId(...)]` (or an inner `resourceId(...)`) with literal arguments; undefined for anything else.
 * A first argument without "/" is the resource group.
 */
export function parseResourceId(expression: string): ResourceReference | undefined {
  const inner = expression.startsWith('[') && expression.endsWith(']') ? expression.slice(1, -1) : expression;
  const match = /^resourceId\((.*)\)$/.exec(inner.trim());
  if (!match) return undefined;
  const args = literalArguments(match[1]!);
  if (!args || args.length < 2) return undefined;
  const [first, ...rest] = args;
  return first!.includes('/')
    ? { type: first!, names: rest }
    : { resourceGroup: first!, type: rest[0]!, names: rest.slice(1) };
}

/** `[parameters('x')]` → `x`. */
export function parseParameterReference(expression: string): string | undefined {
  return /^\[parameters\('((?:[^']|'')*)'\)\]$/.exec(expression)?.[1]?.replace(/''/g, "'");
}

/** A resource the fleet declares: resource group, lowercase type, full name (`parent/child`). */
export interface DeclaredResource {
  readonly resourceGroup: string;
  readonly type: string;
  readonly name: string;
}

function key(resource: DeclaredResource): string {
  return `${resource.resourceGroup.toLowerCase()}|${resource.type.toLowerCase()}|${resource.name.toLowerCase()}`;
}

/** The resources of one template deployed to `resourceGroup`, including inline subnets and nested deployments. */
function declaredIn(template: ArmTemplate, resourceGroup: string): DeclaredResource[] {
  const out: DeclaredResource[] = [];
  for (const resource of template.resources as readonly ArmResource[]) {
    // A cross-group nested deployment lives in its target group (its id names that group).
    const home =
      resource.type === 'Microsoft.Resources/deployments'
        ? ((resource.resourceGroup as string | undefined) ?? resourceGroup)
        : resourceGroup;
    out.push({ resourceGroup: home, type: resource.type, name: resource.name });
    const subnets = (resource.properties as { subnets?: ReadonlyArray<{ name: string }> } | undefined)?.subnets;
    if (resource.type.toLowerCase() === 'microsoft.network/virtualnetworks' && subnets) {
      for (const subnet of subnets)
        out.push({
          resourceGroup,
          type: 'Microsoft.Network/virtualNetworks/subnets',
          name: `${resource.name}/${subnet.name}`,
        });
    }
    const nested = resource.properties as { template?: ArmTemplate } | undefined;
    if (resource.type === 'Microsoft.Resources/deployments' && nested?.template) {
      out.push(...declaredIn(nested.template, home));
    }
  }
  return out;
}

/** Index of every resource the fleet's deployments declare (resource-group scope). */
export class DeclaredResources {
  private readonly keys = new Set<string>();

  constructor(deployments: readonly FleetDeployment[]) {
    for (const { step, template } of deployments) {
      if (step.scope !== 'resourceGroup' || !step.resourceGroup) continue;
      for (const declared of declaredIn(template, step.resourceGroup)) this.keys.add(key(declared));
    }
  }

  /** Whether `reference`, resolved in `defaultResourceGroup` when it names none, is declared by the fleet. */
  has(reference: ResourceReference, defaultResourceGroup: string): boolean {
    return this.keys.has(
      key({
        resourceGroup: reference.resourceGroup ?? defaultResourceGroup,
        type: reference.type,
        name: reference.names.join('/'),
      }),
    );
  }
}
