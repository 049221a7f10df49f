import { AllowNetworkPolicy, DefaultDenyNetworkPolicy, TRAEFIK_PORTS, type NetworkPeer } from '@aks-fleet/constructs';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterContext } from '../cluster-context.ts';

/** CoreDNS pods in kube-system (AKS keeps the upstream `k8s-app: kube-dns` label). */
const KUBE_DNS: NetworkPeer = { namespace: 'kube-system', pods: { 'k8s-app': 'kube-dns' } };
const DNS_PORTS = [
  { port: 53, protocol: 'UDP' as const },
  { port: 53, protocol: 'TCP' as const },
];

/**
 * Network policy: the workload and ingress namespaces start closed (default deny, both directions); each allowed flow
 * is its own policy with its reason in the `aks-fleet.io/reason` annotation. The request path is
 * App Gateway subnet → Traefik :8443 → application pods :<port>, nothing else.
 */
export class PolicyChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    const { workload, ingress } = context;
    const traefikPods: NetworkPeer = { namespace: ingress.namespace, pods: ingress.podLabels };
    const appPods: NetworkPeer = { namespace: workload.namespace, pods: workload.podLabels };

    for (const namespace of [workload.namespace, ingress.namespace]) {
      new DefaultDenyNetworkPolicy(this, `DefaultDeny-${namespace}`, { namespace });
      new AllowNetworkPolicy(this, `Dns-${namespace}`, {
        name: 'allow-dns-egress',
        namespace,
        reason: 'Name resolution: every pod may query the cluster DNS (kube-dns), on port 53 only.',
        egress: [{ peers: [KUBE_DNS], ports: DNS_PORTS }],
      });
    }

    new AllowNetworkPolicy(this, 'WorkloadFromIngress', {
      name: 'allow-ingress-from-traefik',
      namespace: workload.namespace,
      podSelector: workload.podLabels,
      reason: 'Requests reach the application only through the ingress controller, on the application port only.',
      ingress: [{ peers: [traefikPods], ports: [{ port: workload.port }] }],
    });

    new AllowNetworkPolicy(this, 'IngressFromAppGateway', {
      name: 'allow-https-from-app-gateway',
      namespace: ingress.namespace,
      podSelector: ingress.podLabels,
      reason: `Only this region's App Gateway subnet (${ingress.appGatewaySubnet}) may open TLS connections to the ingress controller.`,
      ingress: [{ peers: [{ cidr: ingress.appGatewaySubnet }], ports: [{ port: TRAEFIK_PORTS.websecure }] }],
    });
    new AllowNetworkPolicy(this, 'IngressToWorkload', {
      name: 'allow-egress-to-workload',
      namespace: ingress.namespace,
      podSelector: ingress.podLabels,
      reason: 'The ingress controller forwards requests to the application pods, on the application port only.',
      egress: [{ peers: [appPods], ports: [{ port: workload.port }] }],
    });
    new AllowNetworkPolicy(this, 'IngressToApiServer', {
      name: 'allow-egress-to-api-server',
      namespace: ingress.namespace,
      podSelector: ingress.podLabels,
      reason:
        'The Ingress provider watches the API server over HTTPS; its address is outside the cluster and the model, so any destination on 443 (the hub firewall limits where 443 leads).',
      egress: [{ peers: [{ cidr: '0.0.0.0/0' }], ports: [{ port: 443 }] }],
    });
    new AllowNetworkPolicy(this, 'IngressMetrics', {
      name: 'allow-metrics-from-kube-system',
      namespace: ingress.namespace,
      podSelector: ingress.podLabels,
      reason:
        "The Container Insights agent in kube-system scrapes the controller's Prometheus metrics, on the metrics port only.",
      ingress: [{ peers: [{ namespace: 'kube-system' }], ports: [{ port: TRAEFIK_PORTS.metrics }] }],
    });
  }
}
