import { Chart } from 'cdk8s';
import { KubeServiceAccount } from 'cdk8s-plus-27/lib/imports/k8s.js';
import type { Construct } from 'constructs';
import type { ClusterContext } from '../cluster-context.ts';

/** Workload: the application's own identity (no API token mounted: the app never calls the API server). */
export class WorkloadChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: context.workload.name, namespace: context.workload.namespace },
      automountServiceAccountToken: false,
    });
  }
}
