/**
 * The `fleet` command line. Commands are imported on use: `fleet synth` should not pay for the Azure SDK or the gate.
 */
import { parseArgs } from 'node:util';
import { FleetValidationError, formatIssue } from '@aks-fleet/fleet';
import { ObjectValidationError, UnknownClusterError } from '@aks-fleet/synth';
import { consoleOutput } from './output.ts';
import { findWorkspaceRoot } from './workspace-root.ts';

const USAGE = `usage: fleet <command> [options]

commands:
  synth      synthesize manifests/<cluster>/ and clusters/<cluster>/ from the fleet model
  validate   run the gate rules on the synthesized tree (--list-rules lists them; --changed-since REF skips
             clusters whose files equal REF's)
  diff       what a change does to each cluster: fleet diff --base <git-ref> [--format text|markdown|json]
  infra      infra plan [--region R | --shared] (ordered deployments; ARM what-if when AZURE_SUBSCRIPTION_ID is set)
             infra deploy [--region R | --shared] [--secure-parameters FILE] (validate, then deploy in order)
  model      check the fleet model (structure and cross-field rules) and print what it holds

synth options:
  --cluster NAME   only this cluster (repeatable); its folders only
  --check          write nothing; list every file that differs and exit 1 on drift
  --fleet PATH     a fleet file or fleet directory (default: the embedded default fleet)
  --root DIR       repository root to write to (default: the nearest folder with nx.json)
  --json           one JSON document on stdout
  --verbose        list every file written
  --workers N      also render on N worker threads (default 0; same output — measure with npm run bench:synth)
`;

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        cluster: { type: 'string', multiple: true },
        check: { type: 'boolean', default: false },
        fleet: { type: 'string' },
        root: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        'list-rules': { type: 'boolean', default: false },
        base: { type: 'string' },
        region: { type: 'string' },
        'secure-parameters': { type: 'string' },
        shared: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        workers: { type: 'string' },
        'changed-since': { type: 'string' },
      },
    });
  } catch (error) {
    process.stderr.write(`ERROR ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command] = positionals;
  if (values.help || !command) {
    (values.help ? process.stdout : process.stderr).write(USAGE);
    return values.help ? 0 : 2;
  }
  const out = consoleOutput(values.json, values.verbose || process.stdout.isTTY === true);
  try {
    switch (command) {
      case 'synth':
        return await (await import('./commands/synth.ts')).runSynth(
          {
            root: values.root ?? findWorkspaceRoot(),
            ...(values.fleet ? { fleet: values.fleet } : {}),
            clusters: values.cluster ?? [],
            check: values.check,
            ...(values.workers !== undefined ? { workers: workerCount(values.workers) } : {}),
          },
          out,
        );
      case 'validate':
        return await (await import('./commands/validate.ts')).runValidate(
          {
            root: values.root ?? findWorkspaceRoot(),
            ...(values.fleet ? { fleet: values.fleet } : {}),
            listRules: values['list-rules'],
            ...(values['changed-since'] ? { changedSince: values['changed-since'] } : {}),
          },
          out,
        );
      case 'diff':
        if (!values.base) {
          process.stderr.write(`ERROR diff needs --base <git-ref> (e.g. origin/main)\n${USAGE}`);
          return 2;
        }
        return (await import('./commands/diff.ts')).runDiff({ root: values.root ?? findWorkspaceRoot(), base: values.base, format: values.format }, out);
      case 'infra':
        return await (await import('./commands/infra.ts')).runInfra(
          {
            action: positionals[1],
            ...(values.fleet ? { fleet: values.fleet } : {}),
            ...(values.region ? { region: values.region } : {}),
            shared: values.shared,
            ...(values['secure-parameters'] ? { secureParameters: values['secure-parameters'] } : {}),
          },
          out,
        );
      case 'model':
        return (await import('./commands/model.ts')).runModel({ ...(values.fleet ? { fleet: values.fleet } : {}), clusters: values.cluster ?? [] }, out);
      default:
        process.stderr.write(`ERROR unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    return reportError(error, out.json);
  }
}

/** The synth render worker, started from this module when the CLI runs as one bundle (see commands/synth.ts). */
export async function synthWorker(): Promise<void> {
  (await import('./commands/synth.ts')).synthWorker();
}

function workerCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--workers ${value}: expected a whole number of threads (0 renders in this thread)`);
  return Number(value);
}

class UsageError extends Error {}

function reportError(error: unknown, json: boolean): number {
  if (error instanceof FleetValidationError) {
    if (json) process.stdout.write(`${JSON.stringify({ error: 'fleet-validation', issues: error.issues }, null, 2)}\n`);
    for (const issue of error.issues) process.stderr.write(`ERROR ${formatIssue(issue)}\n`);
    process.stderr.write(`${error.issues.length} error(s) in the fleet model; nothing was written\n`);
    return 1;
  }
  if (error instanceof ObjectValidationError) {
    if (json) process.stdout.write(`${JSON.stringify({ error: 'object-validation', problems: error.problems }, null, 2)}\n`);
    process.stderr.write(`${error.message}\nnothing was written\n`);
    return 1;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`ERROR ${error.message}\n`);
    return 2;
  }
  if (error instanceof UnknownClusterError) {
    process.stderr.write(`ERROR ${error.message}\n`);
    return 2;
  }
  throw error;
}
