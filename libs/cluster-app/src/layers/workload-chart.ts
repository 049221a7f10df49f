import { WebApplication } from '@aks-fleet/constructs';
import { WORKLOAD_MAX_SURGE } from '@aks-fleet/fleet';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { USER_POOL_NODE_SELECTOR, type ClusterContext } from '../cluster-context.ts';

/**
 * Workload: the application (aspnetapp in the reference) behind the internal ingress controller, on the single
 * backend hostname the model derives, autoscaled between its normal and its failover replica count, with the
 * cluster's optional canary sharing its Service.
 */
export class WorkloadChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    const { workload } = context;
    new WebApplication(this, 'App', {
      name: workload.name,
      namespace: workload.namespace,
      image: workload.image,
      containerPort: workload.port,
      healthPath: workload.healthPath,
      resources: workload.resources,
      replicas: workload.replicas,
      maxReplicas: workload.maxReplicas,
      // The model sizes the user pool for this surge at the failover peak.
      maxSurge: WORKLOAD_MAX_SURGE,
      host: context.backendHostname,
      ingressClassName: context.ingress.className,
      ingressAnnotations: {
        // Routers on the TLS entry point only; its allow-list and compression middlewares apply to every router there.
        'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
        'traefik.ingress.kubernetes.io/router.tls': 'true',
      },
      appLabels: workload.podLabels,
      nodeSelector: USER_POOL_NODE_SELECTOR,
      // ASP.NET Core listens on the model's port, plain HTTP inside the cluster (TLS ends at the ingress controller).
      env: { ASPNETCORE_HTTP_PORTS: String(workload.port) },
      ...(workload.canary ? { canary: workload.canary } : {}),
    });
  }
}
