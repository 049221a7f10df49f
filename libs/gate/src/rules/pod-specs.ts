/** Pod specs inside workload objects (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod). */
import type { KubernetesObject } from '@aks-fleet/synth';

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly securityContext?: {
    readonly runAsNonRoot?: boolean;
    readonly runAsUser?: number;
    readonly allowPrivilegeEscalation?: boolean;
    readonly readOnlyRootFilesystem?: boolean;
    readonly privileged?: boolean;
    readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
  };
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
}

export interface PodSpec {
  readonly securityContext?: { readonly runAsNonRoot?: boolean; readonly runAsUser?: number };
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
}

const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export function podSpecOf(object: KubernetesObject): PodSpec | undefined {
  const spec = object.spec as ({ template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } & PodSpec) | undefined;
  if (!spec) return undefined;
  if (TEMPLATED.has(object.kind)) return spec.template?.spec;
  if (object.kind === 'CronJob') return spec.jobTemplate?.spec?.template?.spec;
  if (object.kind === 'Pod') return spec as PodSpec;
  return undefined;
}

export function containersOf(pod: PodSpec): Container[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}
