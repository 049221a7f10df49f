import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AllowNetworkPolicy, type AllowNetworkPolicyProps } from './allow-network-policy.ts';
import { DefaultDenyNetworkPolicy } from './default-deny-network-policy.ts';

function render(props: AllowNetworkPolicyProps) {
  const chart = Testing.chart();
  new AllowNetworkPolicy(chart, 'Policy', props);
  return Testing.synth(chart)[0];
}

const TO_APP: AllowNetworkPolicyProps = {
  name: 'allow-from-ingress',
  namespace: 'apps',
  reason: 'Only the ingress controller reaches the app.',
  podSelector: { app: 'web' },
  ingress: [
    {
      peers: [{ namespace: 'ingress', pods: { app: 'traefik' } }, { cidr: '10.0.5.0/24' }],
      ports: [{ port: 8080 }, { port: 53, protocol: 'UDP' }],
    },
  ],
};

describe('AllowNetworkPolicy', () => {
  it('allows exactly the given peers and ports, and records its reason', () => {
    const policy = render(TO_APP);
    expect(policy.metadata.annotations).toStrictEqual({
      'aks-fleet.io/reason': 'Only the ingress controller reaches the app.',
    });
    expect(policy.spec).toStrictEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } },
              podSelector: { matchLabels: { app: 'traefik' } },
            },
            { ipBlock: { cidr: '10.0.5.0/24' } },
          ],
          ports: [
            { port: 8080, protocol: 'TCP' },
            { port: 53, protocol: 'UDP' },
          ],
        },
      ],
    });
  });

  it('governs egress only when given egress rules', () => {
    const policy = render({
      name: 'dns',
      namespace: 'apps',
      reason: 'DNS.',
      egress: [
        {
          peers: [{ namespace: 'kube-system', pods: { 'k8s-app': 'kube-dns' } }],
          ports: [{ port: 53, protocol: 'UDP' }],
        },
      ],
    });
    expect(policy.spec.policyTypes).toStrictEqual(['Egress']);
    expect(policy.spec.podSelector).toStrictEqual({});
    expect(policy.spec.ingress).toBeUndefined();
  });

  it('refuses rules that would allow everyone or every port, multi-line reasons, no rules and bad CIDRs', () => {
    expect(() => render({ ...TO_APP, ingress: [{ peers: [], ports: [{ port: 80 }] }] })).toThrow(/at least one peer/);
    expect(() => render({ ...TO_APP, ingress: [{ peers: [{ cidr: '10.0.0.0/8' }], ports: [] }] })).toThrow(
      /at least one port/,
    );
    expect(() => render({ ...TO_APP, reason: 'a\nb' })).toThrow(/reason must be one non-empty line/);
    expect(() => render({ name: 'x', namespace: 'apps', reason: 'x' })).toThrow(/at least one ingress or egress rule/);
    expect(() => render({ ...TO_APP, ingress: [{ peers: [{ cidr: 'everywhere' }], ports: [{ port: 80 }] }] })).toThrow(
      /"everywhere" is not an IPv4 CIDR/,
    );
  });

  it('matches the snapshot', () => {
    expect(render(TO_APP)).toMatchSnapshot();
  });
});

describe('DefaultDenyNetworkPolicy', () => {
  it('selects every pod, denies both directions with no rules, and records why', () => {
    const chart = Testing.chart();
    new DefaultDenyNetworkPolicy(chart, 'Deny', { namespace: 'apps' });
    const [policy] = Testing.synth(chart);
    expect(policy.metadata.name).toBe('default-deny-all');
    expect(policy.metadata.annotations['aks-fleet.io/reason']).toMatch(/^Closed by default/);
    expect(policy.spec).toStrictEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });
});
