/**
 * `fleet validate [--json] [--list-rules] [--fleet PATH] [--root DIR] [--changed-since REF]`: runs every gate rule
 * on the synthesized tree; one line per finding, exit 1 on any error. With `--changed-since`, clusters whose files
 * are byte-identical to REF (a ref the gate already passed) are not validated again; fleet-wide checks still run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadFleet } from '@aks-fleet/fleet';
import { clusterOfFile, clusterTreesFromFiles, defaultContainerPolicy, formatFinding, readWorkingTree, RULES, unchangedClusters, validate, type GateContext, type TreeFiles } from '@aks-fleet/gate';
import { ArmSchemaValidator, formatArmProblem } from '@aks-fleet/infra';
import { clusterObjectValidators } from '../cluster-app/object-validators.ts';
import type { Output } from '../output.ts';

export interface ValidateArgs {
  readonly root: string;
  readonly fleet?: string;
  readonly listRules: boolean;
  /** Skip clusters whose files equal this git ref's. @default - validate every cluster */
  readonly changedSince?: string;
}

export function kustomizePath(root: string): string | undefined {
  const candidate = process.env.FLEET_KUSTOMIZE ?? path.join(root, '.cache/tools/bin/kustomize');
  return existsSync(candidate) ? candidate : undefined;
}

/** The synthesized ARM templates (but those of `skip` clusters) and their schema check, for the infrastructure rules. */
function infrastructure(files: TreeFiles, skip: ReadonlySet<string>): GateContext['infrastructure'] {
  const templates = new Map<string, unknown>();
  for (const [file, content] of files) {
    if (file.startsWith('infrastructure/') && file.endsWith('/template.json') && !skip.has(clusterOfFile(file) ?? '')) templates.set(file, JSON.parse(content));
  }
  if (templates.size === 0) return undefined;
  let validator: ArmSchemaValidator | Error | undefined;
  let reported = false;
  return {
    templates,
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

export async function runValidate(args: ValidateArgs, out: Output): Promise<number> {
  if (args.listRules) {
    if (out.json) out.result(RULES.map(({ id, rationale }) => ({ id, rationale })));
    else for (const rule of RULES) out.line(`${rule.id.padEnd(34)} ${rule.rationale}`);
    return 0;
  }
  const { fleet } = loadFleet(args.fleet);
  const files = readWorkingTree(args.root);
  const unchanged = args.changedSince === undefined ? new Set<string>() : unchangedClusters(args.root, args.changedSince, files);
  // Unchanged clusters keep their folders (fleet-wide rules see every cluster) but none of their objects.
  const clusterFiles = new Map([...files].filter(([file]) => !file.startsWith('infrastructure/') && (!unchanged.has(clusterOfFile(file) ?? '') || file.endsWith('/kustomization.yaml'))));
  const result = await validate({
    root: args.root,
    fleet,
    clusters: clusterTreesFromFiles(clusterFiles),
    unchanged,
    kustomize: kustomizePath(args.root),
    validators: clusterObjectValidators(),
    policy: defaultContainerPolicy(fleet.spec.sharedServices.containerRegistry.name),
    exceptions: fleet.spec.policyExceptions,
    infrastructure: infrastructure(files, unchanged),
  });
  const errors = result.findings.filter((f) => f.severity === 'ERROR').length;
  if (out.json) {
    out.result({ ...result, errors, skipped: [...unchanged].sort() });
  } else {
    for (const finding of result.findings) out.line(formatFinding(finding));
    if (unchanged.size > 0) out.line(`skipped ${unchanged.size} cluster(s) whose files are unchanged since ${args.changedSince}`);
    out.line(`${result.rules} rules on ${result.objects} objects in ${result.clusters} clusters: ${errors} error(s), ${result.findings.length - errors} warning(s)`);
  }
  return errors > 0 ? 1 : 0;
}
