/**
 * `fleet infra plan [--region R]` and `fleet infra deploy [--region R] [--secure-parameters FILE]`.
 *
 * Azure is only contacted when AZURE_SUBSCRIPTION_ID is set (with credentials DefaultAzureCredential can use:
 * `az login`, GitHub OIDC, a managed identity …). Without it, `plan` prints the ordered plan and says so.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadFleet } from '@aks-fleet/fleet';
import { ArmSchemaValidator, defaultAzureCredential, deploy, formatArmProblem, planDeployment, selectDeployments, whatIf } from '@aks-fleet/infra';
import { CliError, FLEET_FLAG, type Command } from '../command.ts';
import type { Output } from '../output.ts';

export const infraCommand: Command = {
  name: 'infra',
  summary: 'the ordered ARM deployments: plan (what-if with Azure credentials) or deploy',
  usage: [
    'fleet infra plan [--region R | --shared] [--fleet PATH] [-o text|json]',
    'fleet infra deploy [--region R | --shared] [--secure-parameters FILE] [--fleet PATH]',
  ],
  description: `
plan: prints the ordered deployment steps (resource groups, shared, hubs, spokes, hub egress, stamps, Front Door);
with AZURE_SUBSCRIPTION_ID set (and az login, GitHub OIDC or a managed identity) it also runs ARM what-if per step.
deploy: validates every template against the official ARM schemas ($FLEET_SCHEMA_LOCATION), then deploys the steps in
order and stops at the first failure. Needs Azure; without AZURE_SUBSCRIPTION_ID nothing is deployed.`,
  flags: {
    region: { type: 'string', value: 'REGION', description: "only this region's steps (plus the fleet-wide ones)" },
    shared: { type: 'boolean', description: 'only the fleet-wide steps' },
    'secure-parameters': { type: 'string', value: 'FILE', description: 'JSON file: { "<step id>": { "<parameter>": "<value>" } } (deploy)' },
    fleet: FLEET_FLAG,
  },
  positionals: ['action'],
  outputs: ['text', 'json'],
  run: ({ args, flags, out }) =>
    runInfra(
      {
        action: args[0],
        ...(typeof flags.fleet === 'string' ? { fleet: flags.fleet } : {}),
        ...(typeof flags.region === 'string' ? { region: flags.region } : {}),
        shared: flags.shared === true,
        ...(typeof flags['secure-parameters'] === 'string' ? { secureParameters: flags['secure-parameters'] } : {}),
      },
      out,
    ),
};

export interface InfraArgs {
  readonly action: string | undefined;
  readonly fleet?: string;
  readonly region?: string;
  readonly shared?: boolean;
  readonly secureParameters?: string;
}

function azureTarget(): { subscriptionId: string } | undefined {
  const subscriptionId = process.env.AZURE_SUBSCRIPTION_ID;
  return subscriptionId ? { subscriptionId } : undefined;
}

export async function runInfra(args: InfraArgs, out: Output): Promise<number> {
  if (args.action !== 'plan' && args.action !== 'deploy') {
    throw new CliError(
      args.action === undefined ? '`fleet infra` needs an action' : `unknown infra action "${args.action}"`,
      'run `fleet infra plan` or `fleet infra deploy` (see `fleet infra --help`)',
    );
  }
  if (args.region && args.shared) throw new CliError('--region and --shared exclude each other', 'pass one of them');
  const { fleet } = loadFleet(args.fleet);
  const regions = Object.keys(fleet.spec.regions);
  if (args.region && !regions.includes(args.region)) {
    throw new CliError(`unknown region "${args.region}"; the fleet has ${regions.join(', ')}`, 'pass one of these to --region');
  }
  const options = { ...(args.region ? { region: args.region } : {}), ...(args.shared ? { sharedOnly: true } : {}) };
  if (args.action === 'plan') {
    const steps = planDeployment(fleet, options);
    if (out.json && !azureTarget()) {
      out.result({ steps, whatIf: null, reason: 'AZURE_SUBSCRIPTION_ID not set' });
      return 0;
    }
    out.line(`deployment plan (${steps.length} steps${args.region ? `, region ${args.region}` : ''}):`);
    steps.forEach((step, i) => out.line(`  ${String(i + 1).padStart(2)}. ${step.id.padEnd(28)} ${step.scope === 'subscription' ? 'subscription' : step.resourceGroup} ← ${step.templatePath}`));
    const target = azureTarget();
    if (!target) {
      out.warn('no Azure credentials: AZURE_SUBSCRIPTION_ID is not set, so no what-if was run (set it and log in with `az login` or GitHub OIDC to preview every step).');
      return 0;
    }
    const results = await whatIf(fleet, { ...options, credential: await defaultAzureCredential(), subscriptionId: target.subscriptionId, onStep: ({ step, phase }) => out.progress(`  ${phase} ${step.id}`) });
    for (const result of results) {
      out.line(`what-if ${result.step.id}: ${result.status ?? 'unknown'}`);
      for (const change of result.changes) out.line(`    ${change.changeType.padEnd(10)} ${change.resourceId ?? ''}`);
    }
    return 0;
  }
  const target = azureTarget();
  if (!target) {
    throw new CliError('infra deploy needs Azure; nothing was deployed', 'set AZURE_SUBSCRIPTION_ID and log in (az login, GitHub OIDC or a managed identity)', 1);
  }
  {
    // Validate every template against the official ARM schemas before anything is sent.
    const validator = ArmSchemaValidator.load({});
    const problems = selectDeployments(fleet, options).flatMap(({ step, template }) => validator.validateTemplate(template, step.templatePath));
    if (problems.length > 0) {
      for (const problem of problems) out.error(`ERROR ${formatArmProblem(problem)}`);
      return 1;
    }
    const secureParameters = args.secureParameters ? readSecureParameters(args.secureParameters) : {};
    const results = await deploy(fleet, {
      ...options,
      credential: await defaultAzureCredential(),
      subscriptionId: target.subscriptionId,
      secureParameters,
      onStep: ({ step, phase }) => out.progress(`  ${phase.padEnd(8)} ${step.id}`),
    });
    out.line(`deployed ${results.length} step(s)`);
    return 0;
  }
  return 0;
}

function readSecureParameters(file: string): Record<string, Record<string, string>> {
  const fix = 'pass a JSON file { "<step id>": { "<parameter>": "<value>" } } to --secure-parameters';
  let text: string;
  try {
    text = readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new CliError(`--secure-parameters ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, fix, 1);
  }
  try {
    return JSON.parse(text) as Record<string, Record<string, string>>;
  } catch (error) {
    throw new CliError(`--secure-parameters ${file}: not JSON (${(error as Error).message})`, fix, 1);
  }
}
