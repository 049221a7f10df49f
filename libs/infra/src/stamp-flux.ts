/**
 * Flux through the AKS GitOps extension: the `microsoft.flux` extension (source and kustomize controllers only) and
 * one `fluxConfigurations` whose name and namespace are the GitRepository the cluster's `clusters/<cluster>/`
 * Kustomizations use as `sourceRef` (FLUX_BOOTSTRAP), with one kustomization at the cluster's entrypoint path. It
 * follows the branch of the cluster's rollout wave (`clusterSourceBranch`).
 */
import { clusterSourceBranch, entrypointPath, FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import { expr, lit, resource, type ArmResource } from './arm-template.ts';
import type { StampContext } from './stamp-context.ts';

export const FLUX_EXTENSION_NAME = 'flux';

/** Inner expression: id of an extension resource on the cluster. */
function extensionId(context: StampContext, type: string, name: string): string {
  return `extensionResourceId(${context.ids.aks}, ${lit(type)}, ${lit(name)})`;
}

export function fluxBootstrap(context: StampContext, extensionDependsOn: readonly string[]): ArmResource[] {
  const { spec } = context.fleet;
  const extension = extensionId(context, 'Microsoft.KubernetesConfiguration/extensions', FLUX_EXTENSION_NAME);
  return [
    resource('Microsoft.KubernetesConfiguration/extensions', FLUX_EXTENSION_NAME, {
      scope: expr(context.ids.aks),
      dependsOn: [expr(context.ids.aks), ...extensionDependsOn.map(expr)],
      properties: {
        extensionType: 'microsoft.flux',
        autoUpgradeMinorVersion: true,
        releaseTrain: 'Stable',
        scope: { cluster: { releaseNamespace: FLUX_BOOTSTRAP.namespace } },
        configurationSettings: {
          'helm-controller.enabled': 'false',
          'source-controller.enabled': 'true',
          'kustomize-controller.enabled': 'true',
          'notification-controller.enabled': 'false',
          'image-automation-controller.enabled': 'false',
          'image-reflector-controller.enabled': 'false',
        },
        configurationProtectedSettings: {},
      },
    }),
    resource('Microsoft.KubernetesConfiguration/fluxConfigurations', FLUX_BOOTSTRAP.configurationName, {
      scope: expr(context.ids.aks),
      dependsOn: [expr(extension)],
      properties: {
        scope: 'cluster',
        namespace: FLUX_BOOTSTRAP.namespace,
        sourceKind: 'GitRepository',
        suspend: false,
        gitRepository: {
          url: spec.gitSource.url,
          // The cluster's rollout wave decides the branch: the model's branch for wave 1, fleet/wave-<name> after.
          repositoryRef: { branch: clusterSourceBranch(spec, context.cluster.name) },
          syncIntervalInSeconds: FLUX_BOOTSTRAP.syncIntervalSeconds,
          timeoutInSeconds: FLUX_BOOTSTRAP.timeoutSeconds,
        },
        kustomizations: {
          [FLUX_BOOTSTRAP.kustomizationName]: {
            path: entrypointPath(context.cluster.name),
            dependsOn: [],
            syncIntervalInSeconds: FLUX_BOOTSTRAP.syncIntervalSeconds,
            retryIntervalInSeconds: FLUX_BOOTSTRAP.syncIntervalSeconds,
            timeoutInSeconds: FLUX_BOOTSTRAP.timeoutSeconds,
            prune: true,
            force: false,
          },
        },
      },
    }),
  ];
}
