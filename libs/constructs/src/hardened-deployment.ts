import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import { checkContainerResources, toResourceRequirements, type ContainerResources } from './compute-resources.ts';

/** An HTTP GET probe against a container port (by name or number). */
export interface HttpGetProbe {
  /** URL path, e.g. `/healthz`. */
  readonly path: string;
  /** A port name or number the container declares in `ports`. */
  readonly port: string | number;
}

/** A named container port. */
export interface ContainerPortSpec {
  /** Port name (IANA service name style, at most 15 characters): Services and probes refer to it. */
  readonly name: string;
  readonly containerPort: number;
}

/** A volume mounted into the container. */
export interface MountedVolume {
  /** Volume name (DNS-1123 label). */
  readonly name: string;
  readonly mountPath: string;
  /** The volume source, e.g. `{ configMap: { name: 'x' } }` or `{ csi: { … } }`. */
  readonly source: Omit<IVolume, 'name'>;
  /** Mount read-only. @default true */
  readonly readOnly?: boolean;
}

export interface HardenedDeploymentProps {
  /** Deployment name (and container name). */
  readonly name: string;
  readonly namespace: string;
  /** Labels that select this Deployment's pods. A Deployment's selector is immutable once applied. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Extra pod labels, e.g. one a Service shares with another Deployment's pods. @default - none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Pod annotations. @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Labels of the Deployment object itself. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Fixed replica count. Leave it unset when a HorizontalPodAutoscaler owns the count: Flux would otherwise reset
   * the HPA's choice on every reconcile.
   * @default - unset (the HorizontalPodAutoscaler sets it)
   */
  readonly replicas?: number;
  /** Image with a pinned tag or digest. */
  readonly image: string;
  /** Container arguments. @default - the image's CMD */
  readonly args?: readonly string[];
  /** Environment variables (plain values; never credentials). @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** Container ports, at least one. */
  readonly ports: readonly ContainerPortSpec[];
  /** Requests and limits; required, there is no default that fits every container. */
  readonly resources: ContainerResources;
  /** Readiness probe: the pod receives traffic only while it answers. */
  readonly readinessProbe: HttpGetProbe;
  /** Liveness probe: the container restarts when it stops answering. */
  readonly livenessProbe: HttpGetProbe;
  /** ServiceAccount the pods run as. */
  readonly serviceAccountName: string;
  /**
   * Mount an API token. Only for containers that call the Kubernetes API.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /** Non-root user id of the container. @default 10001 */
  readonly runAsUser?: number;
  /** Group id of the container and of mounted volumes (`fsGroup`). @default - runAsUser */
  readonly runAsGroup?: number;
  /**
   * Directories the container writes to, each an `emptyDir` (the root file system is read-only).
   * @default ['/tmp']
   */
  readonly writableDirectories?: readonly string[];
  /** Further volumes (ConfigMaps, CSI …). @default - none */
  readonly volumes?: readonly MountedVolume[];
  /** Node labels the pods require, e.g. the user node pool. @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Pods (by label) that must never share a node with this Deployment's pods: a node failure then takes out at most
   * one replica.
   * @default - this Deployment's selectorLabels
   */
  readonly antiAffinityLabels?: Readonly<Record<string, string>>;
  /** Rolling update: extra pods during a rollout. @default 1 */
  readonly maxSurge?: number;
  /** Rolling update: pods that may be unavailable during a rollout. @default 0 */
  readonly maxUnavailable?: number;
}

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** Seconds between probes; a probe fails after `failureThreshold` misses. */
const READINESS = { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 } as const;
const LIVENESS = { initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 2, failureThreshold: 3 } as const;

