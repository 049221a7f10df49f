import type { LayerName } from '@aks-fleet/fleet';

export { LAYERS, type LayerName } from '@aks-fleet/fleet';

/** Name of the Flux Kustomization that applies a layer. */
export function layerKustomizationName(layer: LayerName): string {
  return `fleet-${layer}`;
}
