/**
 * The reference's Container Insights metric alerts on each cluster (severity 3, no action groups, auto-mitigated).
 * Add action groups per environment; the thresholds of the container CPU / memory alerts (CI-19/20) come from the
 * in-cluster agent ConfigMap.
 */
import { expr, resource, type ArmResource } from '../arm/arm-template.ts';
import type { StampContext } from './stamp-context.ts';

export interface MetricAlertSpec {
  readonly id: string;
  readonly title: string;
  readonly namespace: string;
  readonly metric: string;
  readonly operator: 'GreaterThan' | 'LessThan';
  readonly threshold: number;
  readonly dimensions: ReadonlyArray<{ readonly name: string; readonly values: readonly string[] }>;
  readonly windowSize: 'PT1M' | 'PT5M';
}

const ALL = ['*'];
const BY_CONTROLLER = [
  { name: 'controllerName', values: ALL },
  { name: 'kubernetes namespace', values: ALL },
];

export const METRIC_ALERTS: readonly MetricAlertSpec[] = [
  {
    id: 'CI-1',
    title: 'Node CPU utilization high',
    namespace: 'Insights.Container/nodes',
    metric: 'cpuUsagePercentage',
    operator: 'GreaterThan',
    threshold: 80,
    dimensions: [{ name: 'host', values: ALL }],
    windowSize: 'PT5M',
  },
  {
    id: 'CI-2',
    title: 'Node working set memory utilization high',
    namespace: 'Insights.Container/nodes',
    metric: 'memoryWorkingSetPercentage',
    operator: 'GreaterThan',
    threshold: 80,
    dimensions: [{ name: 'host', values: ALL }],
    windowSize: 'PT5M',
  },
  {
    id: 'CI-3',
    title: 'Nodes in not ready status',
    namespace: 'Insights.Container/nodes',
    metric: 'nodesCount',
    operator: 'GreaterThan',
    threshold: 0,
    dimensions: [{ name: 'status', values: ['NotReady'] }],
    windowSize: 'PT5M',
  },
  {
    id: 'CI-4',
    title: 'Pods in failed state',
    namespace: 'Insights.Container/pods',
    metric: 'podCount',
    operator: 'GreaterThan',
    threshold: 0,
    dimensions: [{ name: 'phase', values: ['Failed'] }],
    windowSize: 'PT5M',
  },
  {
    id: 'CI-5',
    title: 'Disk usage high',
    namespace: 'Insights.Container/nodes',
    metric: 'DiskUsedPercentage',
    operator: 'GreaterThan',
    threshold: 80,
    dimensions: [
      { name: 'host', values: ALL },
      { name: 'device', values: ALL },
    ],
    windowSize: 'PT5M',
  },
  {
    id: 'CI-6',
    title: 'Containers getting OOM killed',
    namespace: 'Insights.Container/pods',
    metric: 'oomKilledContainerCount',
    operator: 'GreaterThan',
    threshold: 0,
    dimensions: BY_CONTROLLER,
    windowSize: 'PT1M',
  },
  {
    id: 'CI-7',
    title: 'Restarting container count',
    namespace: 'Insights.Container/pods',
    metric: 'restartingContainerCount',
    operator: 'GreaterThan',
    threshold: 0,
    dimensions: BY_CONTROLLER,
    windowSize: 'PT1M',
  },
  {
    id: 'CI-8',
    title: 'Pods not in ready state',
    namespace: 'Insights.Container/pods',
    metric: 'PodReadyPercentage',
    operator: 'LessThan',
    threshold: 80,
    dimensions: BY_CONTROLLER,
    windowSize: 'PT5M',
  },
  {
    id: 'CI-11',
    title: 'Jobs completed more than 6 hours ago',
    namespace: 'Insights.Container/pods',
    metric: 'completedJobsCount',
    operator: 'GreaterThan',
    threshold: 0,
    dimensions: BY_CONTROLLER,
    windowSize: 'PT1M',
  },
  {
    id: 'CI-18',
    title: 'Persistent volume usage high',
    namespace: 'Insights.Container/persistentvolumes',
    metric: 'pvUsageExceededPercentage',
    operator: 'GreaterThan',
    threshold: 80,
    dimensions: [
      { name: 'podName', values: ALL },
      { name: 'kubernetesNamespace', values: ALL },
    ],
    windowSize: 'PT5M',
  },
  {
    id: 'CI-19',
    title: 'Container CPU usage violates the configured threshold',
    namespace: 'Insights.Container/containers',
    metric: 'cpuThresholdViolated',
    operator: 'GreaterThan',
    threshold: 0,
    dimensions: BY_CONTROLLER,
    windowSize: 'PT5M',
  },
  {
    id: 'CI-20',
    title: 'Container working set memory usage violates the configured threshold',
    namespace: 'Insights.Container/containers',
    metric: 'memoryWorkingSetThresholdViolated',
    operator: 'GreaterThan',
    threshold: 0,
    dimensions: BY_CONTROLLER,
    windowSize: 'PT5M',
  },
];

export function metricAlerts(context: StampContext): ArmResource[] {
  return METRIC_ALERTS.map((alert) =>
    resource('Microsoft.Insights/metricAlerts', `${alert.title} for ${context.names.aksCluster} ${alert.id}`, {
      location: 'global',
      dependsOn: [expr(context.ids.aks)],
      properties: {
        description: `${alert.title} (${alert.id}).`,
        severity: 3,
        enabled: true,
        autoMitigate: true,
        scopes: [expr(context.ids.aks)],
        targetResourceType: 'Microsoft.ContainerService/managedClusters',
        targetResourceRegion: context.region,
        evaluationFrequency: 'PT1M',
        windowSize: alert.windowSize,
        actions: [],
        criteria: {
          'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
          allOf: [
            {
              criterionType: 'StaticThresholdCriterion',
              name: 'Metric1',
              metricNamespace: alert.namespace,
              metricName: alert.metric,
              operator: alert.operator,
              threshold: alert.threshold,
              timeAggregation: 'Average',
              skipMetricValidation: true,
              dimensions: alert.dimensions.map((d) => ({ name: d.name, operator: 'Include', values: [...d.values] })),
            },
          ],
        },
      },
    }),
  );
}
