/**
 * A render worker for the render-pool test: `count` clusters, each with one object whose name is not DNS-1123, so
 * every cluster has an object problem — the same whether it renders in this thread or on a worker thread.
 */
import { ApiObject, Chart, type App } from 'cdk8s';
import type { ClusterDefinition } from '../render-cluster.ts';
import { serveRenderWorker } from '../render-pool.ts';

export function problemClusters(count: number): ClusterDefinition[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `c${String(index).padStart(2, '0')}`;
    return {
      name,
      labels: { cluster: name },
      build: (app: App) => {
        const layer = new Chart(app, `${name}-base`);
        new ApiObject(layer, 'settings', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'Not_A_Dns_Name', namespace: 'default' },
        });
        return { layers: [{ name: 'base', chart: layer }], entrypoint: new Chart(app, `${name}-entrypoint`) };
      },
    };
  });
}

/** Started by render-pool on each worker thread (see RenderWorkers); `data` is the cluster count. */
export function problemRenderWorker(): void {
  serveRenderWorker((data) => ({ definitions: problemClusters(data as number) }));
}
