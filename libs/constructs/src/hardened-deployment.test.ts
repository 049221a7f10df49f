import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { HardenedDeployment, type HardenedDeploymentProps } from './hardened-deployment.ts';

const BASE: HardenedDeploymentProps = {
  name: 'web',
  namespace: 'apps',
  selectorLabels: { 'app.kubernetes.io/name': 'web' },
  image: 'mcr.microsoft.com/dotnet/samples:aspnetapp-9.0',
  ports: [{ name: 'http', containerPort: 8080 }],
  resources: { requests: { cpuMillicores: 50, memoryMiB: 128 }, limits: { cpuMillicores: 100, memoryMiB: 256 } },
  readinessProbe: { path: '/healthz', port: 'http' },
  livenessProbe: { path: '/healthz', port: 'http' },
  serviceAccountName: 'web',
};

function render(props: Partial<HardenedDeploymentProps> = {}) {
  const chart = Testing.chart();
  new HardenedDeployment(chart, 'Deployment', { ...BASE, ...props });
  const [deployment] = Testing.synth(chart);
  return deployment;
}

describe('HardenedDeployment', () => {
  it('runs as a non-root user with a read-only root file system, no privilege escalation, no capabilities and RuntimeDefault seccomp', () => {
    const spec = render().spec.template.spec;
    expect(spec.securityContext).toStrictEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0].securityContext).toStrictEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.enableServiceLinks).toBe(false);
  });

  it('sets resources, HTTP probes and IfNotPresent (not cdk8s-plus defaults), and an emptyDir for /tmp', () => {
    const container = render().spec.template.spec.containers[0];
    expect(container.resources).toStrictEqual({
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { cpu: '100m', memory: '256Mi' },
    });
    expect(container.readinessProbe).toStrictEqual({
      httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 3,
    });
    expect(container.livenessProbe.httpGet).toStrictEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.startupProbe).toBeUndefined();
    expect(container.volumeMounts).toStrictEqual([{ name: 'tmp', mountPath: '/tmp', readOnly: false }]);
  });

  it('leaves replicas to an autoscaler unless given, and spreads one pod per node and across zones', () => {
    const withoutCount = render();
    expect(withoutCount.spec.replicas).toBeUndefined();
    expect(render({ replicas: 3 }).spec.replicas).toBe(3);
    const spec = withoutCount.spec.template.spec;
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toStrictEqual([
      { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, topologyKey: 'kubernetes.io/hostname' },
    ]);
    expect(spec.topologySpreadConstraints).toStrictEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      },
    ]);
  });

  it('mounts extra volumes read-only by default and names writable directories after their paths', () => {
    const spec = render({
      writableDirectories: ['/tmp', '/var/cache'],
      volumes: [{ name: 'config', mountPath: '/config', source: { configMap: { name: 'cfg' } } }],
    }).spec.template.spec;
    expect(spec.containers[0].volumeMounts).toStrictEqual([
      { name: 'tmp', mountPath: '/tmp', readOnly: false },
      { name: 'var-cache', mountPath: '/var/cache', readOnly: false },
      { name: 'config', mountPath: '/config', readOnly: true },
    ]);
    expect(spec.volumes).toStrictEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'var-cache', emptyDir: {} },
      { name: 'config', configMap: { name: 'cfg' } },
    ]);
  });

  it('fails on a probe port the container does not declare', () => {
    expect(() => render({ livenessProbe: { path: '/', port: 'admin' } })).toThrow(
      /HardenedDeployment apps\/web: livenessProbe port admin is not one of the container ports \(http=8080\)/,
    );
  });

  it('fails on a request above its limit, a root user, an empty selector and a duplicate volume', () => {
    expect(() =>
      render({
        resources: { requests: { cpuMillicores: 200, memoryMiB: 128 }, limits: { cpuMillicores: 100, memoryMiB: 256 } },
      }),
    ).toThrow(/resources.requests.cpuMillicores \(200\) must be <= resources.limits.cpuMillicores \(100\)/);
    expect(() => render({ runAsUser: 0 })).toThrow(/must be non-root/);
    expect(() => render({ selectorLabels: {} })).toThrow(/selectorLabels must not be empty/);
    expect(() => render({ volumes: [{ name: 'tmp', mountPath: '/x', source: { emptyDir: {} } }] })).toThrow(
      /volume name "tmp" is used twice/,
    );
  });

  it('matches the snapshot', () => {
    expect(render()).toMatchSnapshot();
  });
});
