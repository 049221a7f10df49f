/**
 * `fleet validate [--json] [--list-rules] [--fleet PATH] [--root DIR]`: runs every gate rule on the synthesized
 * tree; one line per finding, exit 1 on any error.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadFleet } from '@aks-fleet/fleet';
import { defaultContainerPolicy, formatFinding, readClusterTrees, readWorkingTree, RULES, validate, type GateContext } from '@aks-fleet/gate';
import { ArmSchemaValidator, formatArmProblem, PLAN_PATH } from '@aks-fleet/infra';
import { clusterObjectValidators } from '../cluster-app/object-validators.ts';
import type { Output } from '../output.ts';

export interface ValidateArgs {
  readonly root: string;
  readonly fleet?: string;
  readonly listRules: boolean;
}

export function kustomizePath(root: string): string | undefined {
  const candidate = process.env.FLEET_KUSTOMIZE ?? path.join(root, '.cache/tools/bin/kustomize');
  return existsSync(candidate) ? candidate : undefined;
}

/** The synthesized ARM templates and their schema check, for the infrastructure rules. */
function infrastructure(root: string): GateContext['infrastructure'] {
  const templates = new Map<string, unknown>();
  let plan: unknown;
  for (const [file, content] of readWorkingTree(root, ['infrastructure'])) {
    if (file.endsWith('/template.json')) templates.set(file, JSON.parse(content));
    if (file === PLAN_PATH) plan = JSON.parse(content);
  }
  if (templates.size === 0) return undefined;
  let validator: ArmSchemaValidator | Error | undefined;
  let reported = false;
  return {
    templates,
    plan,
    validateTemplate: (file, template) => {
      try {
        validator ??= ArmSchemaValidator.load({});
      } catch (error) {
        validator = error as Error;
      }
      if (validator instanceof Error) {
        const first = !reported;
        reported = true;
        return first ? [validator.message] : [];
      }
      return validator.validateTemplate(template, file).map(formatArmProblem);
    },
  };
}

export function runValidate(args: ValidateArgs, out: Output): number {
  if (args.listRules) {
    if (out.json) out.result(RULES.map(({ id, rationale }) => ({ id, rationale })));
    else for (const rule of RULES) out.line(`${rule.id.padEnd(34)} ${rule.rationale}`);
    return 0;
  }
  const { fleet } = loadFleet(args.fleet);
  const result = validate({
    root: args.root,
    fleet,
    clusters: readClusterTrees(args.root),
    kustomize: kustomizePath(args.root),
    validators: clusterObjectValidators(),
    policy: defaultContainerPolicy(fleet.spec.sharedServices.containerRegistry.name),
    exceptions: fleet.spec.policyExceptions,
    infrastructure: infrastructure(args.root),
  });
  const errors = result.findings.filter((f) => f.severity === 'ERROR').length;
  if (out.json) {
    out.result({ ...result, errors });
  } else {
    for (const finding of result.findings) out.line(formatFinding(finding));
    out.line(`${result.rules} rules on ${result.objects} objects in ${result.clusters} clusters: ${errors} error(s), ${result.findings.length - errors} warning(s)`);
  }
  return errors > 0 ? 1 : 0;
}