/**
 * A Deployment that satisfies the restricted Pod Security Standard and the cluster's Azure Policies by construction:
 * non-root user, read-only root file system (writable directories are emptyDirs), no privilege escalation, ALL
 * capabilities dropped, RuntimeDefault seccomp, no API token unless asked for, no service links, explicit requests
 * and limits, HTTP readiness and liveness probes, one replica per node (required anti-affinity on the hostname) and
 * a zone spread.
 *
 * Built on kubernetes-models rather than cdk8s-plus-27's `Deployment`, whose defaults are wrong for us:
 * `imagePullPolicy: Always` (we pin tags; `IfNotPresent` keeps pod starts independent of the registry, which matters
 * most during a failover scale-out), an automatic TCP startup probe (we require real HTTP probes instead), default
 * resources of 1000m–1500m CPU and 512Mi–2Gi memory (over the cluster policy's 512Mi limit), a construct-path pod
 * label (`cdk8s.io/metadata.addr`) in the selector, and no topology spread constraints.
 *
 * The zone spread is `ScheduleAnyway` on purpose: a hard spread would leave pods pending when a zone is down or the
 * zones have unequal node counts — exactly when a failover needs them.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export class HardenedDeployment extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** The pod selector. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Every label of the pod template. */
  readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    const owner = `HardenedDeployment ${props.namespace}/${props.name}`;
    if (Object.keys(props.selectorLabels).length === 0)
      throw new Error(
        `${owner}: selectorLabels must not be empty (an empty selector matches every pod of the namespace)`,
      );
    if (props.ports.length === 0) throw new Error(`${owner}: declare at least one container port`);
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 1))
      throw new Error(`${owner}: replicas must be a positive integer, got ${props.replicas}`);
    const runAsUser = props.runAsUser ?? 10001;
    const runAsGroup = props.runAsGroup ?? runAsUser;
    if (runAsUser <= 0 || runAsGroup <= 0)
      throw new Error(`${owner}: runAsUser and runAsGroup must be non-root (> 0), got ${runAsUser}/${runAsGroup}`);
    checkContainerResources(owner, props.resources);
    for (const [kind, probe] of [
      ['readinessProbe', props.readinessProbe],
      ['livenessProbe', props.livenessProbe],
    ] as const) {
      if (!props.ports.some((p) => p.name === probe.port || p.containerPort === probe.port)) {
        throw new Error(
          `${owner}: ${kind} port ${probe.port} is not one of the container ports (${props.ports.map((p) => `${p.name}=${p.containerPort}`).join(', ')})`,
        );
      }
    }

    const writable = (props.writableDirectories ?? ['/tmp']).map((mountPath) => {
      if (!/^\/[A-Za-z0-9._/-]+$/.test(mountPath))
        throw new Error(`${owner}: writable directory "${mountPath}" is not an absolute path`);
      // Volume name from the path: /tmp → tmp, /var/cache → var-cache.
      const name = mountPath
        .slice(1)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
      return { name, mountPath, source: { emptyDir: {} }, readOnly: false };
    });
    const volumes: MountedVolume[] = [...writable, ...(props.volumes ?? [])];
    const names = volumes.map((v) => v.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new Error(`${owner}: volume name "${duplicate}" is used twice`);

    this.name = props.name;
    this.namespace = props.namespace;
    this.selectorLabels = { ...props.selectorLabels };
    this.podLabels = { ...props.podLabels, ...props.selectorLabels };

    const httpGet = (probe: HttpGetProbe): IProbe['httpGet'] => ({
      path: probe.path,
      port: probe.port,
      scheme: 'HTTP',
    });
    const deployment = new Deployment({
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
      },
      spec: {
        ...(props.replicas !== undefined ? { replicas: props.replicas } : {}),
        revisionHistoryLimit: 3,
        selector: { matchLabels: { ...this.selectorLabels } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: props.maxSurge ?? 1, maxUnavailable: props.maxUnavailable ?? 0 },
        },
        template: {
          metadata: {
            labels: { ...this.podLabels },
            ...(props.podAnnotations ? { annotations: { ...props.podAnnotations } } : {}),
          },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: props.automountServiceAccountToken ?? false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser,
              runAsGroup,
              fsGroup: runAsGroup,
              fsGroupChangePolicy: 'OnRootMismatch',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            ...(props.nodeSelector ? { nodeSelector: { ...props.nodeSelector } } : {}),
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  {
                    labelSelector: { matchLabels: { ...(props.antiAffinityLabels ?? this.selectorLabels) } },
                    topologyKey: HOSTNAME,
                  },
                ],
              },
            },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: ZONE,
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { ...this.selectorLabels } },
              },
            ],
            containers: [
              {
                name: props.name,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                ...(props.args ? { args: [...props.args] } : {}),
                ...(props.env ? { env: Object.entries(props.env).map(([name, value]) => ({ name, value })) } : {}),
                ports: props.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
                resources: toResourceRequirements(props.resources),
                readinessProbe: { httpGet: httpGet(props.readinessProbe), ...READINESS },
                livenessProbe: { httpGet: httpGet(props.livenessProbe), ...LIVENESS },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser,
                  runAsGroup,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: volumes.map((v) => ({
                  name: v.name,
                  mountPath: v.mountPath,
                  readOnly: v.readOnly ?? true,
                })),
              },
            ],
            volumes: volumes.map((v) => ({ name: v.name, ...v.source })),
          },
        },
      },
    });
    new ApiObject(this, 'Resource', deployment.toJSON());
  }
}
