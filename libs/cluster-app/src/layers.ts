/** The layers every cluster gets, in apply order; each is a folder under manifests/<cluster>/ and a Flux Kustomization. */
export const LAYERS = ['baseline', 'policy', 'ingress', 'workload'] as const;
export type LayerName = (typeof LAYERS)[number];

/** Name of the Flux Kustomization that applies a layer. */
export function layerKustomizationName(layer: LayerName): string {
  return `fleet-${layer}`;
}
