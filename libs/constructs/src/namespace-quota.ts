import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { quantities, type ComputeResources, type ContainerResources } from './compute-resources.ts';

export interface NamespaceQuotaProps {
  readonly namespace: string;
  /** Name of the ResourceQuota and the LimitRange. @default 'compute' */
  readonly name?: string;
  /** Most pods the namespace may run at once. */
  readonly pods: number;
  /** Sum of all pods' requests the namespace may claim. */
  readonly requests: ComputeResources;
  /** Sum of all pods' limits the namespace may claim. */
  readonly limits: ComputeResources;
  /** Requests and limits a container gets when it declares none (LimitRange defaults). */
  readonly containerDefaults: ContainerResources;
  /** Largest limits one container may declare (LimitRange max). */
  readonly containerMaximum: ComputeResources;
  /**
   * LoadBalancer Services the namespace may create. Traffic enters through the ingress controller only.
   * @default 0
   */
  readonly loadBalancers?: number;
  /** NodePort Services the namespace may create. @default 0 */
  readonly nodePorts?: number;
}

/**
 * A ResourceQuota and a LimitRange for one namespace: a ceiling on what the namespace can claim (so a runaway
 * autoscaler or a mistake cannot starve the node pool) and defaults for containers that declare no resources.
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
export class NamespaceQuota extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceQuotaProps) {
    super(scope, id);
    const owner = `NamespaceQuota ${props.namespace}`;
    if (!Number.isInteger(props.pods) || props.pods < 1)
      throw new Error(`${owner}: pods must be a positive integer, got ${props.pods}`);
    for (const unit of ['cpuMillicores', 'memoryMiB'] as const) {
      if (props.requests[unit] > props.limits[unit])
        throw new Error(
          `${owner}: requests.${unit} (${props.requests[unit]}) must be <= limits.${unit} (${props.limits[unit]})`,
        );
      if (props.containerDefaults.limits[unit] > props.containerMaximum[unit]) {
        throw new Error(
          `${owner}: containerDefaults.limits.${unit} (${props.containerDefaults.limits[unit]}) exceeds containerMaximum.${unit} (${props.containerMaximum[unit]})`,
        );
      }
    }
    const name = props.name ?? 'compute';
    const requests = quantities(props.requests);
    const limits = quantities(props.limits);
    const quota = new ResourceQuota({
      metadata: { name, namespace: props.namespace },
      spec: {
        hard: {
          pods: String(props.pods),
          'requests.cpu': requests.cpu,
          'requests.memory': requests.memory,
          'limits.cpu': limits.cpu,
          'limits.memory': limits.memory,
          'services.loadbalancers': String(props.loadBalancers ?? 0),
          'services.nodeports': String(props.nodePorts ?? 0),
        },
      },
    });
    new ApiObject(this, 'Quota', quota.toJSON());
    const limitRange = new LimitRange({
      metadata: { name, namespace: props.namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: quantities(props.containerDefaults.requests),
            default: quantities(props.containerDefaults.limits),
            max: quantities(props.containerMaximum),
          },
        ],
      },
    });
    new ApiObject(this, 'LimitRange', limitRange.toJSON());
  }
}
