/**
 * Identities of a stamp and their role assignments:
 *
 * - control plane (user-assigned): Network Contributor on the spoke's nodes and ingress subnets (spoke resource
 *   group → nested deployment);
 * - kubelet (created by AKS): AcrPull on the shared registry (shared resource group → nested deployment);
 * - App Gateway and ingress controller: Key Vault Secrets User on the cluster's vault — both read certificates as
 *   their backing secrets (key + chain), never through the certificates API (key-vault-objects.ts); the ingress
 *   controller's federated credential trusts the cluster's OIDC issuer for the Traefik ServiceAccount;
 * - Container Insights agent: Monitoring Metrics Publisher on the cluster (its metric alerts).
 *
 * Cross-resource-group assignments are nested deployments with `inner` expression scope: the principal id is
 * passed in as a parameter, the assignment is an extension resource on a resource of that group.
 */
import { ingressWorkloadIdentitySubject, WORKLOAD_IDENTITY_AUDIENCE } from '@aks-fleet/fleet';
import {
  expr,
  idIn,
  idOf,
  referenceOf,
  resource,
  template,
  BUILT_IN_ROLES,
  type ArmResource,
  type JsonObject,
} from '../arm/arm-template.ts';
import type { StampContext } from './stamp-context.ts';
import { roleAssignment, roleAssignmentIdExpression, tracked } from '../arm/template-helpers.ts';

export function identities(context: StampContext): ArmResource[] {
  const { names, region, ids } = context;
  return [
    ...[names.identities.controlPlane, names.identities.appGateway, names.identities.ingressController].map((name) =>
      tracked('Microsoft.ManagedIdentity/userAssignedIdentities', name, region, { properties: {} }),
    ),
    resource(
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
      `${names.identities.ingressController}/${names.ingressFederatedCredential}`,
      {
        dependsOn: [expr(ids.ingressControllerIdentity), expr(ids.aks)],
        properties: {
          issuer: expr(
            `${referenceOf(ids.aks, 'Microsoft.ContainerService/managedClusters')}.oidcIssuerProfile.issuerURL`,
          ),
          subject: ingressWorkloadIdentitySubject(context.fleet.spec),
          audiences: [WORKLOAD_IDENTITY_AUDIENCE],
        },
      },
    ),
  ];
}

/** Inner expression: the principal (object) id of a user-assigned identity of the stamp. */
function principalOf(identityId: string): string {
  return `${referenceOf(identityId, 'Microsoft.ManagedIdentity/userAssignedIdentities')}.principalId`;
}

/** Inner expression: the object id of the kubelet identity AKS creates. */
export function kubeletObjectId(context: StampContext): string {
  return `${referenceOf(context.ids.aks, 'Microsoft.ContainerService/managedClusters')}.identityProfile.kubeletidentity.objectId`;
}

function keyVaultReaders(context: StampContext) {
  const { names, ids } = context;
  return [
    {
      identity: ids.appGatewayIdentity,
      key: names.identities.appGateway,
      what: 'App Gateway reads its listener and trusted-root certificates',
    },
    {
      identity: ids.ingressControllerIdentity,
      key: names.identities.ingressController,
      what: 'the ingress controller mounts its TLS certificate (Secrets Store CSI driver)',
    },
  ];
}

/** Inner expression: id of the App Gateway's Key Vault role assignment (the gateway waits for it). */
export function appGatewayKeyVaultRoleId(context: StampContext): string {
  return roleAssignmentIdExpression({
    scopeId: context.ids.keyVault,
    principalKey: context.names.identities.appGateway,
    role: BUILT_IN_ROLES.keyVaultSecretsUser,
  });
}

/** Key Vault Secrets User for the App Gateway and the ingress controller, on the stamp's vault. */
export function keyVaultRoleAssignments(context: StampContext): ArmResource[] {
  const { ids } = context;
  return keyVaultReaders(context).map(({ identity, key, what }) =>
    roleAssignment({
      scopeId: ids.keyVault,
      role: BUILT_IN_ROLES.keyVaultSecretsUser,
      principalId: principalOf(identity),
      principalKey: key,
      // The vault is the key-vault deployment's, already there.
      dependsOn: [identity],
      description: `Key Vault Secrets User: ${what}`,
    }),
  );
}

