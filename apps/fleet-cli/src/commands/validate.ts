/**
 * `fleet validate [-o text|json] [--list-rules] [--fleet PATH] [--root DIR] [--changed-since REF]`: runs every gate
 * rule on the synthesized tree; one line per finding, exit 1 on any error. With `--changed-since`, clusters whose
 * files are byte-identical to REF (a ref the gate already passed) are not validated again; fleet-wide checks still run.
 */
import { existsSync } from 'node:fs';
import { loadFleet } from '@aks-fleet/fleet';
import {
  clusterOfFile,
  clusterTreesFromFiles,
  defaultContainerPolicy,
  formatFinding,
  PRECONDITION_RULE,
  readWorkingTree,
  RULES,
  unchangedClusters,
  validate,
  type GateContext,
  type TreeFiles,
} from '@aks-fleet/gate';
import { ArmSchemaValidator, formatArmProblem, PLAN_PATH } from '@aks-fleet/infra';
import { kustomizeLocation, repositoryRoot } from '@aks-fleet/util';
import { gateObjectValidators } from '@aks-fleet/cluster-app';
import { CliError, FLEET_FLAG, ROOT_FLAG, type Command } from '../command.ts';
import type { Output } from '../output.ts';
import { requireCommit } from '../git-ref.ts';
import { rootFlag } from '../workspace-root.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'run the gate rules on the committed tree (--list-rules lists them)',
  usage: [
    'fleet validate [--fleet PATH] [--root DIR] [--changed-since REF] [-o text|json]',
    'fleet validate --list-rules [-o text|json]',
  ],
  description: `
Runs every gate rule on the synthesized tree as it is on disk (what is committed): object schemas (the typed models,
then the real CRDs), kustomize builds, the Flux graph, fleet invariants, security, deprecated APIs, and the ARM
templates against the official ARM schemas. The CRDs and ARM schemas are read from $FLEET_SCHEMA_LOCATION (default
.cache/schemas, filled by scripts/fetch-schemas.sh); kustomize from .cache/tools (scripts/install-tools.sh).
One line per finding with its fix on stdout; exit 1 on any error. Without the schemas or kustomize the gate cannot
run: one ERROR line on stderr, exit 2. With --changed-since REF, clusters whose files equal REF's
(a ref the gate already passed; compared by git blob id) are not validated again; fleet-wide checks still run.`,
  flags: {
    'list-rules': { type: 'boolean', description: 'list every rule with its rationale and exit' },
    fleet: FLEET_FLAG,
    root: ROOT_FLAG,
    'changed-since': {
      type: 'string',
      value: 'REF',
      description: "skip clusters whose files equal REF's (a git ref the gate already passed)",
    },
  },
  outputs: ['text', 'json'],
  run: ({ flags, out }) =>
    runValidate(
      {
        root: rootFlag(flags.root),
        ...(typeof flags.fleet === 'string' ? { fleet: flags.fleet } : {}),
        listRules: flags['list-rules'] === true,
        ...(typeof flags['changed-since'] === 'string' ? { changedSince: flags['changed-since'] } : {}),
      },
      out,
    ),
};

export interface ValidateArgs {
  readonly root: string;
  readonly fleet?: string;
  readonly listRules: boolean;
  /** Skip clusters whose files equal this git ref's. @default - validate every cluster */
  readonly changedSince?: string;
}

/**
 * The pinned kustomize of this installation (scripts/install-tools.sh puts it in the repository the CLI runs from),
 * whichever tree `--root` names — as the schemas come from this installation too.
 */
export function kustomizePath(): string | undefined {
  const candidate = kustomizeLocation(repositoryRoot());
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * The synthesized ARM templates and their schema check, for the infrastructure rules. Templates of `skip` clusters
 * (unchanged since a validated ref) are read — the fleet-wide deploy rules follow references into them — but not
 * schema-checked again.
 */
function infrastructure(files: TreeFiles, skip: ReadonlySet<string>): GateContext['infrastructure'] {
  const templates = new Map<string, unknown>();
  let plan: unknown;
  for (const [file, content] of files) {
    if (!file.startsWith('infrastructure/')) continue;
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
      if (skip.has(clusterOfFile(file) ?? '')) return [];
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
    const width = Math.max(...RULES.map((rule) => rule.id.length));
    if (out.json) out.result(RULES.map(({ id, rationale }) => ({ id, rationale })));
    else for (const rule of RULES) out.line(`${rule.id.padEnd(width)}  ${rule.rationale}`);
    return 0;
  }
  const { fleet } = loadFleet(args.fleet);
  const files = readWorkingTree(args.root);
  if (args.changedSince !== undefined) requireCommit(args.root, args.changedSince, 'fleet validate --changed-since');
  const unchanged =
    args.changedSince === undefined ? new Set<string>() : unchangedClusters(args.root, args.changedSince, files);
  // Every cluster's objects are read: fleet-wide rules (deploy/*, fleet/*) need the whole fleet. What unchanged
  // clusters skip is the costly per-cluster work (kustomize builds, ARM schema checks); findings in their files were
  // judged at the ref already and are left out.
  const clusterFiles = new Map([...files].filter(([file]) => !file.startsWith('infrastructure/')));
  const clusters = clusterTreesFromFiles(clusterFiles);
  if (clusters.length === 0) {
    throw new CliError(
      `no synthesized tree under ${args.root} (no clusters/<cluster>/ folder)`,
      'run `fleet synth` first, or pass --root the repository root',
      1,
    );
  }
  const full = await validate({
    root: args.root,
    fleet,
    clusters,
    unchanged,
    kustomize: kustomizePath(),
    validators: gateObjectValidators(),
    policy: defaultContainerPolicy(fleet.spec.sharedServices.containerRegistry.name),
    exceptions: fleet.spec.policyExceptions,
    apiAccess: fleet.spec.apiAccess,
    infrastructure: infrastructure(files, unchanged),
  });
  // Missing schemas or kustomize: the gate did not run. That is a failed run (stderr, exit 2), not a finding.
  const unmet = full.findings.find((f) => f.rule === PRECONDITION_RULE);
  if (unmet) throw new CliError(unmet.message, unmet.fix, 2);
  const result = { ...full, findings: full.findings.filter((f) => !unchanged.has(clusterOfFile(f.file) ?? '')) };
  const errors = result.findings.filter((f) => f.severity === 'ERROR').length;
  if (out.json) {
    out.result({ ...result, errors, skipped: [...unchanged].sort() });
  } else {
    for (const finding of result.findings) out.line(formatFinding(finding));
    if (unchanged.size > 0)
      out.line(`skipped ${unchanged.size} cluster(s) whose files are unchanged since ${args.changedSince}`);
    out.line(
      `${result.rules} rules on ${result.objects} objects in ${result.clusters} clusters: ${errors} error(s), ${result.findings.length - errors} warning(s)`,
    );
  }
  return errors > 0 ? 1 : 0;
}
