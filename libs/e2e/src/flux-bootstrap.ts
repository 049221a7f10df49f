/**
 * Exactly the objects the AKS Flux extension creates from our `fluxConfigurations` resource (libs/infra
 * stamp-flux.ts): the GitRepository named after the configuration, in its namespace, and one Kustomization
 * `<configuration>-<kustomization>` at the cluster's entrypoint path. Names, namespace, path and intervals come from
 * `FLUX_BOOTSTRAP` / `entrypointPath()` in @aks-fleet/fleet — the same values the infrastructure templates use.
 *
 * One deliberate difference: the GitRepository URL is the loopback git server, not the model's `gitSource.url`
 * (GitHub is neither reachable nor the repository under test). The branch is the model's `gitSource.branch`.
 * Our fluxConfiguration does not set the kustomization's `wait`, so neither does this object.
 */
import { entrypointPath, FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import type { KubeObject } from './kube-client.ts';

export const GIT_REPOSITORY_API = 'source.toolkit.fluxcd.io/v1';
export const KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';

/** `aks-fleet-entrypoint`: how the extension names the configuration's kustomization. */
export const ROOT_KUSTOMIZATION = `${FLUX_BOOTSTRAP.configurationName}-${FLUX_BOOTSTRAP.kustomizationName}`;

export function fluxBootstrapObjects(cluster: string, gitUrl: string, branch: string): { gitRepository: KubeObject; rootKustomization: KubeObject } {
  const seconds = (n: number): string => `${n}s`;
  return {
    gitRepository: {
      apiVersion: GIT_REPOSITORY_API,
      kind: 'GitRepository',
      metadata: { name: FLUX_BOOTSTRAP.configurationName, namespace: FLUX_BOOTSTRAP.namespace },
      spec: {
        url: gitUrl,
        ref: { branch },
        interval: seconds(FLUX_BOOTSTRAP.syncIntervalSeconds),
        timeout: seconds(FLUX_BOOTSTRAP.timeoutSeconds),
      },
    },
    rootKustomization: {
      apiVersion: KUSTOMIZATION_API,
      kind: 'Kustomization',
      metadata: { name: ROOT_KUSTOMIZATION, namespace: FLUX_BOOTSTRAP.namespace },
      spec: {
        path: entrypointPath(cluster),
        sourceRef: { kind: 'GitRepository', name: FLUX_BOOTSTRAP.configurationName, namespace: FLUX_BOOTSTRAP.namespace },
        interval: seconds(FLUX_BOOTSTRAP.syncIntervalSeconds),
        retryInterval: seconds(FLUX_BOOTSTRAP.syncIntervalSeconds),
        timeout: seconds(FLUX_BOOTSTRAP.timeoutSeconds),
        prune: true,
        force: false,
      },
    },
  };
}
