/**
 * `fleet infra plan [--region R]` and `fleet infra deploy [--region R] [--tls-dir DIR] [--secure-parameters FILE]`.
 *
 * Azure is only contacted when AZURE_SUBSCRIPTION_ID is set (with credentials DefaultAzureCredential can use:
 * `az login`, GitHub OIDC, a managed identity …). Without it, `plan` prints the ordered plan and says so.
 *
 * Secure inputs come at deploy time only: TLS files from `--tls-dir` (or FLEET_TLS_DIR) as
 * `<cluster>/<name>.<pfx|pem|crt>`, a private repository's token from FLEET_GIT_TOKEN or SSH key from the file
 * FLEET_GIT_SSH_PRIVATE_KEY_FILE names.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadFleet } from '@aks-fleet/fleet';
import {
  ArmSchemaValidator,
  defaultAzureCredential,
  deploy,
  formatArmProblem,
  KEY_VAULT_SECURE_PARAMETERS,
  planDeployment,
  selectDeployments,
  tlsInputPath,
  whatIf,
  type DeploymentStep,
} from '@aks-fleet/infra';
import { CliError, FLEET_FLAG, type Command } from '../command.ts';
import type { Output } from '../output.ts';

export const infraCommand: Command = {
  name: 'infra',
  summary: 'the ordered ARM deployments: plan (what-if with Azure credentials) or deploy',
  usage: [],
  description: `
plan: prints the ordered deployment steps (resource groups, shared, hubs, spokes, hub egress, stamps, Front Door);
with AZURE_SUBSCRIPTION_ID set (and az login, GitHub OIDC or a managed identity) it also runs ARM what-if per step.
deploy: validates every template against the official ARM schemas ($FLEET_SCHEMA_LOCATION), then deploys the steps in
order and stops at the first failure, importing each vault's TLS certificates from --tls-dir (or FLEET_TLS_DIR) as
<cluster>/<name>.<pfx|pem|crt>; a private repository's credential comes from FLEET_GIT_TOKEN or the SSH key file
FLEET_GIT_SSH_PRIVATE_KEY_FILE names (never a flag, never a file in git). Needs Azure; without AZURE_SUBSCRIPTION_ID
nothing is deployed.`,
  flags: {
    region: { type: 'string', value: 'REGION', description: "only this region's steps (plus the fleet-wide ones)" },
    shared: { type: 'boolean', description: 'only the fleet-wide steps' },
    'secure-parameters': {
      type: 'string',
      value: 'FILE',
      description: 'JSON file: { "<step id>": { "<parameter>": "<value>" } } (what-if and deploy)',
    },
    'tls-dir': {
      type: 'string',
      value: 'DIR',
      description: 'folder of the TLS files to import into each Key Vault (or FLEET_TLS_DIR; what-if and deploy)',
    },
    fleet: FLEET_FLAG,
  },
  subcommands: [
    {
      name: 'plan',
      summary: 'the ordered deployment steps, and ARM what-if per step when AZURE_SUBSCRIPTION_ID is set',
      usage:
        'fleet infra plan [--region R | --shared] [--secure-parameters FILE] [--tls-dir DIR] [--fleet PATH] [-o text|json]',
      flags: {},
      outputs: ['text', 'json'],
    },
    {
      name: 'deploy',
      summary: 'validate every template against the ARM schemas, then deploy the steps in order',
      usage:
        'fleet infra deploy [--region R | --shared] [--tls-dir DIR] [--key-vault-access-ip IP] [--secure-parameters FILE] [--fleet PATH]',
      // Deploy only: plan imports no certificate, so it has no vault firewall to open.
      flags: {
        'key-vault-access-ip': {
          type: 'string',
          value: 'IP',
          description:
            "open each vault's firewall to this IP for the certificate import only (or FLEET_KEY_VAULT_ACCESS_IP)",
        },
      },
    },
  ],
  run: ({ subcommand, flags, out }) =>
    runInfra(
      {
        action: subcommand,
        ...(typeof flags.fleet === 'string' ? { fleet: flags.fleet } : {}),
        ...(typeof flags.region === 'string' ? { region: flags.region } : {}),
        shared: flags.shared === true,
        ...(typeof flags['secure-parameters'] === 'string' ? { secureParameters: flags['secure-parameters'] } : {}),
        ...(typeof flags['tls-dir'] === 'string' ? { tlsDir: flags['tls-dir'] } : {}),
        ...(typeof flags['key-vault-access-ip'] === 'string' ? { keyVaultAccessIp: flags['key-vault-access-ip'] } : {}),
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
  readonly tlsDir?: string;
  readonly keyVaultAccessIp?: string;
}

/** The TLS files the steps declare, read from the TLS directory (missing ones are reported by deploy, all at once). */
export function readTlsFiles(steps: readonly DeploymentStep[], dir: string | undefined): Record<string, Uint8Array> {
  if (!dir) return {};
  const inputs = steps.flatMap((step) => [
    ...(step.importCertificates ?? []).map((c) => c.input),
    ...(step.cluster && step.kind === 'key-vault'
      ? Object.values(KEY_VAULT_SECURE_PARAMETERS).map((o) => tlsInputPath(step.cluster!, o))
      : []),
  ]);
  const files: Record<string, Uint8Array> = {};
  for (const input of inputs) {
    const file = path.resolve(dir, input);
    if (existsSync(file)) files[input] = readFileSync(file);
  }
  return files;
}

