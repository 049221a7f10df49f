import { PsaNamespace } from '@aks-fleet/constructs';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterContext } from '../cluster-context.ts';

/** Namespace that holds cluster-wide operations components (as in the reference). */
export const BASELINE_NAMESPACE = 'cluster-baseline-settings';

/** Cluster baseline: namespaces with Pod Security Admission labels. */
export class BaselineChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    // Ops components may need node-level access; enforce baseline there, warn about restricted.
    new PsaNamespace(this, 'BaselineNamespace', { name: BASELINE_NAMESPACE, enforce: 'baseline', warn: 'restricted' });
    new PsaNamespace(this, 'WorkloadNamespace', { name: context.workload.namespace, enforce: 'restricted' });
  }
}
