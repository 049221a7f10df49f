/**
 * Container Insights with managed-identity auth (the add-on's `useAADAuth`): the agent reads what to collect from a
 * data collection rule associated with the cluster, so without the rule and its association it collects nothing and
 * every Container Insights metric alert stays silent. The rule sits in the workspace's region (a DCR must share its
 * Log Analytics destination's region) and sends the Container Insights stream group to the shared workspace.
 * @see https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable
 */
import { expr, idOf, resource, type ArmResource } from '../arm/arm-template.ts';
import type { StampContext } from './stamp-context.ts';
import { tracked, workspaceIdExpression } from '../arm/template-helpers.ts';

/** The stream group the Container Insights agent sends (inventory, perf, logs, events). */
export const CONTAINER_INSIGHTS_STREAMS = ['Microsoft-ContainerInsights-Group-Default'] as const;

/** Name of the association of the rule with the cluster: the add-on looks for exactly this one. */
export const CONTAINER_INSIGHTS_ASSOCIATION = 'ContainerInsightsExtension';

const DESTINATION = 'ciworkspace';

export function dataCollectionRuleId(context: StampContext): string {
  return idOf('Microsoft.Insights/dataCollectionRules', context.names.containerInsightsDataCollectionRule);
}

export function containerInsightsDataCollection(context: StampContext): ArmResource[] {
  const { names, ids } = context;
  const spec = context.fleet.spec;
  const workspaceRegion = spec.sharedServices.location;
  const collection = { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true };
  return [
    // In the workspace's region: a data collection rule lives where its Log Analytics destination does.
    tracked('Microsoft.Insights/dataCollectionRules', names.containerInsightsDataCollectionRule, workspaceRegion, {
      kind: 'Linux',
      properties: {
        description: `Container Insights of ${names.aksCluster} (managed identity auth)`,
        dataSources: {
          extensions: [
            {
              name: CONTAINER_INSIGHTS_ASSOCIATION,
              extensionName: 'ContainerInsights',
              streams: [...CONTAINER_INSIGHTS_STREAMS],
              extensionSettings: { dataCollectionSettings: collection },
            },
          ],
        },
        destinations: { logAnalytics: [{ name: DESTINATION, workspaceResourceId: expr(workspaceIdExpression(spec)) }] },
        dataFlows: [{ streams: [...CONTAINER_INSIGHTS_STREAMS], destinations: [DESTINATION] }],
      },
    }),
    resource('Microsoft.Insights/dataCollectionRuleAssociations', CONTAINER_INSIGHTS_ASSOCIATION, {
      scope: expr(ids.aks),
      dependsOn: [expr(ids.aks), expr(dataCollectionRuleId(context))],
      properties: {
        description: 'Association of the Container Insights data collection rule with the AKS cluster.',
        dataCollectionRuleId: expr(dataCollectionRuleId(context)),
      },
    }),
  ];
}
