import { FluxKustomization } from '@aks-fleet/constructs';
import { FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterContext } from './cluster-context.ts';
import { LAYERS, layerKustomizationName } from './layers.ts';

/**
 * The Flux entrypoint of a cluster (`clusters/<cluster>/`): one Kustomization per layer, chained with dependsOn,
 * reading the GitRepository that the AKS Flux extension creates from the cluster's fluxConfigurations.
 */
export class EntrypointChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    let previous: string | undefined;
    for (const layer of LAYERS) {
      const name = layerKustomizationName(layer);
      new FluxKustomization(this, layer, {
        name,
        namespace: FLUX_BOOTSTRAP.namespace,
        path: `./manifests/${context.cluster.name}/${layer}`,
        sourceRef: { kind: 'GitRepository', name: FLUX_BOOTSTRAP.configurationName, namespace: FLUX_BOOTSTRAP.namespace },
        ...(previous ? { dependsOn: [previous] } : {}),
        interval: '10m',
        retryInterval: '2m',
        timeout: '5m',
      });
      previous = name;
    }
  }
}
