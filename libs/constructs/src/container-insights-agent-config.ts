import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { stringify as toToml } from 'smol-toml';

/** Thresholds above which Container Insights emits its alertable metrics (percentages and minutes). */
export interface ContainerInsightsThresholds {
  /** @default 90 */
  readonly containerCpuPercent?: number;
  /** @default 90 */
  readonly containerMemoryRssPercent?: number;
  /** @default 90 */
  readonly containerMemoryWorkingSetPercent?: number;
  /** @default 75 */
  readonly persistentVolumeUsagePercent?: number;
  /** Completed jobs older than this count as stale. @default 360 */
  readonly jobCompletionMinutes?: number;
}

export interface ContainerInsightsAgentConfigProps {
  /** Namespaces whose annotated pods (`prometheus.io/scrape: "true"`) are scraped for Prometheus metrics. */
  readonly prometheusNamespaces: readonly string[];
  /** Namespaces whose stdout/stderr is not collected. @default ['kube-system', 'gatekeeper-system'] */
  readonly excludeLogNamespaces?: readonly string[];
  /** Prometheus scrape interval. @default '1m' */
  readonly scrapeInterval?: string;
  /** Alertable-metric thresholds. @default - the reference's: 90 % CPU/RSS/working set, 75 % PV, 360 min jobs */
  readonly thresholds?: ContainerInsightsThresholds;
}

/** Name and namespace the Container Insights agent (ama-logs) reads its settings from. */
export const CONTAINER_INSIGHTS_CONFIG = { name: 'container-azm-ms-agentconfig', namespace: 'kube-system' } as const;

const DURATION = /^\d+(ns|us|µs|ms|s|m|h)$/;

/**
 * The Container Insights agent settings (`kube-system/container-azm-ms-agentconfig`): stdout/stderr and environment
 * collection with the ContainerLogV2 schema, Prometheus scraping of annotated pods in the given namespaces, the
 * thresholds of the alertable container, persistent-volume and job metrics, kube-system PV metrics, and the basic
 * Azure network policy manager metrics.
 * @see https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-data-collection-configmap
 */
export class ContainerInsightsAgentConfig extends Construct {
  constructor(scope: Construct, id: string, props: ContainerInsightsAgentConfigProps) {
    super(scope, id);
    if (props.prometheusNamespaces.length === 0)
      throw new Error('ContainerInsightsAgentConfig: name at least one namespace to scrape');
    const interval = props.scrapeInterval ?? '1m';
    if (!DURATION.test(interval))
      throw new Error(`ContainerInsightsAgentConfig: scrapeInterval "${interval}" is not a duration like 1m or 30s`);
    const thresholds = props.thresholds ?? {};
    for (const [name, value] of Object.entries(thresholds)) {
      if (typeof value === 'number' && (value <= 0 || (name.endsWith('Percent') && value > 100)))
        throw new Error(`ContainerInsightsAgentConfig: thresholds.${name} (${value}) is out of range`);
    }
    const exclude = [...(props.excludeLogNamespaces ?? ['kube-system', 'gatekeeper-system'])];

    const data: Record<string, string> = {
      'schema-version': 'v1',
      'config-version': 'ver1',
      'log-data-collection-settings': toToml({
        log_collection_settings: {
          stdout: { enabled: true, exclude_namespaces: exclude },
          stderr: { enabled: true, exclude_namespaces: exclude },
          env_var: { enabled: true },
          enrich_container_logs: { enabled: false },
          collect_all_kube_events: { enabled: false },
          schema: { containerlog_schema_version: 'v2' },
        },
      }),
      'prometheus-data-collection-settings': toToml({
        prometheus_data_collection_settings: {
          cluster: {
            interval,
            monitor_kubernetes_pods: true,
            monitor_kubernetes_pods_namespaces: [...props.prometheusNamespaces],
          },
          node: { interval },
        },
      }),
      metric_collection_settings: toToml({
        metric_collection_settings: { collect_kube_system_pv_metrics: { enabled: true } },
      }),
      // The agent reads the percentages as floats (90.0) and the minutes as an integer: two tables, one document.
      'alertable-metrics-configuration-settings': [
        toToml(
          {
            alertable_metrics_configuration_settings: {
              container_resource_utilization_thresholds: {
                container_cpu_threshold_percentage: thresholds.containerCpuPercent ?? 90,
                container_memory_rss_threshold_percentage: thresholds.containerMemoryRssPercent ?? 90,
                container_memory_working_set_threshold_percentage: thresholds.containerMemoryWorkingSetPercent ?? 90,
              },
              pv_utilization_thresholds: {
                pv_usage_threshold_percentage: thresholds.persistentVolumeUsagePercent ?? 75,
              },
            },
          },
          { numbersAsFloat: true },
        ),
        toToml({
          alertable_metrics_configuration_settings: {
            job_completion_threshold: { job_completion_threshold_time_minutes: thresholds.jobCompletionMinutes ?? 360 },
          },
        }),
      ].join('\n'),
      integrations: toToml({
        integrations: {
          azure_network_policy_manager: { collect_basic_metrics: true, collect_advanced_metrics: false },
          azure_subnet_ip_usage: { enabled: false },
        },
      }),
    };
    const configMap = new ConfigMap({ metadata: { ...CONTAINER_INSIGHTS_CONFIG }, data });
    new ApiObject(this, 'Resource', configMap.toJSON());
  }
}
