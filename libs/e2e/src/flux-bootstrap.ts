/**
 * Exactly the objects the AKS Flux extension creates from our `fluxConfigurations` resource (libs/infra
 * stamp-flux.ts): the GitRepository named after the configuration, in its namespace, and one Kustomization
 * `<configuration>-<kustomization>` at the cluster's entrypoint path. Names, namespace, path and intervals come from
 * `FLUX_BOOTSTRAP` / `entrypointPath()` in @aks-fleet/fleet — the same values the infrastructure templates use.
 *
 * One deliberate difference: the GitRepository URL is the loopback git server, not the model's `gitSource.url`
 * (GitHub is neither reachable nor the repository under test). The branch is the model's `gitSource.branch`.
 * Our fluxConfiguration does not set the kustomization's `wait`, so neither does this object.
 *
 * Like the extension, the bootstrap supplies the deploy-time values (FLUX_SUBSTITUTIONS, here stand-ins for what
 * Azure would assign) as the root kustomization's post-build substitution, and the repository credentials as a
 * Secret it creates itself — never one from git — that the GitRepository references (the extension does the same
 * from the configuration's protected settings).
 */
import { createHash } from 'node:crypto';
import { entrypointPath, FLUX_BOOTSTRAP, FLUX_SUBSTITUTIONS } from '@aks-fleet/fleet';
import type { KubeObject } from './kube-client.ts';

export const GIT_REPOSITORY_API = 'source.toolkit.fluxcd.io/v1';
export const KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';

/** `aks-fleet-entrypoint`: how the extension names the configuration's kustomization. */
export const ROOT_KUSTOMIZATION = `${FLUX_BOOTSTRAP.configurationName}-${FLUX_BOOTSTRAP.kustomizationName}`;

/** The Secret the bootstrap creates with the repository credentials (source-controller's basic-auth keys). */
export const GIT_CREDENTIALS_SECRET = `${FLUX_BOOTSTRAP.configurationName}-git-credentials`;

export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

/** Stand-ins for the values Azure assigns a cluster's stamp (a GUID per variable and cluster, stable per cluster). */
export function deployTimeValues(cluster: string): Record<string, string> {
  return Object.fromEntries(
    Object.values(FLUX_SUBSTITUTIONS).map((variable) => {
      const hex = createHash('sha256').update(`${cluster}/${variable}`).digest('hex');
      return [
        variable,
        `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`,
      ];
    }),
  );
}

export function fluxBootstrapObjects(
  cluster: string,
  gitUrl: string,
  branch: string,
  credentials: GitCredentials,
): { credentialsSecret: KubeObject; gitRepository: KubeObject; rootKustomization: KubeObject } {
  const seconds = (n: number): string => `${n}s`;
  return {
    credentialsSecret: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: GIT_CREDENTIALS_SECRET, namespace: FLUX_BOOTSTRAP.namespace },
      type: 'Opaque',
      stringData: { username: credentials.username, password: credentials.password },
    },
    gitRepository: {
      apiVersion: GIT_REPOSITORY_API,
      kind: 'GitRepository',
      metadata: { name: FLUX_BOOTSTRAP.configurationName, namespace: FLUX_BOOTSTRAP.namespace },
      spec: {
        url: gitUrl,
        ref: { branch },
        secretRef: { name: GIT_CREDENTIALS_SECRET },
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
        sourceRef: {
          kind: 'GitRepository',
          name: FLUX_BOOTSTRAP.configurationName,
          namespace: FLUX_BOOTSTRAP.namespace,
        },
        interval: seconds(FLUX_BOOTSTRAP.syncIntervalSeconds),
        retryInterval: seconds(FLUX_BOOTSTRAP.syncIntervalSeconds),
        timeout: seconds(FLUX_BOOTSTRAP.timeoutSeconds),
        prune: true,
        force: false,
        postBuild: { substitute: deployTimeValues(cluster) },
      },
    },
  };
}
