/** Pod specs inside workload objects (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod). */
import type { KubernetesObject } from '@aks-fleet/synth';

export interface SeccompProfile {
  readonly type?: string;
  readonly localhostProfile?: string;
}

export interface SeLinuxOptions {
  readonly type?: string;
  readonly user?: string;
  readonly role?: string;
  readonly level?: string;
}

/** The security-context fields pods and containers share. */
interface CommonSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly seccompProfile?: SeccompProfile;
  readonly appArmorProfile?: { readonly type?: string; readonly localhostProfile?: string };
  readonly seLinuxOptions?: SeLinuxOptions;
  readonly windowsOptions?: { readonly hostProcess?: boolean };
}

export interface ContainerSecurityContext extends CommonSecurityContext {
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly privileged?: boolean;
  readonly procMount?: string;
  readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
}

export interface PodSecurityContext extends CommonSecurityContext {
  readonly sysctls?: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
}

/** A probe or lifecycle handler: only the fields that can point at another host. */
export interface Handler {
  readonly httpGet?: { readonly host?: string };
  readonly tcpSocket?: { readonly host?: string };
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly securityContext?: ContainerSecurityContext;
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
  readonly ports?: ReadonlyArray<{
    readonly containerPort?: number;
    readonly hostPort?: number;
    readonly name?: string;
  }>;
  readonly livenessProbe?: Handler;
  readonly readinessProbe?: Handler;
  readonly startupProbe?: Handler;
  readonly lifecycle?: { readonly postStart?: Handler; readonly preStop?: Handler };
}

/** One volume: its name plus exactly one volume-source key (emptyDir, hostPath, nfs …). */
export type Volume = { readonly name: string } & Readonly<Record<string, unknown>>;

export interface PodSpec {
  readonly securityContext?: PodSecurityContext;
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
}

/** A pod template found in an object, with the field paths a finding names. */
export interface PodTemplate {
  readonly spec: PodSpec;
  readonly annotations: Readonly<Record<string, string>>;
  /** Path of the pod spec in the object, e.g. `spec.template.spec`. */
  readonly specPath: string;
  /** Path of the pod metadata in the object, e.g. `spec.template.metadata`. */
  readonly metadataPath: string;
}

/** Kinds whose pod template sits at `spec.template`. */
const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Every kind that makes pods. */
export const POD_KINDS: readonly string[] = ['Pod', ...TEMPLATED, 'CronJob'];

type Template = { metadata?: { annotations?: Record<string, string> }; spec?: PodSpec };

export function podTemplateOf(object: KubernetesObject): PodTemplate | undefined {
  const spec = object.spec as
    ({ template?: Template; jobTemplate?: { spec?: { template?: Template } } } & PodSpec) | undefined;
  if (!spec) return undefined;
  const at = (template: Template | undefined, base: string): PodTemplate | undefined =>
    template?.spec
      ? {
          spec: template.spec,
          annotations: template.metadata?.annotations ?? {},
          specPath: `${base}.spec`,
          metadataPath: `${base}.metadata`,
        }
      : undefined;
  if (TEMPLATED.has(object.kind)) return at(spec.template, 'spec.template');
  if (object.kind === 'CronJob') return at(spec.jobTemplate?.spec?.template, 'spec.jobTemplate.spec.template');
  if (object.kind === 'Pod')
    return { spec, annotations: object.metadata.annotations ?? {}, specPath: 'spec', metadataPath: 'metadata' };
  return undefined;
}

export function podSpecOf(object: KubernetesObject): PodSpec | undefined {
  return podTemplateOf(object)?.spec;
}

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** A container with the path of its entry, e.g. `spec.template.spec.initContainers[0]`. */
export interface ContainerEntry {
  readonly container: Container;
  readonly path: string;
}

export function containerEntries(template: PodTemplate): ContainerEntry[] {
  return CONTAINER_LISTS.flatMap((list) =>
    (template.spec[list] ?? []).map((container, i) => ({ container, path: `${template.specPath}.${list}[${i}]` })),
  );
}

/** Every container of a pod: init, regular and ephemeral. */
export function containersOf(pod: PodSpec): Container[] {
  return CONTAINER_LISTS.flatMap((list) => [...(pod[list] ?? [])]);
}
