/**
 * Generated cases for the Pod Security Standards rules: for every control, violating values applied to a compliant
 * pod (of every pod-bearing kind, in any container list) are flagged by exactly that control's rule, with the
 * offending field and value in the message and a fix that names them; compliant variations pass.
 */
import type { KubernetesObject } from '@aks-fleet/synth';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GateContext } from '../rule.ts';
import { defaultContainerPolicy } from '../validate.ts';
import {
  ALLOWED_SELINUX_TYPES,
  APPARMOR_ANNOTATION_PREFIX,
  BASELINE_CAPABILITIES,
  describeValue,
  podSecurityRules,
  PSA_ENFORCE_LABEL,
  RESTRICTED_ADD_CAPABILITY,
  SAFE_SYSCTLS,
} from './pod-security-rules.ts';
import { POD_KINDS } from './pod-specs.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- mutations reach into free-form pod specs */
type Pod = Record<string, any>;

const NAMESPACE = 'a0042';
const RUNS = 40;

function compliantContainer(name: string): Pod {
  return {
    name,
    image: 'mcr.microsoft.com/dotnet/samples:aspnetapp-9.0',
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    ports: [{ containerPort: 8080, name: 'http' }],
    readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
  };
}

/** A pod that meets restricted: every control holds, in all three container lists. */
function compliantPod(): { spec: Pod; annotations: Record<string, string> } {
  return {
    annotations: {},
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      automountServiceAccountToken: false,
      initContainers: [compliantContainer('init')],
      containers: [compliantContainer('app')],
      ephemeralContainers: [compliantContainer('debug')],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
}

const SPEC_PATH: Record<string, string> = {
  Pod: 'spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};
const specPath = (kind: string) => SPEC_PATH[kind] ?? 'spec.template.spec';
const metadataPath = (kind: string) => specPath(kind).replace(/spec$/, 'metadata');

function wrap(kind: string, pod: ReturnType<typeof compliantPod>): KubernetesObject {
  const metadata = { name: 'web', namespace: NAMESPACE };
  const template = { metadata: { annotations: pod.annotations }, spec: pod.spec };
  if (kind === 'Pod')
    return { apiVersion: 'v1', kind, metadata: { ...metadata, annotations: pod.annotations }, spec: pod.spec };
  if (kind === 'CronJob')
    return {
      apiVersion: 'batch/v1',
      kind,
      metadata,
      spec: { schedule: '@daily', jobTemplate: { spec: { template } } },
    };
  return { apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, metadata, spec: { template } };
}

function findings(kind: string, pod: ReturnType<typeof compliantPod>, level: 'baseline' | 'restricted' = 'restricted') {
  const namespace: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NAMESPACE, labels: { [PSA_ENFORCE_LABEL]: level } },
  };
  const objects = [namespace, wrap(kind, pod)].map((object) => ({
    file: 'f.yaml',
    cluster: 'c',
    layer: 'workload',
    object,
  }));
  const context: GateContext = {
    root: '/nonexistent',
    clusters: [{ name: 'c', folders: [], objects, unreadable: [] }],
    policy: defaultContainerPolicy('acr'),
    exceptions: [],
  };
  return podSecurityRules.flatMap((rule) => rule.check(context));
}

/** Where a mutation lands: a container list, or the pod's own security context. */
const CONTAINER_TARGETS = [
  ['initContainers', 'init'],
  ['containers', 'app'],
  ['ephemeralContainers', 'debug'],
] as const;
type Target = { list?: string; name?: string };
const containerTarget = fc.constantFrom(...CONTAINER_TARGETS).map(([list, name]): Target => ({ list, name }));
const contextTarget = fc.oneof(fc.constant<Target>({}), containerTarget);

const relPath = (t: Target) => (t.list ? `${t.list}[0].securityContext` : 'securityContext');
const securityContextOf = (pod: ReturnType<typeof compliantPod>, t: Target): Pod =>
  t.list ? (pod.spec[t.list][0].securityContext ??= {}) : (pod.spec.securityContext ??= {});

/** A violation: how to apply it, the field (relative to the pod spec, or to the metadata with `@meta.`), the value. */
interface Case {
  apply: (pod: ReturnType<typeof compliantPod>) => void;
  field: string;
  value: unknown;
  /** Strings the fix must name (the field, or the volume, sysctl or capability at fault). */
  mentions: readonly string[];
}

const identifier = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,11}$/);
const notIn = (allowed: readonly string[]) => (s: string) => !allowed.includes(s);

