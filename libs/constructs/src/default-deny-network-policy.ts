import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';

export interface DefaultDenyNetworkPolicyProps {
  /** Namespace to lock down. */
  readonly namespace: string;
  /**
   * Policy name.
   * @default 'default-deny-all'
   */
  readonly name?: string;
}

/**
 * Denies all ingress and egress for every pod of a namespace; other policies then allow exactly what is needed.
 * Without it a namespace is open by default.
 */
export class DefaultDenyNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps) {
    super(scope, id);
    const policy = new NetworkPolicy({
      metadata: { name: props.name ?? 'default-deny-all', namespace: props.namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new ApiObject(this, 'Resource', policy.toJSON());
  }
}
