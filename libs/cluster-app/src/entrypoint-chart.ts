import { FluxKustomization } from '@aks-fleet/constructs';
import { FLUX_BOOTSTRAP, FLUX_SUBSTITUTIONS, substitutionPlaceholder, type FluxSubstitution } from '@aks-fleet/fleet';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterContext } from './cluster-context.ts';
import { LAYERS, layerKustomizationName } from './layers.ts';

/**
 * The Flux entrypoint of a cluster (`clusters/<cluster>/`): one Kustomization per layer, chained with dependsOn,
 * reading the GitRepository that the AKS Flux extension creates from the cluster's fluxConfigurations. Each layer
 * passes the deploy-time values the bootstrap kustomization substitutes (FLUX_SUBSTITUTIONS) on to its manifests.
 */
export class EntrypointChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    // `INGRESS_CLIENT_ID: ${INGRESS_CLIENT_ID}`: the bootstrap kustomization replaces the value when it applies this.
    const substitute = Object.fromEntries(
      (Object.keys(FLUX_SUBSTITUTIONS) as FluxSubstitution[]).map((variable) => [
        FLUX_SUBSTITUTIONS[variable],
        substitutionPlaceholder(variable),
      ]),
    );
    let previous: string | undefined;
    for (const layer of LAYERS) {
      const name = layerKustomizationName(layer);
      new FluxKustomization(this, layer, {
        name,
        namespace: FLUX_BOOTSTRAP.namespace,
        path: `./manifests/${context.cluster.name}/${layer}`,
        sourceRef: {
          kind: 'GitRepository',
          name: FLUX_BOOTSTRAP.configurationName,
          namespace: FLUX_BOOTSTRAP.namespace,
        },
        ...(previous ? { dependsOn: [previous] } : {}),
        interval: '10m',
        retryInterval: '2m',
        timeout: '5m',
        substitute,
      });
      previous = name;
    }
  }
}
