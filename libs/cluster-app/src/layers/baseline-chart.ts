import {
  ContainerInsightsAgentConfig,
  EntraGroupRoleBinding,
  NamespaceQuota,
  PsaNamespace,
  times,
} from '@aks-fleet/constructs';
import { BASELINE_NAMESPACE } from '@aks-fleet/fleet';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterContext } from '../cluster-context.ts';

/** Namespace that holds cluster-wide operations components (as in the reference). */

/**
 * Cluster baseline: the namespaces with Pod Security Admission labels, the Container Insights agent settings,
 * namespace-scoped access for the model's Entra groups, and the workload namespace's quota, sized so that this
 * cluster can take over a lost region's load.
 */
export class BaselineChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    const { workload, ingress } = context;
    // Ops components may need node-level access; enforce baseline there, warn about restricted.
    new PsaNamespace(this, 'BaselineNamespace', { name: BASELINE_NAMESPACE, enforce: 'baseline', warn: 'restricted' });
    new PsaNamespace(this, 'WorkloadNamespace', { name: workload.namespace, enforce: 'restricted' });
    new PsaNamespace(this, 'IngressNamespace', { name: ingress.namespace, enforce: 'restricted' });

    new ContainerInsightsAgentConfig(this, 'ContainerInsights', {
      prometheusNamespaces: [ingress.namespace, workload.namespace],
    });

    // Cluster admins come from the cluster's Entra admin group (set by AKS); teams get one namespace.
    if (context.entra.operatorGroupObjectId) {
      new EntraGroupRoleBinding(this, 'WorkloadOperators', {
        name: `${workload.namespace}-operators`,
        namespace: workload.namespace,
        groupObjectId: context.entra.operatorGroupObjectId,
        clusterRole: 'edit',
      });
    }
    if (context.entra.readerGroupObjectId) {
      new EntraGroupRoleBinding(this, 'WorkloadReaders', {
        name: `${workload.namespace}-readers`,
        namespace: workload.namespace,
        groupObjectId: context.entra.readerGroupObjectId,
        clusterRole: 'view',
      });
    }

    // Failover sizing: every Deployment at its failover replica count plus one rollout surge pod each.
    new NamespaceQuota(this, 'WorkloadQuota', {
      namespace: workload.namespace,
      pods: workload.quota.pods,
      requests: times(workload.resources.requests, workload.quota.pods),
      limits: times(workload.resources.limits, workload.quota.pods),
      containerDefaults: workload.resources,
      containerMaximum: context.containerLimitMaxima,
    });
  }
}
