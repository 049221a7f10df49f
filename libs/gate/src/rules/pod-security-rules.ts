/**
 * The Pod Security Standards, baseline and restricted, one rule per control, checked on every pod template of every
 * pod-bearing kind (init, regular and ephemeral containers and the pod itself). The gate runs before any cluster
 * admits the pods, so it checks what the pods would do: a namespace labelled `enforce: baseline` is held to the
 * baseline controls, every other namespace to restricted (restricted includes baseline).
 *
 * Each control reports a violation once: a value both levels forbid (e.g. seccomp `Unconfined`, capability
 * `SYS_ADMIN`) is reported by the baseline control; the restricted control reports what only restricted forbids.
 */
import type { KubernetesObject } from '@aks-fleet/synth';
import type { Finding } from '../finding.ts';
import type { GateContext, SyncRule } from '../rule.ts';
import { objectRef } from '../tree.ts';
import { excepted } from './exceptions.ts';
import { containerEntries, podTemplateOf, type ContainerEntry, type Handler, type PodTemplate } from './pod-specs.ts';

export type PssLevel = 'baseline' | 'restricted';

export const PSA_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** Capabilities baseline allows a container to add (the container runtime's default set). */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
/** The only capability restricted allows to add. */
export const RESTRICTED_ADD_CAPABILITY = 'NET_BIND_SERVICE';
/** Namespaced sysctls isolated from other pods on the node. */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
/** Volume sources restricted allows (anything else must come through a PersistentVolume). */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
export const ALLOWED_SECCOMP_TYPES: readonly string[] = ['RuntimeDefault', 'Localhost'];
export const ALLOWED_APPARMOR_TYPES: readonly string[] = ['RuntimeDefault', 'Localhost'];
export const ALLOWED_SELINUX_TYPES: readonly string[] = [
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
];
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** One offending field: where it is, what it holds, what the level allows and how to fix exactly that. */
export interface Violation {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
  readonly fix: string;
  /** The container it concerns. @default - the pod */
  readonly container?: string;
}

interface Control {
  readonly id: string;
  readonly level: PssLevel;
  readonly rationale: string;
  readonly check: (pod: PodTemplate) => Violation[];
}

export function describeValue(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

/** The level each namespace of a cluster is held to: `baseline` where its enforce label says so, else restricted. */
function namespaceLevels(objects: readonly KubernetesObject[]): Map<string, PssLevel> {
  const levels = new Map<string, PssLevel>();
  for (const object of objects) {
    if (object.kind !== 'Namespace') continue;
    levels.set(
      object.metadata.name,
      object.metadata.labels?.[PSA_ENFORCE_LABEL] === 'baseline' ? 'baseline' : 'restricted',
    );
  }
  return levels;
}

function controlRule(control: Control): SyncRule {
  return {
    id: control.id,
    rationale: control.rationale,
    check: (context: GateContext) =>
      context.clusters.flatMap((cluster) => {
        const levels = namespaceLevels(cluster.objects.map((o) => o.object));
        return cluster.objects.flatMap(({ file, object }): Finding[] => {
          const pod = podTemplateOf(object);
          if (!pod || excepted(context, control.id, object)) return [];
          const level = levels.get(object.metadata.namespace ?? '') ?? 'restricted';
          if (control.level === 'restricted' && level === 'baseline') return [];
          return control.check(pod).map((v) => ({
            severity: 'ERROR' as const,
            rule: control.id,
            file,
            object: objectRef(object),
            message: `${v.container ? `container ${v.container}: ` : ''}${v.field} is ${describeValue(v.value)}; ${control.level} allows ${v.allowed}`,
            fix: v.fix,
          }));
        });
      }),
  };
}

/** The pod's security context and every container's, with their paths. */
function securityContexts(
  pod: PodTemplate,
): Array<{ path: string; context: Record<string, unknown>; container?: string }> {
  return [
    { path: `${pod.specPath}.securityContext`, context: (pod.spec.securityContext ?? {}) as Record<string, unknown> },
    ...containerEntries(pod).map(({ container, path }) => ({
      path: `${path}.securityContext`,
      context: (container.securityContext ?? {}) as Record<string, unknown>,
      container: container.name,
    })),
  ];
}

function perContainer(pod: PodTemplate, check: (entry: ContainerEntry) => Violation[]): Violation[] {
  return containerEntries(pod).flatMap((entry) => check(entry).map((v) => ({ ...v, container: entry.container.name })));
}

const isUnsetOrEmpty = (value: unknown) => value === undefined || value === null || value === '';

const HANDLERS = [
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle.postStart',
  'lifecycle.preStop',
] as const;

function handlerAt(entry: ContainerEntry, name: (typeof HANDLERS)[number]): Handler | undefined {
  const c = entry.container;
  if (name === 'lifecycle.postStart') return c.lifecycle?.postStart;
  if (name === 'lifecycle.preStop') return c.lifecycle?.preStop;
  return c[name];
}

const baseline: Control[] = [
  {
    id: 'security/pss-baseline-host-process',
    level: 'baseline',
    rationale: 'Windows HostProcess containers get privileged access to the node (PSS baseline: HostProcess).',
    check: (pod) =>
      securityContexts(pod)
        .filter(
          ({ context }) => (context.windowsOptions as { hostProcess?: unknown } | undefined)?.hostProcess === true,
        )
        .map(({ path, container }) => ({
          field: `${path}.windowsOptions.hostProcess`,
          value: true,
          allowed: 'false or unset',
          container,
          fix: `remove ${path}.windowsOptions.hostProcess (or set it to false)`,
        })),
  },
  {
    id: 'security/pss-baseline-host-namespaces',
    level: 'baseline',
    rationale: "Sharing the node's network, PID or IPC namespace breaks pod isolation (PSS baseline: host namespaces).",
    check: (pod) =>
      (['hostNetwork', 'hostPID', 'hostIPC'] as const)
        .filter((key) => pod.spec[key] === true)
        .map((key) => ({
          field: `${pod.specPath}.${key}`,
          value: true,
          allowed: 'false or unset',
          fix: `remove ${pod.specPath}.${key} (or set it to false)`,
        })),
  },
  {
    id: 'security/pss-baseline-privileged',
    level: 'baseline',
    rationale: 'A privileged container disables most security mechanisms (PSS baseline: privileged containers).',
    check: (pod) =>
      perContainer(pod, ({ container, path }) =>
        container.securityContext?.privileged === true
          ? [
              {
                field: `${path}.securityContext.privileged`,
                value: true,
                allowed: 'false or unset',
                fix: `remove ${path}.securityContext.privileged (or set it to false) and add only the capability it needs`,
              },
            ]
          : [],
      ),
  },
  {
    id: 'security/pss-baseline-capabilities',
    level: 'baseline',
    rationale: 'Capabilities beyond the runtime default set are known escalation paths (PSS baseline: capabilities).',
    check: (pod) =>
      perContainer(pod, ({ container, path }) => {
        const extra = (container.securityContext?.capabilities?.add ?? []).filter(
          (c) => !BASELINE_CAPABILITIES.includes(c),
        );
        return extra.length === 0
          ? []
          : [
              {
                field: `${path}.securityContext.capabilities.add`,
                value: extra,
                allowed: `only ${BASELINE_CAPABILITIES.join(', ')}`,
                fix: `remove ${extra.join(', ')} from ${path}.securityContext.capabilities.add`,
              },
            ];
      }),
  },
  {
    id: 'security/pss-baseline-host-path',
    level: 'baseline',
    rationale: "hostPath volumes expose the node's file system to the pod (PSS baseline: HostPath volumes).",
    check: (pod) =>
      (pod.spec.volumes ?? []).flatMap((volume, i) =>
        volume.hostPath === undefined
          ? []
          : [
              {
                field: `${pod.specPath}.volumes[${i}].hostPath`,
                value: volume.hostPath,
                allowed: 'no hostPath volume',
                fix: `replace volume ${volume.name} (${pod.specPath}.volumes[${i}].hostPath) with an emptyDir, configMap, projected or persistentVolumeClaim volume`,
              },
            ],
      ),
  },
  {
    id: 'security/pss-baseline-host-ports',
    level: 'baseline',
    rationale:
      'A host port exposes the pod on every address of its node, around Services and NetworkPolicies (PSS baseline: host ports).',
    check: (pod) =>
      perContainer(pod, ({ container, path }) =>
        (container.ports ?? []).flatMap((port, j) =>
          port.hostPort === undefined || port.hostPort === 0
            ? []
            : [
                {
                  field: `${path}.ports[${j}].hostPort`,
                  value: port.hostPort,
                  allowed: '0 or unset',
                  fix: `remove ${path}.ports[${j}].hostPort and reach the port through a ClusterIP Service`,
                },
              ],
        ),
      ),
  },
  {
    id: 'security/pss-baseline-host-probes',
    level: 'baseline',
    rationale:
      'A probe or lifecycle hook with a host field makes the kubelet send requests to any host (PSS baseline: host probes / lifecycle hooks).',
    check: (pod) =>
      perContainer(pod, (entry) =>
        HANDLERS.flatMap((name) => {
          const handler = handlerAt(entry, name);
          return (['httpGet', 'tcpSocket'] as const)
            .filter((kind) => !isUnsetOrEmpty(handler?.[kind]?.host))
            .map((kind) => ({
              field: `${entry.path}.${name}.${kind}.host`,
              value: handler![kind]!.host,
              allowed: 'unset or ""',
              fix: `remove ${entry.path}.${name}.${kind}.host: a probe or hook may only reach its own pod`,
            }));
        }),
      ),
  },
  {
    id: 'security/pss-baseline-apparmor',
    level: 'baseline',
    rationale:
      'Disabling or overriding the default AppArmor profile removes a kernel confinement (PSS baseline: AppArmor).',
    check: (pod) => [
      ...securityContexts(pod).flatMap(({ path, context, container }) => {
        const type = (context.appArmorProfile as { type?: string } | undefined)?.type;
        return type === undefined || ALLOWED_APPARMOR_TYPES.includes(type)
          ? []
          : [
              {
                field: `${path}.appArmorProfile.type`,
                value: type,
                allowed: `${ALLOWED_APPARMOR_TYPES.join(' or ')} or unset`,
                container,
                fix: `set ${path}.appArmorProfile.type to RuntimeDefault (or Localhost with a localhostProfile)`,
              },
            ];
      }),
      ...Object.entries(pod.annotations)
        .filter(
          ([key, value]) =>
            key.startsWith(APPARMOR_ANNOTATION_PREFIX) &&
            value !== 'runtime/default' &&
            !value.startsWith('localhost/'),
        )
        .map(([key, value]) => ({
          field: `${pod.metadataPath}.annotations['${key}']`,
          value,
          allowed: 'runtime/default, localhost/* or unset',
          fix: `set annotation ${key} to runtime/default (or remove it)`,
        })),
    ],
  },
  {
    id: 'security/pss-baseline-selinux',
    level: 'baseline',
    rationale: 'Custom SELinux users, roles or types can lift the container confinement (PSS baseline: SELinux).',
    check: (pod) =>
      securityContexts(pod).flatMap(({ path, context, container }) => {
        const options = (context.seLinuxOptions ?? {}) as { type?: string; user?: string; role?: string };
        const out: Violation[] = [];
        if (!isUnsetOrEmpty(options.type) && !ALLOWED_SELINUX_TYPES.includes(options.type!)) {
          out.push({
            field: `${path}.seLinuxOptions.type`,
            value: options.type,
            allowed: `${ALLOWED_SELINUX_TYPES.join(', ')} or unset`,
            container,
            fix: `remove ${path}.seLinuxOptions.type (or set it to container_t)`,
          });
        }
        for (const key of ['user', 'role'] as const) {
          if (!isUnsetOrEmpty(options[key])) {
            out.push({
              field: `${path}.seLinuxOptions.${key}`,
              value: options[key],
              allowed: 'unset',
              container,
              fix: `remove ${path}.seLinuxOptions.${key}`,
            });
          }
        }
        return out;
      }),
  },
  {
    id: 'security/pss-baseline-proc-mount',
    level: 'baseline',
    rationale: 'An unmasked /proc exposes host information and kernel knobs (PSS baseline: /proc mount type).',
    check: (pod) =>
      perContainer(pod, ({ container, path }) => {
        const procMount = container.securityContext?.procMount;
        return procMount === undefined || procMount === 'Default'
          ? []
          : [
              {
                field: `${path}.securityContext.procMount`,
                value: procMount,
                allowed: 'Default or unset',
                fix: `remove ${path}.securityContext.procMount (or set it to Default)`,
              },
            ];
      }),
  },
  {
    id: 'security/pss-baseline-seccomp',
    level: 'baseline',
    rationale: 'An Unconfined seccomp profile gives the container every system call (PSS baseline: seccomp).',
    check: (pod) =>
      securityContexts(pod).flatMap(({ path, context, container }) => {
        const type = (context.seccompProfile as { type?: string } | undefined)?.type;
        return type === undefined || ALLOWED_SECCOMP_TYPES.includes(type)
          ? []
          : [
              {
                field: `${path}.seccompProfile.type`,
                value: type,
                allowed: `${ALLOWED_SECCOMP_TYPES.join(' or ')} or unset`,
                container,
                fix: `set ${path}.seccompProfile.type to RuntimeDefault`,
              },
            ];
      }),
  },
  {
    id: 'security/pss-baseline-sysctls',
    level: 'baseline',
    rationale: 'Sysctls outside the safe, namespaced set change the node for every pod (PSS baseline: sysctls).',
    check: (pod) =>
      (pod.spec.securityContext?.sysctls ?? []).flatMap((sysctl, i) =>
        SAFE_SYSCTLS.includes(sysctl.name)
          ? []
          : [
              {
                field: `${pod.specPath}.securityContext.sysctls[${i}].name`,
                value: sysctl.name,
                allowed: `only ${SAFE_SYSCTLS.join(', ')}`,
                fix: `remove sysctl ${sysctl.name} (${pod.specPath}.securityContext.sysctls[${i}]); tune the node pool instead`,
              },
            ],
      ),
  },
];

const restricted: Control[] = [
  {
    id: 'security/pss-restricted-volume-types',
    level: 'restricted',
    rationale:
      'Restricted pods mount only core volume types; other storage must come through a PersistentVolume (PSS restricted: volume types).',
    check: (pod) =>
      (pod.spec.volumes ?? []).flatMap((volume, i) =>
        Object.keys(volume)
          .filter((key) => key !== 'name' && key !== 'hostPath' && !RESTRICTED_VOLUME_TYPES.includes(key))
          .map((type) => ({
            field: `${pod.specPath}.volumes[${i}].${type}`,
            value: volume[type],
            allowed: `only ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
            fix: `replace volume ${volume.name} (${type}) with a persistentVolumeClaim whose PersistentVolume provides the ${type} storage`,
          })),
      ),
  },
  {
    id: 'security/pss-restricted-privilege-escalation',
    level: 'restricted',
    rationale: 'setuid binaries must not gain privileges (PSS restricted: privilege escalation).',
    check: (pod) =>
      perContainer(pod, ({ container, path }) => {
        const value = container.securityContext?.allowPrivilegeEscalation;
        const field = `${path}.securityContext.allowPrivilegeEscalation`;
        if (value === false) return [];
        return [
          {
            field,
            value,
            allowed: 'false',
            fix: value === undefined ? `add ${field}: false` : `change ${field} to false`,
          },
        ];
      }),
  },
  {
    id: 'security/pss-restricted-run-as-non-root',
    level: 'restricted',
    rationale: 'Root in a container is one escape away from root on the node (PSS restricted: running as non-root).',
    check: (pod) =>
      perContainer(pod, ({ container, path }) => {
        const own = container.securityContext?.runAsNonRoot;
        const inherited = pod.spec.securityContext?.runAsNonRoot;
        if ((own ?? inherited) === true) return [];
        if (own === false)
          return [
            {
              field: `${path}.securityContext.runAsNonRoot`,
              value: false,
              allowed: 'true',
              fix: `change ${path}.securityContext.runAsNonRoot to true`,
            },
          ];
        const field = `${pod.specPath}.securityContext.runAsNonRoot`;
        return [
          {
            field,
            value: inherited,
            allowed: 'true',
            fix: inherited === false ? `change ${field} to true` : `add ${field}: true`,
          },
        ];
      }),
  },
  {
    id: 'security/pss-restricted-run-as-user',
    level: 'restricted',
    rationale: 'UID 0 is root whatever runAsNonRoot says (PSS restricted: running as non-root user).',
    check: (pod) =>
      securityContexts(pod)
        .filter(({ context }) => context.runAsUser === 0)
        .map(({ path, container }) => ({
          field: `${path}.runAsUser`,
          value: 0,
          allowed: 'a non-zero UID or unset',
          container,
          fix: `set ${path}.runAsUser to the non-zero UID the image runs as (e.g. 10001)`,
        })),
  },
  {
    id: 'security/pss-restricted-seccomp',
    level: 'restricted',
    rationale: 'Without a seccomp profile the container may call every system call (PSS restricted: seccomp).',
    check: (pod) =>
      perContainer(pod, ({ container }) => {
        const set = container.securityContext?.seccompProfile?.type ?? pod.spec.securityContext?.seccompProfile?.type;
        if (set !== undefined) return []; // a value other than RuntimeDefault/Localhost is the baseline control's
        const field = `${pod.specPath}.securityContext.seccompProfile.type`;
        return [
          { field, value: undefined, allowed: ALLOWED_SECCOMP_TYPES.join(' or '), fix: `add ${field}: RuntimeDefault` },
        ];
      }),
  },
  {
    id: 'security/pss-restricted-capabilities',
    level: 'restricted',
    rationale: `Containers drop every Linux capability and may add back only ${RESTRICTED_ADD_CAPABILITY} (PSS restricted: capabilities).`,
    check: (pod) =>
      perContainer(pod, ({ container, path }) => {
        const capabilities = container.securityContext?.capabilities;
        const out: Violation[] = [];
        if (!(capabilities?.drop ?? []).includes('ALL')) {
          const field = `${path}.securityContext.capabilities.drop`;
          out.push({
            field,
            value: capabilities?.drop,
            allowed: 'a list containing ALL',
            fix: capabilities?.drop ? `add ALL to ${field}` : `add ${field}: [ALL]`,
          });
        }
        // Capabilities outside the baseline set are the baseline control's.
        const extra = (capabilities?.add ?? []).filter(
          (c) => c !== RESTRICTED_ADD_CAPABILITY && BASELINE_CAPABILITIES.includes(c),
        );
        if (extra.length > 0) {
          out.push({
            field: `${path}.securityContext.capabilities.add`,
            value: extra,
            allowed: `only ${RESTRICTED_ADD_CAPABILITY}`,
            fix: `remove ${extra.join(', ')} from ${path}.securityContext.capabilities.add`,
          });
        }
        return out;
      }),
  },
];

/** One rule per Pod Security Standards control, baseline first. */
export const podSecurityRules: SyncRule[] = [...baseline, ...restricted].map(controlRule);