/** The private repository's credential from the environment (never a flag: flags land in shell history). */
function gitCredential(): string | undefined {
  if (process.env.FLEET_GIT_TOKEN) return process.env.FLEET_GIT_TOKEN;
  const keyFile = process.env.FLEET_GIT_SSH_PRIVATE_KEY_FILE;
  return keyFile ? readFileSync(path.resolve(keyFile), 'utf8') : undefined;
}

function azureTarget(): { subscriptionId: string } | undefined {
  const subscriptionId = process.env.AZURE_SUBSCRIPTION_ID;
  return subscriptionId ? { subscriptionId } : undefined;
}

function deployInputs(steps: readonly DeploymentStep[], args: InfraArgs) {
  const secureParameters = args.secureParameters ? readSecureParameters(args.secureParameters) : {};
  const credential = gitCredential();
  const accessIp = args.keyVaultAccessIp ?? process.env.FLEET_KEY_VAULT_ACCESS_IP;
  return {
    secureParameters,
    tlsFiles: readTlsFiles(steps, args.tlsDir ?? process.env.FLEET_TLS_DIR),
    ...(credential ? { gitCredential: credential } : {}),
    ...(accessIp ? { keyVaultAccessIp: accessIp } : {}),
  };
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
    throw new CliError(
      `unknown region "${args.region}"; the fleet has ${regions.join(', ')}`,
      'pass one of these to --region',
    );
  }
  const options = { ...(args.region ? { region: args.region } : {}), ...(args.shared ? { sharedOnly: true } : {}) };
  if (args.action === 'plan') {
    const steps = planDeployment(fleet, options);
    if (out.json && !azureTarget()) {
      out.result({ steps, whatIf: null, reason: 'AZURE_SUBSCRIPTION_ID not set' });
      return 0;
    }
    out.line(`deployment plan (${steps.length} steps${args.region ? `, region ${args.region}` : ''}):`);
    steps.forEach((step, i) =>
      out.line(
        `  ${String(i + 1).padStart(2)}. ${step.id.padEnd(28)} ${step.scope === 'subscription' ? 'subscription' : step.resourceGroup} ← ${step.templatePath}`,
      ),
    );
    const target = azureTarget();
    if (!target) {
      out.warn(
        'no Azure credentials: AZURE_SUBSCRIPTION_ID is not set, so no what-if was run (set it and log in with `az login` or GitHub OIDC to preview every step).',
      );
      return 0;
    }
    const inputs = deployInputs(steps, args);
    const results = await whatIf(fleet, {
      ...options,
      ...inputs,
      credential: await defaultAzureCredential(),
      subscriptionId: target.subscriptionId,
      onStep: ({ step, phase }) => out.progress(`  ${phase} ${step.id}`),
    });
    for (const result of results) {
      out.line(`what-if ${result.step.id}: ${result.status ?? 'unknown'}`);
      for (const change of result.changes) out.line(`    ${change.changeType.padEnd(10)} ${change.resourceId ?? ''}`);
    }
    return 0;
  }
  const target = azureTarget();
  if (!target) {
    throw new CliError(
      'infra deploy needs Azure; nothing was deployed',
      'set AZURE_SUBSCRIPTION_ID and log in (az login, GitHub OIDC or a managed identity)',
      1,
    );
  }
  {
    // Validate every template against the official ARM schemas before anything is sent.
    const validator = ArmSchemaValidator.load({});
    const problems = selectDeployments(fleet, options).flatMap(({ step, template }) =>
      validator.validateTemplate(template, step.templatePath),
    );
    if (problems.length > 0) {
      for (const problem of problems) out.error(`ERROR ${formatArmProblem(problem)}`);
      return 1;
    }
    const results = await deploy(fleet, {
      ...options,
      ...deployInputs(planDeployment(fleet, options), args),
      credential: await defaultAzureCredential(),
      subscriptionId: target.subscriptionId,
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
