/**
 * `validate()`: reads the synthesized tree and runs every rule; findings are sorted and deterministic.
 */
import { CONTAINER_LIMIT_MAXIMA } from '@aks-fleet/fleet';
import type { Finding } from './finding.ts';
import { compareFindings } from './finding.ts';
import { unmetPreconditions } from './preconditions.ts';
import type { GateContext, Rule } from './rule.ts';
import { RULES } from './rules/index.ts';

export interface ValidateResult {
  readonly findings: readonly Finding[];
  readonly rules: number;
  readonly objects: number;
  readonly clusters: number;
}

export async function validate(context: GateContext, rules: readonly Rule[] = RULES): Promise<ValidateResult> {
  // Missing schemas or kustomize: one precondition error, and no rule runs (each would report the absence again).
  const unmet = unmetPreconditions(context, rules);
  // External checks first: their processes then run while the in-process rules hold this thread. Findings are
  // sorted, so the order the rules run in does not show.
  const ordered = [...rules.filter((rule) => rule.external), ...rules.filter((rule) => !rule.external)];
  const findings = unmet
    ? [unmet]
    : (await Promise.all(ordered.map((rule) => rule.check(context)))).flat().sort(compareFindings);
  return {
    findings,
    rules: unmet ? 0 : rules.length,
    objects: context.clusters.reduce((n, c) => n + c.objects.length, 0),
    clusters: context.clusters.length,
  };
}

/** The container policy the infrastructure assigns (Azure Policy): limits ≤ 1000m / 512Mi, images from the fleet ACR or MCR. */
export function defaultContainerPolicy(registryName: string): GateContext['policy'] {
  return {
    maxCpu: CONTAINER_LIMIT_MAXIMA.cpuMillicores / 1000,
    maxMemory: CONTAINER_LIMIT_MAXIMA.memoryMiB * 2 ** 20,
    allowedRegistries: [`${registryName}.azurecr.io`, 'mcr.microsoft.com'],
  };
}
