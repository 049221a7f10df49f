/**
 * Flux through the AKS GitOps extension: the `microsoft.flux` extension (source and kustomize controllers only) and
 * one `fluxConfigurations` whose name and namespace are the GitRepository the cluster's `clusters/<cluster>/`
 * Kustomizations use as `sourceRef` (FLUX_BOOTSTRAP), with one kustomization at the cluster's entrypoint path. It
 * follows the branch of the cluster's rollout wave (`clusterSourceBranch`).
 *
 * Values Azure assigns in this deployment reach the manifests as post-build substitutions of that kustomization
 * (FLUX_SUBSTITUTIONS), and a private repository's credential arrives as a secure parameter that only the
 * configuration's protected settings see.
 */
import {
  clusterSourceBranch,
  entrypointPath,
  FLUX_BOOTSTRAP,
  FLUX_SUBSTITUTIONS,
  type FluxSubstitution,
  type GitAuth,
} from '@aks-fleet/fleet';
import {
  expr,
  lit,
  referenceOf,
  resource,
  type ArmParameterDefinition,
  type ArmResource,
} from '../arm/arm-template.ts';
import type { StampContext } from './stamp-context.ts';

/** Secure stamp parameter that carries each kind of Git credential (a deploy-time input, never in a file). */
export const GIT_CREDENTIAL_PARAMETERS = {
  'https-token': {
    name: 'gitHttpsToken',
    description:
      'HTTPS token (or password) of the private fleet repository; Flux reads it from the protected settings.',
  },
  ssh: {
    name: 'gitSshPrivateKey',
    description: 'PEM/OpenSSH private key of the private fleet repository; Flux reads it from the protected settings.',
  },
} as const satisfies Record<GitAuth['kind'], { name: string; description: string }>;

/** The secure parameter the fleet's Git credential needs, if the repository is private. */
export function gitCredentialParameter(auth: GitAuth | undefined): { name: string; description: string } | undefined {
  return auth ? GIT_CREDENTIAL_PARAMETERS[auth.kind] : undefined;
}

export function gitCredentialParameterDefinitions(auth: GitAuth | undefined): Record<string, ArmParameterDefinition> {
  const credential = gitCredentialParameter(auth);
  return credential
    ? { [credential.name]: { type: 'securestring', minLength: 1, metadata: { description: credential.description } } }
    : {};
}

/** Non-secret repository settings of the credential kind (the user name, the pinned host keys). */
function gitRepositoryAuth(auth: GitAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if (auth.kind === 'https-token') return { httpsUser: auth.username };
  return { sshKnownHosts: Buffer.from(`${auth.knownHosts.join('\n')}\n`).toString('base64') };
}

/** The extension's protected settings: base64 of the secure parameter, never its value in the template. */
function protectedSettings(auth: GitAuth | undefined): Record<string, string> {
  if (!auth) return {};
  const value = expr(`base64(parameters(${lit(GIT_CREDENTIAL_PARAMETERS[auth.kind].name)}))`);
  return auth.kind === 'https-token' ? { httpsKey: value } : { sshPrivateKey: value };
}

/** Inner expressions of each substitution variable's deploy-time value. */
function substitutionValues(context: StampContext): Record<FluxSubstitution, string> {
  return {
    ingressControllerClientId: `${referenceOf(context.ids.ingressControllerIdentity, 'Microsoft.ManagedIdentity/userAssignedIdentities')}.clientId`,
  };
}

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
      dependsOn: [expr(extension), expr(context.ids.ingressControllerIdentity)],
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
          ...gitRepositoryAuth(spec.gitSource.auth),
        },
        configurationProtectedSettings: protectedSettings(spec.gitSource.auth),
        kustomizations: {
          [FLUX_BOOTSTRAP.kustomizationName]: {
            path: entrypointPath(context.cluster.name),
            dependsOn: [],
            syncIntervalInSeconds: FLUX_BOOTSTRAP.syncIntervalSeconds,
            retryIntervalInSeconds: FLUX_BOOTSTRAP.syncIntervalSeconds,
            timeoutInSeconds: FLUX_BOOTSTRAP.timeoutSeconds,
            prune: true,
            force: false,
            postBuild: {
              substitute: Object.fromEntries(
                Object.entries(substitutionValues(context)).map(([variable, value]) => [
                  FLUX_SUBSTITUTIONS[variable as FluxSubstitution],
                  expr(value),
                ]),
              ),
            },
          },
        },
      },
    }),
  ];
}
