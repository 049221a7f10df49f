/**
 * The cdk8s app of aks-fleet: maps the fleet model to one ClusterDefinition per cluster (layer charts plus the
 * Flux entrypoint), which the synthesis engine renders.
 */
import { clustersOf, type Fleet } from '@aks-fleet/fleet';
import type { ClusterDefinition } from '@aks-fleet/synth';
import { clusterContext, clusterLabels } from './cluster-context.ts';
import { EntrypointChart } from './entrypoint-chart.ts';
import { LAYERS, type LayerName } from './layers.ts';
import { BaselineChart } from './layers/baseline-chart.ts';
import { IngressChart } from './layers/ingress-chart.ts';
import { PolicyChart } from './layers/policy-chart.ts';
import { WorkloadChart } from './layers/workload-chart.ts';

const LAYER_CHARTS: Record<LayerName, typeof BaselineChart> = {
  baseline: BaselineChart,
  policy: PolicyChart,
  ingress: IngressChart,
  workload: WorkloadChart,
};

export function clusterDefinitions(fleet: Readonly<Fleet>): ClusterDefinition[] {
  return clustersOf(fleet.spec).map(({ region, cluster }) => {
    const context = clusterContext(fleet, region, cluster);
    return {
      name: cluster.name,
      labels: clusterLabels(context),
      build: (app) => ({
        layers: LAYERS.map((layer) => ({ name: layer, chart: new LAYER_CHARTS[layer](app, layer, context) })),
        entrypoint: new EntrypointChart(app, 'entrypoint', context),
      }),
    };
  });
}
