import { Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import {
  ContainerInsightsAgentConfig,
  type ContainerInsightsAgentConfigProps,
} from './container-insights-agent-config.ts';

function render(props: ContainerInsightsAgentConfigProps = { prometheusNamespaces: ['traefik-ingress', 'a0042'] }) {
  const chart = Testing.chart();
  new ContainerInsightsAgentConfig(chart, 'Ci', props);
  return Testing.synth(chart)[0];
}

describe('ContainerInsightsAgentConfig', () => {
  it('is kube-system/container-azm-ms-agentconfig with schema v1', () => {
    const configMap = render();
    expect(configMap.metadata).toStrictEqual({ name: 'container-azm-ms-agentconfig', namespace: 'kube-system' });
    expect(configMap.data['schema-version']).toBe('v1');
  });

  it('collects stdout/stderr with the ContainerLogV2 schema, kube-system excluded', () => {
    const logs = render().data['log-data-collection-settings'];
    expect(logs).toContain(
      '[log_collection_settings.stdout]\nenabled = true\nexclude_namespaces = [ "kube-system", "gatekeeper-system" ]\n',
    );
    expect(logs).toContain('[log_collection_settings.schema]\ncontainerlog_schema_version = "v2"\n');
  });

  it('every document is valid TOML; percentages are floats and minutes an integer, as the agent reads them', () => {
    const data = render().data as Record<string, string>;
    for (const key of [
      'log-data-collection-settings',
      'prometheus-data-collection-settings',
      'metric_collection_settings',
      'alertable-metrics-configuration-settings',
      'integrations',
    ]) {
      expect(() => parse(data[key]!), key).not.toThrow();
    }
    const alertable = data['alertable-metrics-configuration-settings']!;
    expect(alertable).toContain('container_cpu_threshold_percentage = 90.0\n');
    expect(alertable).toContain('pv_usage_threshold_percentage = 75.0\n');
    expect(alertable).toContain('job_completion_threshold_time_minutes = 360\n');
    expect(JSON.parse(JSON.stringify(parse(alertable)))).toStrictEqual({
      alertable_metrics_configuration_settings: {
        container_resource_utilization_thresholds: {
          container_cpu_threshold_percentage: 90,
          container_memory_rss_threshold_percentage: 90,
          container_memory_working_set_threshold_percentage: 90,
        },
        pv_utilization_thresholds: { pv_usage_threshold_percentage: 75 },
        job_completion_threshold: { job_completion_threshold_time_minutes: 360 },
      },
    });
  });

  it('scrapes annotated pods of the given namespaces only', () => {
    expect(render().data['prometheus-data-collection-settings']).toContain(
      '[prometheus_data_collection_settings.cluster]\ninterval = "1m"\nmonitor_kubernetes_pods = true\nmonitor_kubernetes_pods_namespaces = [ "traefik-ingress", "a0042" ]\n',
    );
  });

  it('sets the reference alert thresholds as floats: 90 % container CPU/RSS/working set, 75 % PV, 360 min jobs', () => {
    expect(render().data['alertable-metrics-configuration-settings']).toBe(
      [
        '[alertable_metrics_configuration_settings.container_resource_utilization_thresholds]',
        'container_cpu_threshold_percentage = 90.0',
        'container_memory_rss_threshold_percentage = 90.0',
        'container_memory_working_set_threshold_percentage = 90.0',
        '',
        '[alertable_metrics_configuration_settings.pv_utilization_thresholds]',
        'pv_usage_threshold_percentage = 75.0',
        '',
        '[alertable_metrics_configuration_settings.job_completion_threshold]',
        'job_completion_threshold_time_minutes = 360',
        '',
      ].join('\n'),
    );
  });

  it('fails on no namespace, a bad interval and a percentage above 100', () => {
    expect(() => render({ prometheusNamespaces: [] })).toThrow(/at least one namespace/);
    expect(() => render({ prometheusNamespaces: ['a'], scrapeInterval: 'often' })).toThrow(
      /scrapeInterval "often" is not a duration/,
    );
    expect(() => render({ prometheusNamespaces: ['a'], thresholds: { containerCpuPercent: 120 } })).toThrow(
      /thresholds.containerCpuPercent \(120\) is out of range/,
    );
  });

  it('matches the snapshot', () => {
    expect(render()).toMatchSnapshot();
  });
});