const CONTROLS: Record<string, fc.Arbitrary<Case>> = {
  'security/pss-baseline-host-process': contextTarget.map((t) => ({
    apply: (pod) => {
      securityContextOf(pod, t).windowsOptions = { hostProcess: true };
    },
    field: `${relPath(t)}.windowsOptions.hostProcess`,
    value: true,
    mentions: [`${relPath(t)}.windowsOptions.hostProcess`],
  })),
  'security/pss-baseline-host-namespaces': fc.constantFrom('hostNetwork', 'hostPID', 'hostIPC').map((key) => ({
    apply: (pod) => {
      pod.spec[key] = true;
    },
    field: key,
    value: true,
    mentions: [key],
  })),
  'security/pss-baseline-privileged': containerTarget.map((t) => ({
    apply: (pod) => {
      securityContextOf(pod, t).privileged = true;
    },
    field: `${relPath(t)}.privileged`,
    value: true,
    mentions: [`${relPath(t)}.privileged`],
  })),
  'security/pss-baseline-capabilities': fc
    .tuple(
      containerTarget,
      fc.uniqueArray(
        fc
          .oneof(
            fc.constantFrom('SYS_ADMIN', 'NET_ADMIN', 'NET_RAW', 'SYS_PTRACE', 'SYS_MODULE', 'BPF', 'ALL'),
            fc.stringMatching(/^[A-Z][A-Z_]{2,11}$/),
          )
          .filter(notIn(BASELINE_CAPABILITIES)),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([t, caps]) => ({
      apply: (pod) => {
        securityContextOf(pod, t).capabilities.add = [RESTRICTED_ADD_CAPABILITY, ...caps];
      },
      field: `${relPath(t)}.capabilities.add`,
      value: caps,
      mentions: [`${relPath(t)}.capabilities.add`, ...caps],
    })),
  'security/pss-baseline-host-path': fc.string({ maxLength: 20 }).map((hostPath) => ({
    apply: (pod) => {
      pod.spec.volumes.unshift({ name: 'host', hostPath: { path: `/${hostPath}` } });
    },
    field: 'volumes[0].hostPath',
    value: { path: `/${hostPath}` },
    mentions: ['host', 'volumes[0].hostPath'],
  })),
  'security/pss-baseline-host-ports': fc
    .tuple(containerTarget, fc.integer({ min: 1, max: 65535 }))
    .map(([t, port]) => ({
      apply: (pod) => {
        pod.spec[t.list!][0].ports[0].hostPort = port;
      },
      field: `${t.list}[0].ports[0].hostPort`,
      value: port,
      mentions: [`${t.list}[0].ports[0].hostPort`],
    })),
  'security/pss-baseline-host-probes': fc
    .tuple(
      containerTarget,
      fc.constantFrom('livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle.postStart', 'lifecycle.preStop'),
      fc.constantFrom('httpGet', 'tcpSocket'),
      fc.oneof(fc.domain(), fc.ipV4()),
    )
    .map(([t, handler, kind, host]) => ({
      apply: (pod) => {
        const container = pod.spec[t.list!][0];
        const [first, second] = handler.split('.') as [string, string | undefined];
        const at: Pod = second ? ((container[first] ??= {})[second] = {}) : (container[first] = {});
        at[kind] = { host, port: 8080 };
      },
      field: `${t.list}[0].${handler}.${kind}.host`,
      value: host,
      mentions: [`${t.list}[0].${handler}.${kind}.host`],
    })),
  'security/pss-baseline-apparmor': fc.oneof(
    fc
      .tuple(
        contextTarget,
        fc.oneof(fc.constant('Unconfined'), identifier.filter(notIn(['RuntimeDefault', 'Localhost']))),
      )
      .map(([t, type]): Case => ({
        apply: (pod) => {
          securityContextOf(pod, t).appArmorProfile = { type };
        },
        field: `${relPath(t)}.appArmorProfile.type`,
        value: type,
        mentions: [`${relPath(t)}.appArmorProfile.type`],
      })),
    fc
      .oneof(
        fc.constant('unconfined'),
        identifier.filter((s) => s !== 'runtime/default' && !s.startsWith('localhost/')),
      )
      .map((value): Case => ({
        apply: (pod) => {
          pod.annotations[`${APPARMOR_ANNOTATION_PREFIX}app`] = value;
        },
        field: `@meta.annotations['${APPARMOR_ANNOTATION_PREFIX}app']`,
        value,
        mentions: [`${APPARMOR_ANNOTATION_PREFIX}app`],
      })),
  ),
  'security/pss-baseline-selinux': fc
    .tuple(contextTarget, fc.constantFrom('type', 'user', 'role'), identifier.filter(notIn(ALLOWED_SELINUX_TYPES)))
    .map(([t, key, value]) => ({
      apply: (pod) => {
        securityContextOf(pod, t).seLinuxOptions = { [key]: value };
      },
      field: `${relPath(t)}.seLinuxOptions.${key}`,
      value,
      mentions: [`${relPath(t)}.seLinuxOptions.${key}`],
    })),
  'security/pss-baseline-proc-mount': fc
    .tuple(
      containerTarget,
      fc.oneof(
        fc.constant('Unmasked'),
        identifier.filter((s) => s !== 'Default'),
      ),
    )
    .map(([t, value]) => ({
      apply: (pod) => {
        securityContextOf(pod, t).procMount = value;
      },
      field: `${relPath(t)}.procMount`,
      value,
      mentions: [`${relPath(t)}.procMount`],
    })),
  'security/pss-baseline-seccomp': fc
    .tuple(
      contextTarget,
      fc.oneof(fc.constant('Unconfined'), identifier.filter(notIn(['RuntimeDefault', 'Localhost']))),
    )
    .map(([t, type]) => ({
      apply: (pod) => {
        securityContextOf(pod, t).seccompProfile = { type };
      },
      field: `${relPath(t)}.seccompProfile.type`,
      value: type,
      mentions: [`${relPath(t)}.seccompProfile.type`],
    })),
  'security/pss-baseline-sysctls': fc
    .tuple(
      fc
        .oneof(
          fc.constantFrom('kernel.msgmax', 'net.core.somaxconn', 'vm.swappiness', 'kernel.sem'),
          fc.stringMatching(/^[a-z]{2,6}\.[a-z_]{2,10}$/),
        )
        .filter(notIn(SAFE_SYSCTLS)),
      fc.subarray([...SAFE_SYSCTLS], { maxLength: 2 }),
    )
    .map(([name, safe]) => ({
      apply: (pod) => {
        pod.spec.securityContext.sysctls = [...safe.map((s) => ({ name: s, value: '1' })), { name, value: '1' }];
      },
      field: `securityContext.sysctls[${safe.length}].name`,
      value: name,
      mentions: [name],
    })),
  'security/pss-restricted-volume-types': fc
    .constantFrom(
      'nfs',
      'gitRepo',
      'iscsi',
      'azureFile',
      'azureDisk',
      'cephfs',
      'rbd',
      'flexVolume',
      'cinder',
      'fc',
      'glusterfs',
      'awsElasticBlockStore',
      'gcePersistentDisk',
      'portworxVolume',
      'vsphereVolume',
    )
    .map((type) => ({
      apply: (pod) => {
        pod.spec.volumes.unshift({ name: 'data', [type]: { server: 'x' } });
      },
      field: `volumes[0].${type}`,
      value: { server: 'x' },
      mentions: ['data', type],
    })),
  'security/pss-restricted-privilege-escalation': fc
    .tuple(containerTarget, fc.constantFrom(true, undefined))
    .map(([t, value]) => ({
      apply: (pod) => {
        if (value === undefined) delete securityContextOf(pod, t).allowPrivilegeEscalation;
        else securityContextOf(pod, t).allowPrivilegeEscalation = value;
      },
      field: `${relPath(t)}.allowPrivilegeEscalation`,
      value,
      mentions: [`${relPath(t)}.allowPrivilegeEscalation`, value === undefined ? 'add' : 'change'],
    })),
  'security/pss-restricted-run-as-non-root': fc.oneof(
    containerTarget.map((t): Case => ({
      apply: (pod) => {
        securityContextOf(pod, t).runAsNonRoot = false;
      },
      field: `${relPath(t)}.runAsNonRoot`,
      value: false,
      mentions: [`${relPath(t)}.runAsNonRoot`, 'true'],
    })),
    fc.constantFrom(false, undefined).map((value): Case => ({
      apply: (pod) => {
        for (const [list] of CONTAINER_TARGETS) delete pod.spec[list][0].securityContext.runAsNonRoot;
        if (value === undefined) delete pod.spec.securityContext.runAsNonRoot;
        else pod.spec.securityContext.runAsNonRoot = value;
      },
      field: 'securityContext.runAsNonRoot',
      value,
      mentions: ['securityContext.runAsNonRoot', 'true'],
    })),
  ),
  'security/pss-restricted-run-as-user': contextTarget.map((t) => ({
    apply: (pod) => {
      securityContextOf(pod, t).runAsUser = 0;
    },
    field: `${relPath(t)}.runAsUser`,
    value: 0,
    mentions: [`${relPath(t)}.runAsUser`],
  })),
  'security/pss-restricted-seccomp': fc
    .subarray(
      CONTAINER_TARGETS.map(([list]) => list),
      { maxLength: 2 },
    )
    .map((covered) => ({
      apply: (pod) => {
        delete pod.spec.securityContext.seccompProfile;
        // At least one list stays uncovered: a compliant variation may have given its container a profile of its own
        // (seed -1663026918 did), which would make the pod compliant again.
        for (const [list] of CONTAINER_TARGETS)
          if (covered.includes(list)) pod.spec[list][0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
          else delete pod.spec[list][0].securityContext?.seccompProfile;
      },
      field: 'securityContext.seccompProfile.type',
      value: undefined,
      mentions: ['securityContext.seccompProfile.type', 'RuntimeDefault'],
    })),
  'security/pss-restricted-capabilities': fc.oneof(
    fc
      .tuple(containerTarget, fc.option(fc.subarray(['NET_RAW', 'SYS_ADMIN', 'CHOWN']), { nil: undefined }))
      .map(([t, drop]): Case => ({
        apply: (pod) => {
          securityContextOf(pod, t).capabilities = drop === undefined ? {} : { drop };
        },
        field: `${relPath(t)}.capabilities.drop`,
        value: drop,
        mentions: [`${relPath(t)}.capabilities.drop`, 'ALL'],
      })),
    fc
      .tuple(
        containerTarget,
        fc.subarray(
          BASELINE_CAPABILITIES.filter((c) => c !== RESTRICTED_ADD_CAPABILITY),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map(([t, add]): Case => ({
        apply: (pod) => {
          securityContextOf(pod, t).capabilities.add = add;
        },
        field: `${relPath(t)}.capabilities.add`,
        value: add,
        mentions: [`${relPath(t)}.capabilities.add`, ...add],
      })),
  ),
};

/** Changes within what restricted allows. */
type Mutate = (pod: ReturnType<typeof compliantPod>) => void;
const compliantVariation: fc.Arbitrary<Mutate> = fc.oneof(
  containerTarget.map((t): Mutate => (pod) => {
    securityContextOf(pod, t).capabilities.add = [RESTRICTED_ADD_CAPABILITY];
  }),
  fc.tuple(contextTarget, identifier).map(([t, profile]): Mutate => (pod) => {
    securityContextOf(pod, t).seccompProfile = { type: 'Localhost', localhostProfile: profile };
  }),
  fc.tuple(contextTarget, fc.constantFrom('RuntimeDefault', 'Localhost')).map(([t, type]): Mutate => (pod) => {
    securityContextOf(pod, t).appArmorProfile = { type };
  }),
  fc.constantFrom('runtime/default', 'localhost/custom').map((value): Mutate => (pod) => {
    pod.annotations[`${APPARMOR_ANNOTATION_PREFIX}app`] = value;
  }),
  fc
    .tuple(contextTarget, fc.constantFrom('', ...ALLOWED_SELINUX_TYPES), identifier)
    .map(([t, type, level]): Mutate => (pod) => {
      securityContextOf(pod, t).seLinuxOptions = { type, level };
    }),
  fc.tuple(contextTarget, fc.integer({ min: 1, max: 2 ** 31 - 1 })).map(([t, uid]): Mutate => (pod) => {
    securityContextOf(pod, t).runAsUser = uid;
  }),
  fc.constant((pod: ReturnType<typeof compliantPod>) => {
    delete pod.spec.securityContext.runAsNonRoot;
    for (const [list] of CONTAINER_TARGETS) pod.spec[list][0].securityContext.runAsNonRoot = true;
  }),
  fc.subarray([...SAFE_SYSCTLS], { minLength: 1 }).map((names): Mutate => (pod) => {
    pod.spec.securityContext.sysctls = names.map((name) => ({ name, value: '1' }));
  }),
  fc
    .constantFrom(
      'configMap',
      'secret',
      'projected',
      'downwardAPI',
      'csi',
      'ephemeral',
      'persistentVolumeClaim',
      'emptyDir',
    )
    .map((type): Mutate => (pod) => {
      pod.spec.volumes.push({ name: `v-${type.toLowerCase()}`, [type]: {} });
    }),
  containerTarget.map((t): Mutate => (pod) => {
    pod.spec[t.list!][0].ports[0].hostPort = 0;
  }),
  containerTarget.map((t): Mutate => (pod) => {
    Object.assign(securityContextOf(pod, t), {
      procMount: 'Default',
      privileged: false,
      windowsOptions: { hostProcess: false },
    });
  }),
  fc.constantFrom('hostNetwork', 'hostPID', 'hostIPC').map((key): Mutate => (pod) => {
    pod.spec[key] = false;
  }),
  containerTarget.map((t): Mutate => (pod) => {
    pod.spec[t.list!][0].livenessProbe = { tcpSocket: { host: '', port: 8080 } };
  }),
);

const kind = fc.constantFrom(...POD_KINDS);

describe('Pod Security Standards rules (generated cases)', () => {
  it('has one rule per control, and a generator for each', () => {
    expect(podSecurityRules.map((r) => r.id).sort()).toStrictEqual(Object.keys(CONTROLS).sort());
    expect(podSecurityRules).toHaveLength(18);
  });

  it('passes the compliant pod and any combination of compliant variations, on every pod-bearing kind', () => {
    fc.assert(
      fc.property(kind, fc.array(compliantVariation, { maxLength: 6 }), (k, variations) => {
        const pod = compliantPod();
        for (const vary of variations) vary(pod);
        expect(findings(k, pod)).toStrictEqual([]);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  describe.each(Object.entries(CONTROLS))('%s', (rule, arbitrary) => {
    const level = rule.includes('-baseline-') ? 'baseline' : 'restricted';

    it('flags every violating value with exactly this rule, naming the field and value, with a fix for that field', () => {
      fc.assert(
        fc.property(kind, arbitrary, fc.array(compliantVariation, { maxLength: 2 }), (k, violation, variations) => {
          const pod = compliantPod();
          for (const vary of variations) vary(pod);
          violation.apply(pod);
          const found = findings(k, pod);
          expect([...new Set(found.map((f) => f.rule))]).toStrictEqual([rule]);
          const field = violation.field.startsWith('@meta.')
            ? `${metadataPath(k)}.${violation.field.slice(6)}`
            : `${specPath(k)}.${violation.field}`;
          const finding = found.find((f) =>
            f.message.includes(`${field} is ${describeValue(violation.value)}; ${level} allows`),
          );
          expect(
            finding,
            `no finding for ${field} = ${describeValue(violation.value)} in\n${found.map((f) => f.message).join('\n')}`,
          ).toBeDefined();
          for (const mention of violation.mentions) expect(finding!.fix).toContain(mention);
          // A fix never asks for the value it found.
          expect(finding!.fix).not.toMatch(
            new RegExp(
              `(set|add) \\S*${violation.field.split('.').pop()}:? ${describeValue(violation.value).replace(/[[\]{}()*+?.\\^$|]/g, '\\$&')}$`,
            ),
          );
        }),
        { numRuns: RUNS },
      );
    });

    it('applies in a namespace that enforces only baseline exactly when the control is baseline', () => {
      fc.assert(
        fc.property(kind, arbitrary, (k, violation) => {
          const pod = compliantPod();
          violation.apply(pod);
          const rules = new Set(findings(k, pod, 'baseline').map((f) => f.rule));
          expect([...rules]).toStrictEqual(level === 'baseline' ? [rule] : []);
        }),
        { numRuns: RUNS / 2 },
      );
    });
  });

  it('honours a declared exception for exactly the excepted rule and workload', () => {
    const pod = compliantPod();
    pod.spec.hostNetwork = true;
    pod.spec.containers[0].securityContext.privileged = true;
    const objects = [wrap('Deployment', pod)].map((object) => ({
      file: 'f.yaml',
      cluster: 'c',
      layer: 'workload',
      object,
    }));
    const context: GateContext = {
      root: '/nonexistent',
      clusters: [{ name: 'c', folders: [], objects, unreadable: [] }],
      policy: defaultContainerPolicy('acr'),
      exceptions: [
        {
          rule: 'security/pss-baseline-host-namespaces',
          namespace: NAMESPACE,
          name: 'web',
          reason: 'a node agent that must see node traffic',
        },
      ],
    };
    expect(podSecurityRules.flatMap((r) => r.check(context)).map((f) => f.rule)).toStrictEqual([
      'security/pss-baseline-privileged',
    ]);
  });
});
