/**
 * Rendering one cluster: a fresh cdk8s App (one App per cluster — many charts in one App is quadratic), its layer
 * charts and Flux entrypoint chart turned into plain objects, stamped with the cluster's labels, sorted and
 * validated. Nothing touches the disk here.
 */
import { App, type Chart } from 'cdk8s';
import { compareObjects, objectId, type KubernetesObject } from './kubernetes-object.ts';
import { validateObject, type ObjectProblem, type ObjectValidator } from './validate-objects.ts';

/** What the engine needs to know of a cluster; apps build it from the fleet model. */
export interface ClusterDefinition {
  /** Folder name under manifests/ and clusters/. */
  readonly name: string;
  /** Labels stamped onto every object of the cluster (e.g. cluster and region). */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations stamped onto every object. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Adds the layer charts (in apply order) and the Flux entrypoint chart to the cluster's App. */
  build(app: App): ClusterCharts;
  /**
   * Files of this cluster outside `manifests/` and `clusters/` (e.g. its ARM templates under the synthesis' `extra`
   * folder), rendered and written with the cluster. @default - none
   */
  files?(): ReadonlyArray<{ readonly path: string; readonly content: string }>;
}

export interface ClusterCharts {
  readonly layers: ReadonlyArray<{ readonly name: string; readonly chart: Chart }>;
  readonly entrypoint: Chart;
}

export interface RenderedLayer {
  readonly name: string;
  readonly objects: readonly KubernetesObject[];
}

export interface RenderedCluster {
  readonly name: string;
  readonly layers: readonly RenderedLayer[];
  /** The Flux objects of `clusters/<name>/`. */
  readonly entrypoint: readonly KubernetesObject[];
}

export interface RenderOptions {
  /** Validators for kinds outside kubernetes-models, keyed `apiVersion/kind`. @default - none */
  readonly validators?: ReadonlyMap<string, ObjectValidator>;
}

export interface RenderResult {
  readonly cluster: RenderedCluster;
  readonly problems: readonly ObjectProblem[];
}

export function renderCluster(definition: ClusterDefinition, options: RenderOptions = {}): RenderResult {
  const app = new App({ outdir: '.cdk8s-unused' });
  const charts = definition.build(app);
  const problems: ObjectProblem[] = [];
  const seen = new Map<string, string>();

  const stamp = (chart: Chart, layer: string): KubernetesObject[] => {
    const objects = (chart.toJson() as KubernetesObject[]).map((object) => withCommonMetadata(object, definition));
    objects.sort(compareObjects);
    for (const object of objects) {
      const id = objectId(object);
      const firstLayer = seen.get(id);
      if (firstLayer !== undefined) {
        problems.push({
          cluster: definition.name,
          layer,
          object: id,
          message: `emitted twice (also in layer ${firstLayer}); Flux would fight over it`,
        });
      } else {
        seen.set(id, layer);
      }
      for (const message of validateObject(object, options.validators)) {
        problems.push({ cluster: definition.name, layer, object: id, message });
      }
    }
    return objects;
  };

  const layers = charts.layers.map(({ name, chart }) => ({ name, objects: stamp(chart, name) }));
  const entrypoint = stamp(charts.entrypoint, 'entrypoint');
  return { cluster: { name: definition.name, layers, entrypoint }, problems };
}

function withCommonMetadata(object: KubernetesObject, definition: ClusterDefinition): KubernetesObject {
  const labels = { ...object.metadata.labels, ...definition.labels };
  const annotations = { ...object.metadata.annotations, ...definition.annotations };
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
  };
}
