import { Chart } from 'cdk8s';
import { KubeServiceAccount } from 'cdk8s-plus-27/lib/imports/k8s.js';
import type { Construct } from 'constructs';
import type { ClusterContext } from '../cluster-context.ts';

/** ServiceAccount of the ingress controller; its Entra federated credential names this subject. */
export const INGRESS_SERVICE_ACCOUNT = 'traefik-ingress-controller';

/** Ingress: the identity of the internal ingress controller. */
export class IngressChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: INGRESS_SERVICE_ACCOUNT, namespace: context.workload.namespace },
    });
  }
}
