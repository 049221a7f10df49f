import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { NETWORK_POLICY_REASON_ANNOTATION } from './allow-network-policy.ts';

export interface DefaultDenyNetworkPolicyProps {
  /** Namespace to lock down. */
  readonly namespace: string;
  /**
   * Policy name.
   * @default 'default-deny-all'
   */
  readonly name?: string;
  /**
   * Why, in one line; written to the `aks-fleet.io/reason` annotation.
   * @default 'Closed by default: every allowed flow is a separate policy with its own reason.'
   */
  readonly reason?: string;
}

/**
 * Denies all ingress and egress for every pod of a namespace; other policies then allow exactly what is needed.
 * Without it a namespace is open by default.
 */
export class DefaultDenyNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps) {
    super(scope, id);
    const policy = new NetworkPolicy({
      metadata: {
        name: props.name ?? 'default-deny-all',
        namespace: props.namespace,
        annotations: {
          [NETWORK_POLICY_REASON_ANNOTATION]:
            props.reason ?? 'Closed by default: every allowed flow is a separate policy with its own reason.',
        },
      },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new ApiObject(this, 'Resource', policy.toJSON());
  }
}
