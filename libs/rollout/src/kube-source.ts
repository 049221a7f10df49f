/**
 * Cluster status through the Kubernetes API with `@kubernetes/client-node`: the bootstrap GitRepository and every
 * Flux Kustomization, read through one kubeconfig context per cluster, bounded by a per-cluster timeout (the
 * requests are aborted, not left hanging). A cluster that cannot be read is reported unreachable with the reason.
 */
import {
  CustomObjectsApi,
  KubeConfig,
  Observable,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import { formatTimeout, type ClusterStatus } from './cluster-status.ts';
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

/** Loads the kubeconfig the way kubectl does (KUBECONFIG, then ~/.kube/config), or from `file`. */
export function loadKubeConfig(file?: string): KubeConfig {
  const config = new KubeConfig();
  if (file) config.loadFromFile(file);
  else config.loadFromDefault();
  return config;
}

/** Middleware that puts every request of one read under one abort signal. */
function abortWith(signal: AbortSignal) {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response: ResponseContext) => new Observable(Promise.resolve(response)),
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
  const config = new KubeConfig();
  config.loadFromString(kubeConfig.exportConfig());
  config.setCurrentContext(context);
  const api = config.makeApiClient(CustomObjectsApi);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const options = { middleware: [abortWith(abort.signal)], middlewareMergeStrategy: 'append' as const };
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
    return { ...base, reachable: false, error: `unreachable: ${reason(error, timeoutMs, abort.signal.aborted)}` };
  } finally {
    clearTimeout(timer);
  }
}
