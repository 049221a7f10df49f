import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';

/** Annotation that carries a NetworkPolicy's one-line reason in the manifest itself. */
export const NETWORK_POLICY_REASON_ANNOTATION = 'aks-fleet.io/reason';

/**
 * Who traffic comes from or goes to: pods (by labels, in a namespace by name, or in the policy's own namespace), or
 * an IPv4 range.
 */
export type NetworkPeer =
  | {
      /** Namespace of the pods. @default - the policy's own namespace */
      readonly namespace?: string;
      /** Pod labels. @default - every pod of the namespace */
      readonly pods?: Readonly<Record<string, string>>;
    }
  | {
      /** An IPv4 CIDR, e.g. a subnet outside the cluster. */
      readonly cidr: string;
    };

export interface NetworkPortSpec {
  /** Port number, or a named container port. */
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Traffic one rule allows: from (or to) any of the peers, on any of the ports. */
export interface NetworkRule {
  /** Peers; at least one (a rule without peers would allow everyone). */
  readonly peers: readonly NetworkPeer[];
  /** Ports; at least one (a rule without ports would allow every port). */
  readonly ports: readonly NetworkPortSpec[];
}

export interface AllowNetworkPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** Why this traffic is allowed, in one line; written to the `aks-fleet.io/reason` annotation. */
  readonly reason: string;
  /** The pods the policy applies to. @default - every pod of the namespace */
  readonly podSelector?: Readonly<Record<string, string>>;
  /** Incoming traffic to allow. @default - none (the policy then does not govern ingress) */
  readonly ingress?: readonly NetworkRule[];
  /** Outgoing traffic to allow. @default - none (the policy then does not govern egress) */
  readonly egress?: readonly NetworkRule[];
}

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/**
 * An allow rule on top of a namespace's default-deny policy: exactly the peers and ports given, nothing implicit.
 * Namespaces are matched by their immutable `kubernetes.io/metadata.name` label; every rule must name its peers and
 * ports, so an accidental "allow all" cannot be written.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class AllowNetworkPolicy extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: AllowNetworkPolicyProps) {
    super(scope, id);
    const owner = `AllowNetworkPolicy ${props.namespace}/${props.name}`;
    if (props.reason.trim() === '' || props.reason.includes('\n'))
      throw new Error(`${owner}: reason must be one non-empty line`);
    if (!props.ingress?.length && !props.egress?.length)
      throw new Error(`${owner}: allow at least one ingress or egress rule`);
    const rules = [...(props.ingress ?? []), ...(props.egress ?? [])];
    for (const rule of rules) {
      if (rule.peers.length === 0)
        throw new Error(`${owner}: every rule needs at least one peer (none would allow everyone)`);
      if (rule.ports.length === 0)
        throw new Error(`${owner}: every rule needs at least one port (none would allow every port)`);
      for (const peer of rule.peers) {
        if ('cidr' in peer && !CIDR.test(peer.cidr)) throw new Error(`${owner}: "${peer.cidr}" is not an IPv4 CIDR`);
      }
    }
    this.name = props.name;
    const ports = (rule: NetworkRule) => rule.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
    const policy = new NetworkPolicy({
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: { [NETWORK_POLICY_REASON_ANNOTATION]: props.reason },
      },
      spec: {
        podSelector: props.podSelector ? { matchLabels: { ...props.podSelector } } : {},
        policyTypes: [
          ...(props.ingress?.length ? ['Ingress' as const] : []),
          ...(props.egress?.length ? ['Egress' as const] : []),
        ],
        ...(props.ingress?.length
          ? { ingress: props.ingress.map((rule) => ({ from: rule.peers.map(peerOf), ports: ports(rule) })) }
          : {}),
        ...(props.egress?.length
          ? { egress: props.egress.map((rule) => ({ to: rule.peers.map(peerOf), ports: ports(rule) })) }
          : {}),
      },
    });
    new ApiObject(this, 'Resource', policy.toJSON());
  }
}

function peerOf(peer: NetworkPeer): INetworkPolicyPeer {
  if ('cidr' in peer) return { ipBlock: { cidr: peer.cidr } };
  return {
    ...(peer.namespace
      ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } }
      : {}),
    podSelector: peer.pods ? { matchLabels: { ...peer.pods } } : {},
  };
}