/** Monitoring Metrics Publisher for the Container Insights agent, on the cluster. */
export function monitoringRoleAssignment(context: StampContext): ArmResource {
  return roleAssignment({
    scopeId: context.ids.aks,
    role: BUILT_IN_ROLES.monitoringMetricsPublisher,
    principalId: `${referenceOf(context.ids.aks, 'Microsoft.ContainerService/managedClusters')}.addonProfiles.omsagent.identity.objectId`,
    principalKey: `${context.names.aksCluster}-omsagent`,
    dependsOn: [context.ids.aks],
    description: 'Monitoring Metrics Publisher: Container Insights publishes the metrics the alerts evaluate',
  });
}

/** A nested deployment into another resource group that assigns `role` to `principalId` on each scope. */
function crossGroupAssignments(options: {
  deploymentName: string;
  resourceGroup: string;
  /** Inner expressions valid inside the nested deployment (its own resource group). */
  scopes: readonly string[];
  role: string;
  principalId: string;
  principalKey: string;
  dependsOn: readonly string[];
  description: string;
}): ArmResource {
  const inner = template(
    options.scopes.map((scopeId) =>
      roleAssignment({
        scopeId,
        role: options.role,
        principalId: `parameters('principalId')`,
        principalKey: options.principalKey,
        description: options.description,
      }),
    ),
    {
      parameters: {
        principalId: { type: 'string', metadata: { description: 'Object id of the principal that gets the role.' } },
      },
    },
  );
  return resource('Microsoft.Resources/deployments', options.deploymentName, {
    resourceGroup: options.resourceGroup,
    dependsOn: options.dependsOn.map(expr),
    properties: {
      mode: 'Incremental',
      expressionEvaluationOptions: { scope: 'Inner' },
      parameters: { principalId: { value: expr(options.principalId) } },
      template: inner as unknown as JsonObject,
    },
  });
}

export function networkContributorDeploymentName(context: StampContext): string {
  return `${context.names.aksCluster}-network-contributor`.slice(0, 64);
}

export function acrPullDeploymentName(context: StampContext): string {
  return `${context.names.aksCluster}-acr-pull`.slice(0, 64);
}

/** Inner expression: id of one of the stamp's nested deployments. */
export function nestedDeploymentId(resourceGroup: string, name: string): string {
  return idIn(resourceGroup, 'Microsoft.Resources/deployments', name);
}

/** Network Contributor on the spoke subnets the cluster joins (nodes, internal load balancer). */
export function networkContributorAssignments(context: StampContext): ArmResource {
  const { names, ids } = context;
  return crossGroupAssignments({
    deploymentName: networkContributorDeploymentName(context),
    resourceGroup: context.regionNames.spokeResourceGroup,
    scopes: [names.subnets.nodes, names.subnets.ingress].map((subnet) =>
      idOf('Microsoft.Network/virtualNetworks/subnets', names.spokeVnet, subnet),
    ),
    role: BUILT_IN_ROLES.networkContributor,
    principalId: principalOf(ids.controlPlaneIdentity),
    principalKey: names.identities.controlPlane,
    dependsOn: [ids.controlPlaneIdentity],
    description:
      'Network Contributor: the AKS control plane joins nodes and internal load balancers to the spoke subnets',
  });
}

/** AcrPull on the shared registry for the kubelet identity. */
export function acrPullAssignment(context: StampContext): ArmResource {
  return crossGroupAssignments({
    deploymentName: acrPullDeploymentName(context),
    resourceGroup: context.shared.resourceGroup,
    scopes: [idOf('Microsoft.ContainerRegistry/registries', context.shared.containerRegistry)],
    role: BUILT_IN_ROLES.acrPull,
    principalId: kubeletObjectId(context),
    principalKey: `${context.names.aksCluster}-kubelet`,
    dependsOn: [context.ids.aks],
    description: 'AcrPull: the cluster kubelet pulls images from the fleet registry',
  });
}
