/**
 * The AKS cluster with the reference's settings: tier, support plan and version from the model (Standard and
 * KubernetesOfficial unless the cluster opts into long-term support), a system pool tainted
 * CriticalAddonsOnly and a user pool (sizes and zones from the model), flat Azure CNI with Azure network policy,
 * egress through the hub firewall (userDefinedRouting), Entra-managed with local accounts disabled, OIDC issuer +
 * workload identity, Azure Policy, Key Vault CSI and Container Insights add-ons, NodeImage node-OS upgrades in a
 * Tuesday 21:00 window.
 */
import { AKS_NODE_POOL_NETWORK, type NodePool } from '@aks-fleet/fleet';
import { expr, resource, type ArmResource, type JsonObject } from '../arm/arm-template.ts';
import type { StampContext } from './stamp-context.ts';
import { diagnosticSettings, tracked, workspaceIdExpression } from '../arm/template-helpers.ts';

export const SYSTEM_POOL = 'npsystem';
export const USER_POOL = 'npuser01';
/** AKS's taint on system pools: only pods tolerating it (critical add-ons) run there. */
export const SYSTEM_POOL_TAINT = 'CriticalAddonsOnly=true:NoSchedule';

function agentPool(
  context: StampContext,
  name: string,
  mode: 'System' | 'User',
  pool: NodePool,
  osDiskSizeGB: number,
): JsonObject {
  return {
    name,
    mode,
    vmSize: pool.vmSize,
    count: pool.minCount,
    minCount: pool.minCount,
    maxCount: pool.maxCount,
    enableAutoScaling: true,
    osType: 'Linux',
    osSKU: 'AzureLinux',
    osDiskType: 'Ephemeral',
    osDiskSizeGB,
    maxPods: AKS_NODE_POOL_NETWORK.maxPods,
    type: 'VirtualMachineScaleSets',
    availabilityZones: [...pool.zones],
    vnetSubnetID: expr(context.ids.nodesSubnet),
    orchestratorVersion: context.cluster.kubernetesVersion,
    upgradeSettings: { maxSurge: `${AKS_NODE_POOL_NETWORK.maxSurgePercent}%` },
    nodeTaints: mode === 'System' ? [SYSTEM_POOL_TAINT] : undefined,
  };
}

export function aksCluster(context: StampContext, dependsOn: readonly string[]): ArmResource[] {
  const { names, ids, cluster, region } = context;
  return [
    tracked('Microsoft.ContainerService/managedClusters', names.aksCluster, region, {
      dependsOn: dependsOn.map(expr),
      // Long-term support (supportPlan AKSLongTermSupport) is a Premium tier feature; the model checks the pair.
      sku: { name: 'Base', tier: cluster.tier },
      identity: { type: 'UserAssigned', userAssignedIdentities: { [expr(ids.controlPlaneIdentity)]: {} } },
      properties: {
        kubernetesVersion: cluster.kubernetesVersion,
        supportPlan: cluster.supportPlan,
        dnsPrefix: names.aksDnsPrefix,
        nodeResourceGroup: names.nodeResourceGroup,
        agentPoolProfiles: [
          agentPool(context, SYSTEM_POOL, 'System', cluster.nodePools.system, 80),
          agentPool(context, USER_POOL, 'User', cluster.nodePools.user, 120),
        ],
        servicePrincipalProfile: { clientId: 'msi' },
        enableRBAC: true,
        disableLocalAccounts: true,
        aadProfile: {
          managed: true,
          enableAzureRBAC: false,
          adminGroupObjectIDs: [cluster.entra.adminGroupObjectId],
          tenantID: cluster.entra.tenantId,
        },
        networkProfile: {
          networkPlugin: 'azure',
          networkPolicy: 'azure',
          networkDataplane: 'azure',
          outboundType: 'userDefinedRouting',
          loadBalancerSku: 'standard',
          loadBalancerProfile: { backendPoolType: 'NodeIPConfiguration' },
          serviceCidr: cluster.network.serviceCidr,
          dnsServiceIP: cluster.network.dnsServiceIp,
        },
        apiServerAccessProfile: { enablePrivateCluster: false },
        addonProfiles: {
          omsagent: {
            enabled: true,
            config: {
              logAnalyticsWorkspaceResourceID: expr(workspaceIdExpression(context.fleet.spec)),
              useAADAuth: 'true',
            },
          },
          azurepolicy: { enabled: true, config: { version: 'v2' } },
          // Rotation: a renewed certificate in Key Vault reaches the mounted files within the poll interval.
          azureKeyvaultSecretsProvider: {
            enabled: true,
            config: { enableSecretRotation: 'true', rotationPollInterval: '2m' },
          },
        },
        oidcIssuerProfile: { enabled: true },
        securityProfile: {
          workloadIdentity: { enabled: true },
          imageCleaner: { enabled: false, intervalHours: 120 },
          defender: { securityMonitoring: { enabled: false } },
        },
        storageProfile: {
          blobCSIDriver: { enabled: false },
          diskCSIDriver: { enabled: false },
          fileCSIDriver: { enabled: false },
          snapshotController: { enabled: false },
        },
        autoUpgradeProfile: { upgradeChannel: 'none', nodeOSUpgradeChannel: 'NodeImage' },
        autoScalerProfile: {
          'balance-similar-node-groups': 'false',
          expander: 'random',
          'max-empty-bulk-delete': '10',
          'max-graceful-termination-sec': '600',
          'max-node-provision-time': '15m',
          'max-total-unready-percentage': '45',
          'new-pod-scale-up-delay': '0s',
          'ok-total-unready-count': '3',
          'scale-down-delay-after-add': '10m',
          'scale-down-delay-after-delete': '20s',
          'scale-down-delay-after-failure': '3m',
          'scale-down-unneeded-time': '10m',
          'scale-down-unready-time': '20m',
          'scale-down-utilization-threshold': '0.5',
          'scan-interval': '10s',
          'skip-nodes-with-local-storage': 'true',
          'skip-nodes-with-system-pods': 'true',
        },
      },
    }),
    resource(
      'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
      `${names.aksCluster}/aksManagedNodeOSUpgradeSchedule`,
      {
        dependsOn: [expr(ids.aks)],
        properties: {
          maintenanceWindow: {
            schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Tuesday' } },
            durationHours: 12,
            utcOffset: '+00:00',
            startTime: '21:00',
          },
        },
      },
    ),
    diagnosticSettings(context.fleet.spec, ids.aks, ids.aks, {
      categories: ['cluster-autoscaler', 'kube-controller-manager', 'kube-audit-admin', 'guard'],
    }),
  ];
}
