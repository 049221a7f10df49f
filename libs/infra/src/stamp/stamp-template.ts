/**
 * One cluster stamp (the cluster's own resource group): identities and role assignments, Key Vault and private DNS,
 * the policy assignments, the AKS cluster, Flux, the App Gateway and the metric alerts, wired with `dependsOn` so one
 * deployment brings them up in a working order.
 */
import { FLUX_BOOTSTRAP, type Fleet } from '@aks-fleet/fleet';
import { expr, idOf, referenceOf, template, type ArmTemplate } from '../arm/arm-template.ts';
import { aksCluster } from './stamp-aks.ts';
import { containerInsightsDataCollection } from './stamp-monitoring.ts';
import { metricAlerts } from './stamp-alerts.ts';
import { appGateway } from './stamp-app-gateway.ts';
import { stampContext } from './stamp-context.ts';
import { fluxBootstrap } from './stamp-flux.ts';
import {
  acrPullAssignment,
  acrPullDeploymentName,
  appGatewayKeyVaultRoleId,
  identities,
  keyVaultRoleAssignments,
  monitoringRoleAssignment,
  nestedDeploymentId,
  networkContributorAssignments,
  networkContributorDeploymentName,
} from './stamp-identities.ts';
import { gitCredentialParameterDefinitions } from './stamp-flux.ts';
import { keyVaultNetworking, PRIVATE_LINK_ZONES } from './stamp-key-vault.ts';
import { policyAssignmentIds, policyAssignments } from './stamp-policies.ts';
import { tagsParameterDefinition } from '../arm/template-helpers.ts';

export function stampTemplate(fleet: Readonly<Fleet>, clusterName: string): ArmTemplate {
  const context = stampContext(fleet, clusterName);
  const { names, ids } = context;
  const networkContributor = nestedDeploymentId(
    context.regionNames.spokeResourceGroup,
    networkContributorDeploymentName(context),
  );
  const acrPull = nestedDeploymentId(context.shared.resourceGroup, acrPullDeploymentName(context));
  const keyVaultZone = PRIVATE_LINK_ZONES.keyVault;

  return template(
    [
      ...identities(context),
      ...policyAssignments(context),
      networkContributorAssignments(context),
      // The vault is the key-vault deployment before this one, its certificates imported by `fleet infra deploy`.
      ...keyVaultNetworking(context),
      ...keyVaultRoleAssignments(context),
      // Policies first (the reference's order: nothing runs before the guardrails), and the subnets joinable.
      ...aksCluster(context, [ids.controlPlaneIdentity, networkContributor, ...policyAssignmentIds(context)]),
      // Container Insights (managed identity auth) collects only what its associated data collection rule says.
      ...containerInsightsDataCollection(context),
      acrPullAssignment(context),
      monitoringRoleAssignment(context),
      ...fluxBootstrap(context, [acrPull]),
      // The gateway reads its certificates from the vault through the private endpoint at creation.
      ...appGateway(context, [
        appGatewayKeyVaultRoleId(context),
        idOf('Microsoft.Network/privateEndpoints/privateDnsZoneGroups', names.keyVaultPrivateEndpoint, 'default'),
        idOf('Microsoft.Network/privateDnsZones/virtualNetworkLinks', keyVaultZone, `to_${names.spokeVnet}`),
      ]),
      ...metricAlerts(context),
    ],
    {
      parameters: { ...tagsParameterDefinition(), ...gitCredentialParameterDefinitions(fleet.spec.gitSource.auth) },
      outputs: {
        aksClusterName: { type: 'string', value: names.aksCluster },
        keyVaultName: { type: 'string', value: names.keyVault },
        oidcIssuerUrl: {
          type: 'string',
          value: expr(
            `${referenceOf(ids.aks, 'Microsoft.ContainerService/managedClusters')}.oidcIssuerProfile.issuerURL`,
          ),
        },
        // Informational: Flux receives it through the bootstrap kustomization's post-build substitution.
        ingressControllerClientId: {
          type: 'string',
          value: expr(
            `${referenceOf(ids.ingressControllerIdentity, 'Microsoft.ManagedIdentity/userAssignedIdentities')}.clientId`,
          ),
        },
        fluxConfigurationName: { type: 'string', value: FLUX_BOOTSTRAP.configurationName },
      },
    },
  );
}
