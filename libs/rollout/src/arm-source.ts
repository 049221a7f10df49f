/**
 * Cluster status from ARM, for clusters whose API server is private: the cluster's `fluxConfigurations` resource
 * (Microsoft.KubernetesConfiguration, read through `@azure/arm-kubernetesconfiguration`), which the AKS Flux
 * extension keeps up to date: compliance state, the commit its source synced, and per Flux object its conditions.
 * The credential and the HTTP client are injectable, so the request and the mapping are testable offline.
 */
// The Azure SDK is imported on first use: `fleet status` through kubeconfig contexts should not pay for it.
import type { FluxConfiguration, ObjectStatusDefinition } from '@azure/arm-kubernetesconfiguration';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { clusterAzureNames, FLUX_BOOTSTRAP, type FleetSpec } from '@aks-fleet/fleet';
import { formatTimeout, type ClusterStatus, type ConditionStatus, type LayerStatus } from './cluster-status.ts';
import type { ClusterIdentity } from './kube-source.ts';

export interface ArmSourceOptions {
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  /** HTTP client of the SDK pipeline (tests inject one). @default - the SDK's */
  readonly httpClient?: HttpClient;
}

function compliance(state: string | undefined): ConditionStatus {
  return state === 'Compliant' ? 'True' : state === 'Non-Compliant' ? 'False' : 'Unknown';
}

/** `Applied revision: main@sha1:<sha>` (kustomize-controller's Ready message) → the revision. */
function appliedRevision(message: string | undefined): string | undefined {
  return message ? /Applied revision: (\S+)/.exec(message)?.[1] : undefined;
}

function layerOf(object: ObjectStatusDefinition, synced: string | undefined): LayerStatus {
  const ready = object.statusConditions?.find((c) => c.type === 'Ready');
  const status =
    ready?.status === 'True' || ready?.status === 'False' ? ready.status : compliance(object.complianceState);
  return {
    name: object.name ?? '?',
    namespace: object.namespace ?? '?',
    ready: status,
    reason: ready?.reason,
    message: ready?.message,
    lastAppliedRevision: appliedRevision(ready?.message) ?? (status === 'True' ? synced : undefined),
    readySince: ready?.lastTransitionTime?.toISOString(),
  };
}

/** The status fleet status reports, from a fluxConfigurations resource. */
export function clusterStatusFromArm(
  configuration: FluxConfiguration,
  identity: ClusterIdentity,
  endpoint: string,
): ClusterStatus {
  const synced = configuration.sourceSyncedCommitId;
  return {
    ...identity,
    via: 'arm',
    endpoint,
    reachable: true,
    source: {
      branch: configuration.gitRepository?.repositoryRef?.branch,
      revision: synced,
      ready: compliance(configuration.complianceState),
      message:
        configuration.complianceState === 'Compliant'
          ? undefined
          : `compliance state ${configuration.complianceState ?? 'unknown'}`,
      updatedAt: configuration.sourceUpdatedAt?.toISOString(),
    },
    kustomizations: (configuration.statuses ?? [])
      .filter((s): s is ObjectStatusDefinition => s?.kind === 'Kustomization')
      .map((s) => layerOf(s, synced))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)),
  };
}

/** Reads one cluster's fluxConfigurations resource; an ARM error or a timeout reports the cluster unreachable. */
export async function readClusterFromArm(
  spec: FleetSpec,
  identity: ClusterIdentity,
  options: ArmSourceOptions,
  timeoutMs: number,
): Promise<ClusterStatus> {
  const names = clusterAzureNames(spec, identity.cluster);
  const endpoint = `/subscriptions/${options.subscriptionId}/resourceGroups/${names.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${names.aksCluster}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/${FLUX_BOOTSTRAP.configurationName}`;
  const { SourceControlConfigurationClient } = await import('@azure/arm-kubernetesconfiguration');
  const client = new SourceControlConfigurationClient(
    options.credential,
    options.subscriptionId,
    options.httpClient ? { httpClient: options.httpClient } : {},
  );
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const configuration = await client.fluxConfigurations.get(
      names.resourceGroup,
      'Microsoft.ContainerService',
      'managedClusters',
      names.aksCluster,
      FLUX_BOOTSTRAP.configurationName,
      {
        abortSignal: abort.signal,
      },
    );
    return clusterStatusFromArm(configuration, identity, endpoint);
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const why = abort.signal.aborted
      ? `no answer within ${formatTimeout(timeoutMs)} (timeout)`
      : `${e.code ? `${e.code}: ` : ''}${(e.message ?? String(error)).split('\n')[0]}`;
    return { ...identity, via: 'arm', endpoint, reachable: false, error: why, kustomizations: [] };
  } finally {
    clearTimeout(timer);
  }
}

/** The credential chain of the Azure CLI/SDK (environment, workload identity, managed identity, az login …). */
export async function azureCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}
