/**
 * The options `fleet status` and `fleet rollout` share: where cluster status comes from (kubeconfig contexts derived
 * from the model, or ARM fluxConfigurations), the per-cluster timeout, the fleet file, and how a command's input
 * errors end: one line each, exit 2, never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FleetValidationError, formatIssue, loadFleet, parseDuration, type Fleet } from '@aks-fleet/fleet';
import {
  azureCredential,
  loadKubeConfig,
  readClusterFromArm,
  readClusterFromKube,
  resolveContexts,
  RolloutInputError,
  type ClusterReader,
} from '@aks-fleet/rollout';

export const CLUSTER_SOURCE_OPTIONS = {
  fleet: { type: 'string' },
  source: { type: 'string', default: 'kubernetes' },
  kubeconfig: { type: 'string' },
  context: { type: 'string', multiple: true },
  contexts: { type: 'string' },
  timeout: { type: 'string', default: '10s' },
  subscription: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export interface SourceValues {
  fleet?: string | undefined;
  source?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string[] | undefined;
  contexts?: string | undefined;
  timeout?: string | undefined;
  subscription?: string | undefined;
}

/** `--wait 15m` → seconds, or a one-line error naming the flag and the value. */
export function durationFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = parseDuration(value);
  if (seconds === undefined)
    throw new RolloutInputError(`--${flag} ${value}: expected a duration like 90s, 15m or 1h30m`);
  return seconds;
}

/** The CLI's one output convention, `-o/--output text|json`, on top of these commands' own `--json`. */
function withOutputFlag(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^--output=(.*)$/.exec(arg)?.[1];
    const value = inline ?? (arg === '-o' || arg === '--output' ? argv[++i] : undefined);
    if (value === undefined && inline === undefined && arg !== '-o' && arg !== '--output') {
      args.push(arg);
      continue;
    }
    if (value === 'json') args.push('--json');
    else if (value !== 'text') throw new RolloutInputError(`-o ${value ?? '(missing)'}: expected text or json`);
  }
  return args;
}

export function parseCommandArgs<O extends ParseArgsConfig['options']>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: withOutputFlag(argv), allowPositionals: true, options, strict: true });
  } catch (error) {
    throw new RolloutInputError((error as Error).message.split('\n')[0]!);
  }
}

export async function clusterReader(fleet: Readonly<Fleet>, values: SourceValues): Promise<ClusterReader> {
  const timeoutMs = durationFlag('timeout', values.timeout, 10) * 1000;
  if (timeoutMs <= 0) throw new RolloutInputError(`--timeout ${values.timeout}: expected a duration above zero`);
  if (values.source === 'arm') {
    const subscriptionId = values.subscription ?? process.env.AZURE_SUBSCRIPTION_ID;
    if (!subscriptionId)
      throw new RolloutInputError(
        '--source arm needs the subscription: set AZURE_SUBSCRIPTION_ID or pass --subscription <id>',
      );
    const credential = await azureCredential();
    return (identity) => readClusterFromArm(fleet.spec, identity, { credential, subscriptionId }, timeoutMs);
  }
  if (values.source !== 'kubernetes')
    throw new RolloutInputError(
      `--source ${values.source}: expected kubernetes (kubeconfig contexts) or arm (fluxConfigurations through Azure)`,
    );
  const contexts = resolveContexts(fleet.spec, { file: values.contexts, pairs: values.context });
  let kubeConfig;
  try {
    kubeConfig = loadKubeConfig(values.kubeconfig);
  } catch (error) {
    throw new RolloutInputError(
      `--kubeconfig ${values.kubeconfig ?? '(default)'}: cannot be read (${(error as Error).message.split('\n')[0]})`,
    );
  }
  return (identity) => readClusterFromKube(kubeConfig, contexts.get(identity.cluster)!, identity, timeoutMs);
}

export function loadModel(values: SourceValues): Readonly<Fleet> {
  return loadFleet(values.fleet).fleet;
}

/** Ends a status/rollout command on an error: one line per problem, no stack trace. */
export function reportCommandError(error: unknown, command: string): number {
  if (error instanceof FleetValidationError) {
    for (const issue of error.issues) process.stderr.write(`ERROR ${formatIssue(issue)}\n`);
    process.stderr.write(`${error.issues.length} error(s) in the fleet model\n`);
    return 1;
  }
  if (error instanceof RolloutInputError) {
    process.stderr.write(`ERROR ${error.message}\n`);
    return 2;
  }
  process.stderr.write(
    `ERROR ${command}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`,
  );
  return 1;
}
