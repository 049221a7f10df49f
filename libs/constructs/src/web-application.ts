import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ContainerResources } from './compute-resources.ts';
import { HardenedDeployment } from './hardened-deployment.ts';

/** A second, smaller Deployment of the application that receives a share of the traffic. */
export interface CanaryProps {
  /** Replicas; the canary's share of requests is `replicas / (stable replicas + replicas)`. */
  readonly replicas: number;
  /** Image of the canary. @default - the stable image */
  readonly image?: string;
}

export interface WebApplicationProps {
  /** Application name: the ServiceAccount, Deployment, Service and Ingress carry it. */
  readonly name: string;
  readonly namespace: string;
  /** Image with a pinned tag or digest. */
  readonly image: string;
  /** Port the container serves plain HTTP on. */
  readonly containerPort: number;
  /** Path of the health endpoint (readiness and liveness). */
  readonly healthPath: string;
  readonly resources: ContainerResources;
  /** Normal replica count: the autoscaler's minimum. */
  readonly replicas: number;
  /** Most replicas the autoscaler may run (failover load). Must be >= `replicas`. */
  readonly maxReplicas: number;
  /** Average CPU utilization (% of requests) the autoscaler aims for. @default 70 */
  readonly targetCpuUtilizationPercent?: number;
  /** The one host name the Ingress serves, with TLS. */
  readonly host: string;
  /** IngressClass of the ingress controller that serves the host. */
  readonly ingressClassName: string;
  /** Controller-specific Ingress annotations, e.g. the entry point to attach to. @default - none */
  readonly ingressAnnotations?: Readonly<Record<string, string>>;
  /** Labels shared by every pod of the application (stable and canary): the Service selects them. @default - `app.kubernetes.io/name: <name>` */
  readonly appLabels?: Readonly<Record<string, string>>;
  /** Node labels the pods require. @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Environment variables of the container. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** A canary Deployment behind the same Service. @default - none */
  readonly canary?: CanaryProps;
  /** Rolling update: extra pods of a rollout (stable and canary). @default 1 */
  readonly maxSurge?: number;
}

/** Name of the Service port, and of the container port it targets. */
const HTTP = 'http';

/**
 * A stateless HTTP application behind an ingress controller: ServiceAccount (no API token), hardened Deployment
 * whose replica count the HorizontalPodAutoscaler owns (min = normal replicas, max = failover replicas),
 * PodDisruptionBudget, ClusterIP Service, and an Ingress for one host with `spec.tls` and
 * `kubernetes.io/ingress.allow-http: "false"` (what the AKS "HTTPS ingress only" policy checks).
 *
 * An optional canary is a second Deployment (fixed replicas) whose pods carry the application labels too, so the one
 * Service — and the ingress controller behind it — spreads requests over stable and canary pods alike: the canary's
 * share is its share of the replicas. Under failover the autoscaler grows only the stable Deployment, so the canary's
 * share shrinks rather than grows.
 *
 * The PodDisruptionBudgets keep 75 % available as `maxUnavailable: 25%`: Kubernetes rounds a percentage
 * `minAvailable` up, so `minAvailable: 75%` of 2 or 3 replicas allows no eviction at all and blocks every node drain
 * (weekly node-image upgrades included), while `maxUnavailable: 25%` rounds up to at least one pod.
 */
export class WebApplication extends Construct {
  readonly name: string;
  /** Labels of every application pod (what the Service selects). */
  readonly appLabels: Readonly<Record<string, string>>;
  /** The stable Deployment (its replica count is the autoscaler's). */
  readonly stable: HardenedDeployment;
  /** The canary Deployment, when the props ask for one. */
  readonly canary?: HardenedDeployment;

  constructor(scope: Construct, id: string, props: WebApplicationProps) {
    super(scope, id);
    const owner = `WebApplication ${props.namespace}/${props.name}`;
    if (!Number.isInteger(props.replicas) || props.replicas < 1)
      throw new Error(`${owner}: replicas must be a positive integer, got ${props.replicas}`);
    if (props.maxReplicas < props.replicas)
      throw new Error(`${owner}: maxReplicas (${props.maxReplicas}) must be >= replicas (${props.replicas})`);
    if (props.canary && (!Number.isInteger(props.canary.replicas) || props.canary.replicas < 1))
      throw new Error(`${owner}: canary.replicas must be a positive integer, got ${props.canary.replicas}`);
    const target = props.targetCpuUtilizationPercent ?? 70;
    if (target < 1 || target > 100)
      throw new Error(`${owner}: targetCpuUtilizationPercent must be 1–100, got ${target}`);

    this.name = props.name;
    this.appLabels = { ...(props.appLabels ?? { 'app.kubernetes.io/name': props.name }) };
    const ns = props.namespace;

    const serviceAccount = new ServiceAccount({
      metadata: { name: props.name, namespace: ns },
      automountServiceAccountToken: false,
    });
    new ApiObject(this, 'ServiceAccount', serviceAccount.toJSON());

    const deployment = (id: string, name: string, image: string, replicas: number | undefined) =>
      new HardenedDeployment(this, id, {
        name,
        namespace: ns,
        selectorLabels: { ...this.appLabels, 'app.kubernetes.io/instance': name },
        ...(replicas !== undefined ? { replicas } : {}),
        image,
        ports: [{ name: HTTP, containerPort: props.containerPort }],
        ...(props.env ? { env: props.env } : {}),
        resources: props.resources,
        readinessProbe: { path: props.healthPath, port: HTTP },
        livenessProbe: { path: props.healthPath, port: HTTP },
        serviceAccountName: props.name,
        ...(props.nodeSelector ? { nodeSelector: props.nodeSelector } : {}),
        ...(props.maxSurge !== undefined ? { maxSurge: props.maxSurge } : {}),
      });
    const budget = (id: string, target: HardenedDeployment) => {
      const pdb = new PodDisruptionBudget({
        metadata: { name: target.name, namespace: ns },
        spec: { maxUnavailable: '25%', selector: { matchLabels: { ...target.selectorLabels } } },
      });
      new ApiObject(this, id, pdb.toJSON());
    };

    this.stable = deployment('Deployment', props.name, props.image, undefined);
    budget('PodDisruptionBudget', this.stable);
    const hpa = new HorizontalPodAutoscaler({
      metadata: { name: props.name, namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
        minReplicas: props.replicas,
        maxReplicas: props.maxReplicas,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } },
        ],
      },
    });
    new ApiObject(this, 'HorizontalPodAutoscaler', hpa.toJSON());

    if (props.canary) {
      this.canary = deployment(
        'CanaryDeployment',
        `${props.name}-canary`,
        props.canary.image ?? props.image,
        props.canary.replicas,
      );
      budget('CanaryPodDisruptionBudget', this.canary);
    }

    const service = new Service({
      metadata: { name: props.name, namespace: ns },
      spec: {
        type: 'ClusterIP',
        selector: { ...this.appLabels },
        ports: [{ name: HTTP, port: 80, targetPort: HTTP, protocol: 'TCP' }],
      },
    });
    new ApiObject(this, 'Service', service.toJSON());

    const ingress = new Ingress({
      metadata: {
        name: props.name,
        namespace: ns,
        annotations: { 'kubernetes.io/ingress.allow-http': 'false', ...props.ingressAnnotations },
      },
      spec: {
        ingressClassName: props.ingressClassName,
        tls: [{ hosts: [props.host] }],
        rules: [
          {
            host: props.host,
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: props.name, port: { name: HTTP } } } },
              ],
            },
          },
        ],
      },
    });
    new ApiObject(this, 'Ingress', ingress.toJSON());
  }
}
