/**
 * What `fleet status` and `fleet rollout status|promote` share: the flags that say where cluster status comes from
 * (kubeconfig contexts derived from the model, or ARM fluxConfigurations) and the per-cluster timeout, the reader
 * they build, and the one error line when clusters cannot be read.
 */
import { loadFleet, parseDuration, type Fleet } from '@aks-fleet/fleet';
import {
  azureCredential,
  KUBECONFIG_FIX,
  loadKubeConfig,
  readClusterFromArm,
  readClusterFromKube,
  resolveContexts,
  RolloutInputError,
  type ClusterReader,
  type ClusterStatus,
} from '@aks-fleet/rollout';
import { CliError, type FlagSpec } from '../command.ts';

export const SOURCES = ['kubernetes', 'arm'] as const;

/** Where cluster status comes from, and how long one cluster may take. */
export const CLUSTER_SOURCE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  source: {
    type: 'string',
    value: 'SOURCE',
    default: 'kubernetes',
    description: 'kubernetes (kubeconfig contexts) or arm (fluxConfigurations through Azure, for private clusters)',
  },
  kubeconfig: {
    type: 'string',
    value: 'FILE',
    description: 'the kubeconfig (default: the files KUBECONFIG lists, else ~/.kube/config)',
  },
  context: {
    type: 'string',
    multiple: true,
    value: 'CLUSTER=CONTEXT',
    description:
      'read this cluster through this context (default: its AKS cluster name, as az aks get-credentials names it)',
  },
  contexts: { type: 'string', value: 'FILE', description: 'a YAML file of "<cluster>: <context>" lines' },
  timeout: {
    type: 'string',
    value: 'DURATION',
    default: '10s',
    description: 'how long one cluster may take to answer',
  },
  subscription: {
    type: 'string',
    value: 'ID',
    description: 'with --source arm: the Azure subscription (default: AZURE_SUBSCRIPTION_ID)',
  },
};

export type Flags = Readonly<Record<string, string | boolean | string[] | undefined>>;

export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** `--wait 15m` → seconds, or a one-line error naming the flag and the value. */
export function durationFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = parseDuration(value);
  if (seconds === undefined)
    throw new CliError(`--${flag} ${value}: expected a duration like 90s, 15m or 1h30m`, `pass e.g. --${flag} 90s`);
  return seconds;
}

export async function clusterReader(fleet: Readonly<Fleet>, flags: Flags): Promise<ClusterReader> {
  const timeout = stringFlag(flags, 'timeout');
  const timeoutMs = durationFlag('timeout', timeout, 10) * 1000;
  if (timeoutMs <= 0)
    throw new CliError(`--timeout ${timeout}: expected a duration above zero`, 'pass e.g. --timeout 10s');
  const source = stringFlag(flags, 'source') ?? 'kubernetes';
  if (source === 'arm') {
    const subscriptionId = stringFlag(flags, 'subscription') || process.env.AZURE_SUBSCRIPTION_ID;
    if (!subscriptionId)
      throw new CliError(
        '--source arm needs the subscription: neither --subscription nor AZURE_SUBSCRIPTION_ID is set',
        'set AZURE_SUBSCRIPTION_ID or pass --subscription <id> (and log in: az login, GitHub OIDC or a managed identity)',
      );
    const credential = await azureCredential();
    return (identity) => readClusterFromArm(fleet.spec, identity, { credential, subscriptionId }, timeoutMs);
  }
  if (source !== 'kubernetes')
    throw new CliError(
      `--source ${source}: expected kubernetes (kubeconfig contexts) or arm (fluxConfigurations through Azure)`,
      'pass --source kubernetes or --source arm',
    );
  const contexts = resolveContexts(fleet.spec, {
    file: stringFlag(flags, 'contexts'),
    pairs: flags.context as string[] | undefined,
  });
  const file = stringFlag(flags, 'kubeconfig');
  let kubeConfig;
  try {
    kubeConfig = await loadKubeConfig(file);
  } catch (error) {
    if (error instanceof RolloutInputError) throw error;
    throw new CliError(
      `--kubeconfig ${file ?? '(default)'}: cannot be read (${(error as Error).message.split('\n')[0]})`,
      file
        ? 'check the path and its permissions, or omit --kubeconfig to read the files KUBECONFIG lists (else ~/.kube/config)'
        : KUBECONFIG_FIX,
    );
  }
  return (identity) => readClusterFromKube(kubeConfig, contexts.get(identity.cluster)!, identity, timeoutMs);
}

export function loadModel(flags: Flags): Readonly<Fleet> {
  return loadFleet(stringFlag(flags, 'fleet')).fleet;
}

/**
 * The clusters that could not be read, as one error line naming each (and what it was read through) with the fix
 * for the source; undefined when every cluster answered.
 */
export function unreachableError(statuses: readonly ClusterStatus[]): CliError | undefined {
  const unreachable = statuses.filter((s) => !s.reachable);
  if (unreachable.length === 0) return undefined;
  const arm = unreachable.every((s) => s.via === 'arm');
  const names = unreachable.map((s) => `${s.cluster} (${arm ? 'ARM' : `context ${s.endpoint}`})`).join(', ');
  const all = unreachable.length === statuses.length;
  return new CliError(
    `${all ? 'no cluster could be read' : `${unreachable.length} of ${statuses.length} cluster(s) could not be read`}: ${names}; the reasons are in the report`,
    arm
      ? 'check the Azure login (az login) and AZURE_SUBSCRIPTION_ID, that the clusters have their fluxConfigurations, or raise --timeout'
      : 'check that each context reaches its cluster (kubectl --context <context> get kustomizations -A), map clusters with --context CLUSTER=CONTEXT or --contexts FILE, raise --timeout, or read through Azure with --source arm',
    1,
  );
}
