/**
 * Our own kwok Stage definitions (kwok.x-k8s.io/v1alpha1 Stage, written from the field docs of kwok v0.8.0's
 * `StageSpec`: resourceRef, selector.matchExpressions (jq key + operator), delay, steps[].patch / finalizers /
 * delete): what a kubelet and the Azure cloud provider would report, and nothing more.
 *
 * - Node: becomes Ready (kubelet conditions) once; kwok's node lease (the kubelet's heartbeat since 1.14) keeps it
 *   Ready, and a slow heartbeat stage refreshes the Ready condition like the kubelet's status report.
 * - Pod: bound to a kwok node and not being deleted → Running, containers started and ready, an IP from the nodes
 *   subnet (Azure CNI). Readiness probes are not executed: a started container counts as ready.
 * - Pod being deleted → finalizers dropped, deleted (the kubelet's termination, with no grace period).
 * - Service of type LoadBalancer → status.loadBalancer.ingress = its `azure-load-balancer-ipv4` annotation
 *   (what the Azure cloud provider reports for an internal load balancer with a fixed IP).
 */
import { stringify } from 'yaml';

const STAGE_API_VERSION = 'kwok.x-k8s.io/v1alpha1';

/** Annotation our simulated nodes carry; kwok manages exactly the nodes that have it. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const KWOK_NODE_ANNOTATION_VALUE = 'fake';

/** The AKS annotation that pins an internal load balancer's frontend IP. */
const LOAD_BALANCER_IP_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';

/** How often the heartbeat stage refreshes the Ready condition (the kubelet reports every few minutes). */
const NODE_STATUS_REFRESH_MS = 60_000;

/** Lease duration kwok renews for each node (kubelet default 40 s); the node lifecycle controller reads it. */
export const NODE_LEASE_SECONDS = 40;

interface Expression {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

function stage(
  name: string,
  kind: string,
  expressions: readonly Expression[],
  steps: readonly object[],
  delayMs?: number,
): object {
  return {
    apiVersion: STAGE_API_VERSION,
    kind: 'Stage',
    metadata: { name },
    spec: {
      resourceRef: { apiGroup: 'v1', kind },
      selector: { matchExpressions: expressions.map((jq) => ({ jq })) },
      ...(delayMs ? { delay: { durationMilliseconds: delayMs } } : {}),
      steps,
    },
  };
}

const NODE_CONDITIONS = `
{{ $now := Now | Quote }}
status:
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    message: kubelet is posting ready status (kwok)
    lastHeartbeatTime: {{ $now }}
    lastTransitionTime: {{ $now }}
  - type: MemoryPressure
    status: "False"
    reason: KubeletHasSufficientMemory
    message: kubelet has sufficient memory available
    lastHeartbeatTime: {{ $now }}
    lastTransitionTime: {{ $now }}
  - type: DiskPressure
    status: "False"
    reason: KubeletHasNoDiskPressure
    message: kubelet has no disk pressure
    lastHeartbeatTime: {{ $now }}
    lastTransitionTime: {{ $now }}
  - type: PIDPressure
    status: "False"
    reason: KubeletHasSufficientPID
    message: kubelet has sufficient PID available
    lastHeartbeatTime: {{ $now }}
    lastTransitionTime: {{ $now }}
  - type: NetworkUnavailable
    status: "False"
    reason: RouteCreated
    message: Azure CNI configured the node's network
    lastHeartbeatTime: {{ $now }}
    lastTransitionTime: {{ $now }}
  phase: Running
`;

/** Strategic merge by condition type: only the heartbeat time moves. */
const NODE_HEARTBEAT = `
status:
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    lastHeartbeatTime: {{ Now | Quote }}
`;

const POD_RUNNING = `
{{ $now := Now | Quote }}
{{ $hostIP := NodeIPWith .spec.nodeName }}
{{ $podIP := PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
status:
  phase: Running
  hostIP: {{ $hostIP }}
  hostIPs:
  - ip: {{ $hostIP }}
  podIP: {{ $podIP }}
  podIPs:
  - ip: {{ $podIP }}
  startTime: {{ $now }}
  conditions:
  - type: PodReadyToStartContainers
    status: "True"
    lastTransitionTime: {{ $now }}
  - type: Initialized
    status: "True"
    lastTransitionTime: {{ $now }}
  - type: ContainersReady
    status: "True"
    lastTransitionTime: {{ $now }}
  - type: Ready
    status: "True"
    lastTransitionTime: {{ $now }}
  - type: PodScheduled
    status: "True"
    lastTransitionTime: {{ $now }}
  containerStatuses:
  {{ range .spec.containers }}
  - name: {{ .name }}
    image: {{ .image }}
    ready: true
    started: true
    restartCount: 0
    state:
      running:
        startedAt: {{ $now }}
  {{ end }}
`;

const SERVICE_LOAD_BALANCER = `
status:
  loadBalancer:
    ingress:
    - ip: {{ index .metadata.annotations "${LOAD_BALANCER_IP_ANNOTATION}" }}
      ipMode: VIP
`;

/** Every Stage the e2e's kwok runs with. */
export function kwokStages(): object[] {
  return [
    stage(
      'node-ready',
      'Node',
      [{ key: '.status.conditions', operator: 'DoesNotExist' }],
      [{ patch: { subresource: 'status', type: 'merge', template: NODE_CONDITIONS } }],
    ),
    stage(
      'node-heartbeat',
      'Node',
      [{ key: '.status.conditions[] | select(.type == "Ready") | .status', operator: 'In', values: ['True'] }],
      [{ patch: { subresource: 'status', type: 'strategic', template: NODE_HEARTBEAT } }],
      NODE_STATUS_REFRESH_MS,
    ),
    stage(
      'pod-running',
      'Pod',
      [
        { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
        { key: '.spec.nodeName', operator: 'Exists' },
        { key: '.status.podIP', operator: 'DoesNotExist' },
      ],
      [{ patch: { subresource: 'status', type: 'merge', template: POD_RUNNING } }],
    ),
    stage(
      'pod-delete',
      'Pod',
      [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }],
      [{ finalizers: { empty: true } }, { delete: true }],
    ),
    stage(
      'service-load-balancer',
      'Service',
      [
        { key: '.spec.type', operator: 'In', values: ['LoadBalancer'] },
        { key: `.metadata.annotations["${LOAD_BALANCER_IP_ANNOTATION}"]`, operator: 'Exists' },
        { key: '.status.loadBalancer.ingress', operator: 'DoesNotExist' },
      ],
      [{ patch: { subresource: 'status', type: 'merge', template: SERVICE_LOAD_BALANCER } }],
    ),
  ];
}

/**
 * kwok's own settings: renew a Lease per node, like the kubelet. A configuration document replaces kwok's defaults
 * as a whole, so the worker counts are given too (kwok's documented defaults).
 */
function kwokConfiguration(): object {
  return {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokConfiguration',
    options: {
      nodeLeaseDurationSeconds: NODE_LEASE_SECONDS,
      nodeLeaseParallelism: 4,
      podPlayStageParallelism: 4,
      nodePlayStageParallelism: 4,
      podsOnNodeSyncParallelism: 1,
      enablePodsOnNodeSyncListPager: true,
      enablePodsOnNodeSyncStreamWatch: false,
    },
  };
}

/** The `--config` file kwok reads: its configuration and our Stages, as a multi-document YAML. */
export function kwokConfigYaml(): string {
  return [kwokConfiguration(), ...kwokStages()].map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
}
