import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { NamespaceQuota, type NamespaceQuotaProps } from './namespace-quota.ts';

const BASE: NamespaceQuotaProps = {
  namespace: 'a0042',
  pods: 9,
  requests: { cpuMillicores: 450, memoryMiB: 1152 },
  limits: { cpuMillicores: 900, memoryMiB: 2304 },
  containerDefaults: {
    requests: { cpuMillicores: 50, memoryMiB: 128 },
    limits: { cpuMillicores: 100, memoryMiB: 256 },
  },
  containerMaximum: { cpuMillicores: 1000, memoryMiB: 512 },
};

function render(props: Partial<NamespaceQuotaProps> = {}) {
  const chart = Testing.chart();
  new NamespaceQuota(chart, 'Quota', { ...BASE, ...props });
  return Testing.synth(chart);
}

describe('NamespaceQuota', () => {
  it('caps pods, requests and limits, and forbids LoadBalancer and NodePort Services', () => {
    const [quota] = render();
    expect(quota.kind).toBe('ResourceQuota');
    expect(quota.spec.hard).toStrictEqual({
      pods: '9',
      'requests.cpu': '450m',
      'requests.memory': '1152Mi',
      'limits.cpu': '900m',
      'limits.memory': '2304Mi',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
  });

  it('gives containers without resources the defaults and caps one container at the policy maximum', () => {
    const [, limitRange] = render();
    expect(limitRange.spec.limits).toStrictEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '50m', memory: '128Mi' },
        default: { cpu: '100m', memory: '256Mi' },
        max: { cpu: '1000m', memory: '512Mi' },
      },
    ]);
  });

  it('fails on requests above limits and defaults above the maximum', () => {
    expect(() => render({ requests: { cpuMillicores: 1000, memoryMiB: 1 } })).toThrow(
      /requests.cpuMillicores \(1000\) must be <= limits.cpuMillicores \(900\)/,
    );
    expect(() => render({ containerMaximum: { cpuMillicores: 50, memoryMiB: 512 } })).toThrow(
      /containerDefaults.limits.cpuMillicores \(100\) exceeds containerMaximum.cpuMillicores \(50\)/,
    );
    expect(() => render({ pods: 0 })).toThrow(/pods must be a positive integer/);
  });

  it('matches the snapshot', () => {
    expect(render()).toMatchSnapshot();
  });
});
