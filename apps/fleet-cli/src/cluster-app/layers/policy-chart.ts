import { DefaultDenyNetworkPolicy } from '@aks-fleet/constructs';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterContext } from '../cluster-context.ts';

/** Network policy: the workload namespace starts closed. */
export class PolicyChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    new DefaultDenyNetworkPolicy(this, 'WorkloadDefaultDeny', { namespace: context.workload.namespace });
  }
}
