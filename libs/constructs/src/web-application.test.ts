import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { WebApplication, type WebApplicationProps } from './web-application.ts';

const BASE: WebApplicationProps = {
  name: 'aspnetapp',
  namespace: 'a0042',
  image: 'mcr.microsoft.com/dotnet/samples:aspnetapp-9.0',
  containerPort: 8080,
  healthPath: '/healthz',
  resources: { requests: { cpuMillicores: 50, memoryMiB: 128 }, limits: { cpuMillicores: 100, memoryMiB: 256 } },
  replicas: 3,
  maxReplicas: 6,
  host: 'app.aks-ingress.contoso.com',
  ingressClassName: 'traefik-internal',
};

type KubeObject = {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
};

function render(props: Partial<WebApplicationProps> = {}): KubeObject[] {
  const chart = Testing.chart();
  new WebApplication(chart, 'App', { ...BASE, ...props });
  return Testing.synth(chart) as KubeObject[];
}

const get = (objects: KubeObject[], kind: string, name = 'aspnetapp') =>
  objects.find((o) => o.kind === kind && o.metadata.name === name)!;

describe('WebApplication', () => {
  it('lets the autoscaler own the stable replica count: min = normal, max = failover', () => {
    const objects = render();
    expect(get(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(get(objects, 'HorizontalPodAutoscaler').spec).toStrictEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'aspnetapp' },
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
    });
  });

  it('routes one host over TLS only, to the Service on the named HTTP port', () => {
    const ingress = get(
      render({ ingressAnnotations: { 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure' } }),
      'Ingress',
    );
    expect(ingress.metadata.annotations).toStrictEqual({
      'kubernetes.io/ingress.allow-http': 'false',
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
    });
    expect(ingress.spec).toStrictEqual({
      ingressClassName: 'traefik-internal',
      tls: [{ hosts: ['app.aks-ingress.contoso.com'] }],
      rules: [
        {
          host: 'app.aks-ingress.contoso.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'aspnetapp', port: { name: 'http' } } } },
            ],
          },
        },
      ],
    });
  });

  it('runs a canary behind the same Service: fixed replicas, its own selector, the shared application label', () => {
    const objects = render({ canary: { replicas: 1 } });
    const stable = get(objects, 'Deployment');
    const canary = get(objects, 'Deployment', 'aspnetapp-canary');
    expect(canary.spec.replicas).toBe(1);
    expect(canary.spec.template.spec.containers[0].image).toBe('mcr.microsoft.com/dotnet/samples:aspnetapp-9.0');
    expect(stable.spec.selector.matchLabels).toStrictEqual({
      'app.kubernetes.io/name': 'aspnetapp',
      'app.kubernetes.io/instance': 'aspnetapp',
    });
    expect(canary.spec.selector.matchLabels).toStrictEqual({
      'app.kubernetes.io/name': 'aspnetapp',
      'app.kubernetes.io/instance': 'aspnetapp-canary',
    });
    const selector = get(objects, 'Service').spec.selector;
    expect(selector).toStrictEqual({ 'app.kubernetes.io/name': 'aspnetapp' });
    for (const deployment of [stable, canary]) expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
    expect(get(objects, 'PodDisruptionBudget', 'aspnetapp-canary').spec).toStrictEqual({
      maxUnavailable: '25%',
      selector: { matchLabels: canary.spec.selector.matchLabels },
    });
    expect(
      render({ canary: { replicas: 2, image: 'mcr.microsoft.com/dotnet/samples:aspnetapp-9.0.1' } }).find(
        (o) => o.metadata.name === 'aspnetapp-canary' && o.kind === 'Deployment',
      )!.spec.template.spec.containers[0].image,
    ).toBe('mcr.microsoft.com/dotnet/samples:aspnetapp-9.0.1');
  });

  it('surges stable and canary rollouts by maxSurge (default 1) with nothing unavailable', () => {
    const strategy = (objects: KubeObject[], name: string) => get(objects, 'Deployment', name).spec.strategy;
    for (const [props, surge] of [
      [{}, 1],
      [{ maxSurge: 2 }, 2],
    ] as const) {
      const objects = render({ ...props, canary: { replicas: 1 } });
      for (const name of ['aspnetapp', 'aspnetapp-canary'])
        expect(strategy(objects, name)).toStrictEqual({
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: surge, maxUnavailable: 0 },
        });
    }
  });

  it('keeps 75 % available without blocking node drains (maxUnavailable 25 %, not minAvailable 75 %)', () => {
    expect(get(render(), 'PodDisruptionBudget').spec).toStrictEqual({
      maxUnavailable: '25%',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'aspnetapp', 'app.kubernetes.io/instance': 'aspnetapp' } },
    });
  });

  it('gives the pods an identity without an API token, and the Service a ClusterIP only', () => {
    const objects = render();
    expect(get(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(get(objects, 'Deployment').spec.template.spec.serviceAccountName).toBe('aspnetapp');
    expect(get(objects, 'Service').spec).toStrictEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'aspnetapp' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('fails on an autoscaler maximum below the minimum, a zero canary and an out-of-range CPU target', () => {
    expect(() => render({ maxReplicas: 2 })).toThrow(/maxReplicas \(2\) must be >= replicas \(3\)/);
    expect(() => render({ canary: { replicas: 0 } })).toThrow(/canary.replicas must be a positive integer/);
    expect(() => render({ targetCpuUtilizationPercent: 150 })).toThrow(/targetCpuUtilizationPercent must be 1–100/);
  });

  it('matches the snapshot', () => {
    expect(render({ canary: { replicas: 1 } })).toMatchSnapshot();
  });
});
