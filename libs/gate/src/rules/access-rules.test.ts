/** RBAC escalation, exposure and service-account-token rules, with generated subjects, roles and workloads. */
import type { KubernetesObject } from '@aks-fleet/synth';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiAccess, GateContext, SyncRule } from '../rule.ts';
import { defaultContainerPolicy } from '../validate.ts';
import { exposureRules } from './exposure-rules.ts';
import { POD_KINDS } from './pod-specs.ts';
import { BROAD_SUBJECTS, rbacRules } from './rbac-rules.ts';
import { serviceAccountTokenRules } from './service-account-token-rules.ts';

const RUNS = 60;

function run(rules: readonly SyncRule[], objects: readonly KubernetesObject[], apiAccess: readonly ApiAccess[] = []) {
  const context: GateContext = {
    root: '/nonexistent',
    clusters: [
      {
        name: 'c',
        folders: [],
        objects: objects.map((object) => ({ file: 'f.yaml', cluster: 'c', layer: 'l', object })),
        unreadable: [],
      },
    ],
    policy: defaultContainerPolicy('acr'),
    exceptions: [],
    apiAccess,
  };
  return rules.flatMap((rule) => rule.check(context));
}

function workload(kind: string, pod: Record<string, unknown>, name = 'web', namespace = 'a0042'): KubernetesObject {
  const spec = { containers: [{ name: 'app', image: 'mcr.microsoft.com/x:1' }], ...pod };
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata: { name, namespace }, spec };
  if (kind === 'CronJob')
    return {
      apiVersion: 'batch/v1',
      kind,
      metadata: { name, namespace },
      spec: { jobTemplate: { spec: { template: { spec } } } },
    };
  return { apiVersion: 'apps/v1', kind, metadata: { name, namespace }, spec: { template: { spec } } };
}

const binding = (
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  roleRef: { kind: string; name: string },
  subjects: unknown[],
): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'grant', ...(kind === 'RoleBinding' ? { namespace: 'a0042' } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  subjects,
});
const role = (kind: 'Role' | 'ClusterRole', rules: unknown[]): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'power', ...(kind === 'Role' ? { namespace: 'a0042' } : {}) },
  rules,
});

const broadSubject = fc.oneof(
  fc.constantFrom(...BROAD_SUBJECTS).map((name) => ({ kind: name === 'system:anonymous' ? 'User' : 'Group', name })),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).map((ns) => ({ kind: 'Group', name: `system:serviceaccounts:${ns}` })),
);
/** A role that is too powerful: cluster-admin, or a Role/ClusterRole with a wildcard verb or resource. */
const powerfulRole = fc.oneof(
  fc.constant({
    roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
    objects: [] as KubernetesObject[],
    why: 'cluster-admin',
  }),
  fc
    .tuple(
      fc.constantFrom('Role', 'ClusterRole') as fc.Arbitrary<'Role' | 'ClusterRole'>,
      fc.constantFrom('verbs', 'resources'),
      fc.nat({ max: 2 }),
    )
    .map(([kind, wildcard, at]) => {
      const rules = Array.from({ length: at + 1 }, (_, i) => ({
        apiGroups: [''],
        resources: i === at && wildcard === 'resources' ? ['*'] : ['configmaps'],
        verbs: i === at && wildcard === 'verbs' ? ['*'] : ['get'],
      }));
      return {
        roleRef: { kind, name: 'power' },
        objects: [role(kind, rules)],
        why: `wildcard ${wildcard} in rules[${at}]`,
      };
    }),
);

