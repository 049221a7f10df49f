/**
 * Cluster status through the Kubernetes API with `@kubernetes/client-node`: the bootstrap GitRepository and every
 * Flux Kustomization, read through one kubeconfig context per cluster, bounded by a per-cluster timeout (the
 * requests are aborted, not left hanging). A cluster that cannot be read is reported unreachable with the reason.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The client library (and its HTTP stack) is imported on first use: only the commands that talk to clusters pay
// for it, not every `fleet` command at startup (the CLI bundle keeps it external: apps/fleet-cli/bin/fleet.js).
import type { KubeConfig, Observable, RequestContext, ResponseContext } from '@kubernetes/client-node';
import { FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import { formatTimeout, type ClusterStatus } from './cluster-status.ts';
import { RolloutInputError } from './errors.ts';
import {
  FLUX_KUSTOMIZATION_API,
  FLUX_SOURCE_API,
  layerStatusOf,
  sourceStatusOf,
  type FluxObject,
} from './flux-objects.ts';

export interface ClusterIdentity {
  readonly cluster: string;
  readonly region: string;
  readonly wave: string;
  readonly branch: string;
}

/** What to do when no kubeconfig (or no context) can be found. */
export const KUBECONFIG_FIX =
  'pass --kubeconfig FILE or set KUBECONFIG (`az aks get-credentials --resource-group <rg> --name <cluster>` writes ' +
  '~/.kube/config), map a cluster to another context with --context CLUSTER=CONTEXT, or read through Azure with --source arm';

/** A kubeconfig that was found but names no context: what to put in it (passing another file is only one way). */
function noContextsFix(file: string | undefined): string {
  const target = file ? ` --file ${file}` : '';
  return (
    `add a context per cluster: \`az aks get-credentials --resource-group <rg> --name <cluster>${target}\` writes one ` +
    `into ${file ?? 'the kubeconfig'}${file ? '' : ', or pass --kubeconfig FILE with them'}; or read through Azure with --source arm`
  );
}

/**
 * Loads the kubeconfig the way kubectl does — the files KUBECONFIG lists (those that exist), else ~/.kube/config — or
 * `file`. No kubeconfig at all is one clear error naming where it looked (the client library would otherwise make up
 * a `localhost:8080` context, and every cluster would be "not in the kubeconfig").
 */
export async function loadKubeConfig(file?: string, env: NodeJS.ProcessEnv = process.env): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  if (file) {
    config.loadFromFile(file);
    if (config.getContexts().length === 0)
      throw new RolloutInputError(`--kubeconfig ${file} has no contexts`, noContextsFix(file));
    return config;
  }
  const listed = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  const candidates = listed.length > 0 ? listed : [path.join(env.HOME || os.homedir(), '.kube', 'config')];
  const found = candidates.filter((candidate) => existsSync(candidate));
  const where =
    listed.length > 0
      ? `KUBECONFIG lists ${listed.join(path.delimiter)}`
      : `KUBECONFIG is not set, and ${candidates[0]} does not exist`;
  if (found.length === 0)
    throw new RolloutInputError(
      `no kubeconfig found: --kubeconfig was not given, ${where}${listed.length > 0 ? ', and none of them exists' : ''}`,
      KUBECONFIG_FIX,
    );
  config.loadFromFile(found[0]!);
  // Merged as kubectl merges: the first file that names a cluster, user or context wins.
  for (const other of found.slice(1)) {
    const next = new KubeConfig();
    next.loadFromFile(other);
    for (const cluster of next.getClusters()) if (!config.getCluster(cluster.name)) config.addCluster(cluster);
    for (const user of next.getUsers()) if (!config.getUser(user.name)) config.addUser(user);
    for (const context of next.getContexts()) if (!config.getContextObject(context.name)) config.addContext(context);
  }
  if (config.getContexts().length === 0)
    throw new RolloutInputError(
      `the kubeconfig ${found.join(path.delimiter)} has no contexts`,
      noContextsFix(undefined),
    );
  return config;
}

/** Middleware that puts every request of one read under one abort signal. */
function abortWith(signal: AbortSignal, ObservableClass: typeof Observable) {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(signal);
      return new ObservableClass(Promise.resolve(context));
    },
    post: (response: ResponseContext) => new ObservableClass(Promise.resolve(response)),
  };
}

function reason(error: unknown, timeoutMs: number, aborted: boolean): string {
  if (aborted) return `no answer within ${formatTimeout(timeoutMs)} (timeout)`;
  const e = error as { code?: number | string; message?: string; body?: unknown };
  const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? '');
  const message = /"message":"([^"]+)"/.exec(body)?.[1] ?? e.message ?? String(error);
  return message
    .split('\n')[0]!
    .replace(/^request to \S+ failed, reason: /, '')
    .slice(0, 200);
}

export async function readClusterFromKube(
  kubeConfig: KubeConfig,
  context: string,
  identity: ClusterIdentity,
  timeoutMs: number,
): Promise<ClusterStatus> {
  const base = { ...identity, via: 'kubernetes' as const, endpoint: context, kustomizations: [] };
  if (!kubeConfig.getContextObject(context)) {
    const known = kubeConfig.getContexts().map((c) => c.name);
    return {
      ...base,
      reachable: false,
      error: `no context "${context}" in the kubeconfig (it has: ${known.join(', ') || 'none'}); map the cluster with --context ${identity.cluster}=<context> or --contexts FILE`,
    };
  }
  const { CustomObjectsApi, KubeConfig, Observable } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  config.loadFromString(kubeConfig.exportConfig());
  config.setCurrentContext(context);
  const api = config.makeApiClient(CustomObjectsApi);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const options = { middleware: [abortWith(abort.signal, Observable)], middlewareMergeStrategy: 'append' as const };
  try {
    const [source, list] = await Promise.all([
      api
        .getNamespacedCustomObject(
          { ...FLUX_SOURCE_API, namespace: FLUX_BOOTSTRAP.namespace, name: FLUX_BOOTSTRAP.configurationName },
          options,
        )
        .catch((error: unknown) => {
          if ((error as { code?: number }).code === 404) return undefined;
          throw error;
        }),
      api.listClusterCustomObject({ ...FLUX_KUSTOMIZATION_API }, options),
    ]);
    const items = ((list as { items?: FluxObject[] }).items ?? [])
      .map(layerStatusOf)
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    return {
      ...base,
      reachable: true,
      source: source ? sourceStatusOf(source as FluxObject) : undefined,
      kustomizations: items,
    };
  } catch (error) {
    return { ...base, reachable: false, error: reason(error, timeoutMs, abort.signal.aborted) };
  } finally {
    clearTimeout(timer);
  }
}