describe('security/rbac-escalation', () => {
  it('flags a powerful role bound to a broad group, naming the subject, the role and why', () => {
    fc.assert(
      fc.property(
        powerfulRole,
        broadSubject,
        fc.nat({ max: 2 }),
        fc.boolean(),
        (power, subject, position, clusterWide) => {
          const others = Array.from({ length: position }, (_, i) => ({
            kind: 'Group',
            name: `00000000-0000-0000-0000-00000000000${i}`,
          }));
          const kind = power.roleRef.kind === 'ClusterRole' && clusterWide ? 'ClusterRoleBinding' : 'RoleBinding';
          const findings = run(rbacRules, [...power.objects, binding(kind, power.roleRef, [...others, subject])]);
          expect(findings).toHaveLength(1);
          expect(findings[0]!.message).toBe(
            `subjects[${position}] ${subject.kind} ${subject.name} (everyone in it) is bound to ${power.roleRef.kind} ${power.roleRef.name} (${power.why})`,
          );
          expect(findings[0]!.fix).toContain(`remove subjects[${position}] (${subject.name})`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it.each(POD_KINDS)('flags a powerful role bound to the service account a %s runs as', (kind) => {
    fc.assert(
      fc.property(
        powerfulRole,
        fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { nil: undefined }),
        (power, account) => {
          const pod = workload(kind, account ? { serviceAccountName: account } : {});
          const subject = { kind: 'ServiceAccount', name: account ?? 'default', namespace: 'a0042' };
          const findings = run(rbacRules, [...power.objects, pod, binding('RoleBinding', power.roleRef, [subject])]);
          expect(findings.map((f) => f.message)).toStrictEqual([
            `subjects[0] ServiceAccount a0042/${subject.name}, which workloads run as, is bound to ${power.roleRef.kind} ${power.roleRef.name} (${power.why})`,
          ]);
          expect(findings[0]!.fix).toContain(
            `bind a0042/${subject.name} to a Role listing only the verbs and resources it uses`,
          );
        },
      ),
      { numRuns: RUNS / 4 },
    );
  });

  it('passes narrow roles for anyone, and powerful roles for specific groups or service accounts no workload uses', () => {
    fc.assert(
      fc.property(broadSubject, powerfulRole, (subject, power) => {
        const narrow = role('ClusterRole', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
        expect(
          run(rbacRules, [narrow, binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'power' }, [subject])]),
        ).toStrictEqual([]);
        const specific = [
          { kind: 'Group', name: '00000000-0000-0000-0003-000000000010' },
          { kind: 'ServiceAccount', name: 'ci-deployer', namespace: 'a0042' },
        ];
        const web = workload('Deployment', { serviceAccountName: 'web' });
        expect(run(rbacRules, [...power.objects, web, binding('RoleBinding', power.roleRef, specific)])).toStrictEqual(
          [],
        );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('exposure', () => {
  const service = (spec: Record<string, unknown>): KubernetesObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'a0042' },
    spec: { ports: [{ port: 443 }], ...spec },
  });

  it('flags NodePort Services and externalIPs with the offending field, and passes ClusterIP and internal LoadBalancer', () => {
    expect(
      run(exposureRules, [service({ type: 'NodePort' })]).map((f) => `${f.rule}: ${f.message} — ${f.fix}`),
    ).toStrictEqual([
      'security/node-port: spec.type is "NodePort" — change spec.type to ClusterIP and route to it through the ingress',
    ]);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.ipV4(), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(undefined, 'ClusterIP', 'LoadBalancer'),
        (ips, type) => {
          const findings = run(exposureRules, [service({ type, externalIPs: ips })]);
          expect(findings.map((f) => f.rule)).toStrictEqual(['security/external-ips']);
          expect(findings[0]!.message).toBe(`spec.externalIPs is ${JSON.stringify(ips)}`);
          expect(run(exposureRules, [service({ type })])).toStrictEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('security/service-account-token', () => {
  const account = (automount: boolean | undefined, name = 'web'): KubernetesObject => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: 'a0042' },
    ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
  });
  const setting = fc.constantFrom(true, false, undefined);

  it('flags exactly the pods that would mount a token, with a fix for the field that decides it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POD_KINDS), setting, setting, fc.boolean(), (kind, onPod, onAccount, declared) => {
        const pod = workload(kind, {
          serviceAccountName: 'web',
          ...(onPod === undefined ? {} : { automountServiceAccountToken: onPod }),
        });
        const access = declared ? [{ namespace: 'a0042', name: 'web', reason: 'watches its own ConfigMaps' }] : [];
        const findings = run(serviceAccountTokenRules, [account(onAccount), pod], access);
        const mounts = (onPod ?? onAccount ?? true) === true;
        expect(findings).toHaveLength(mounts && !declared ? 1 : 0);
        if (findings.length === 0) return;
        const field = `${kind === 'Pod' ? 'spec' : kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec'}.automountServiceAccountToken`;
        expect(findings[0]!.message.startsWith(`${field} is ${onPod === true ? 'true' : 'unset'}`)).toBe(true);
        expect(findings[0]!.fix).toMatch(onPod === true ? `change ${field} to false` : `add ${field}: false`);
        expect(findings[0]!.fix).toContain('declare a0042/web under spec.apiAccess');
      }),
      { numRuns: RUNS },
    );
  });

  it('uses the default ServiceAccount when the pod names none', () => {
    const findings = run(serviceAccountTokenRules, [workload('Deployment', {})]);
    expect(findings.map((f) => f.message)).toStrictEqual([
      'spec.template.spec.automountServiceAccountToken is unset and defaults to true (ServiceAccount a0042/default)',
    ]);
    expect(run(serviceAccountTokenRules, [account(false, 'default'), workload('Deployment', {})])).toStrictEqual([]);
  });
});
