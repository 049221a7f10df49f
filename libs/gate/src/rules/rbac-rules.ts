/**
 * RBAC escalation: a binding that hands cluster-admin, or a role with wildcard verbs or resources, to a subject
 * that is everyone (all authenticated users, anonymous users, every service account, every service account of a
 * namespace) or to the service account a workload runs as — one compromised pod then owns the cluster.
 */
import type { KubernetesObject } from '@aks-fleet/synth';
import type { SyncRule } from '../rule.ts';
import { objectRef } from '../tree.ts';
import { excepted } from './exceptions.ts';
import { podTemplateOf } from './pod-specs.ts';

export const RBAC_ESCALATION_RULE = 'security/rbac-escalation';
/** Groups (and the anonymous user) that stand for everyone or for a whole class of identities. */
export const BROAD_SUBJECTS: readonly string[] = [
  'system:authenticated',
  'system:unauthenticated',
  'system:serviceaccounts',
  'system:anonymous',
];
const NAMESPACE_SERVICE_ACCOUNTS = 'system:serviceaccounts:';

interface PolicyRule {
  readonly verbs?: readonly string[];
  readonly resources?: readonly string[];
}
interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Why a role is too powerful to hand out broadly, or undefined when it is not. */
function powerOf(
  roleRef: { kind: string; name: string },
  bindingNamespace: string | undefined,
  objects: readonly KubernetesObject[],
): string | undefined {
  if (roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') return 'cluster-admin';
  const role = objects.find(
    (o) =>
      o.kind === roleRef.kind &&
      o.metadata.name === roleRef.name &&
      (roleRef.kind === 'ClusterRole' || o.metadata.namespace === bindingNamespace),
  );
  const rules = (role?.rules as readonly PolicyRule[] | undefined) ?? [];
  for (const [i, rule] of rules.entries()) {
    if (rule.verbs?.includes('*')) return `wildcard verbs in rules[${i}]`;
    if (rule.resources?.includes('*')) return `wildcard resources in rules[${i}]`;
  }
  return undefined;
}

function isBroad(subject: Subject): boolean {
  if (subject.kind !== 'Group' && subject.kind !== 'User') return false;
  return BROAD_SUBJECTS.includes(subject.name) || subject.name.startsWith(NAMESPACE_SERVICE_ACCOUNTS);
}

export const rbacRules: SyncRule[] = [
  {
    id: RBAC_ESCALATION_RULE,
    rationale:
      'cluster-admin or wildcard roles bound to everyone or to a workload service account hand the cluster to any compromised pod.',
    check: (context) =>
      context.clusters.flatMap((cluster) => {
        const objects = cluster.objects.map((o) => o.object);
        const workloadAccounts = new Set(
          objects.flatMap((o) => {
            const pod = podTemplateOf(o);
            return pod ? [`${o.metadata.namespace ?? ''}/${pod.spec.serviceAccountName ?? 'default'}`] : [];
          }),
        );
        return cluster.objects.flatMap(({ file, object }) => {
          if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') return [];
          if (excepted(context, RBAC_ESCALATION_RULE, object)) return [];
          const roleRef = object.roleRef as { kind: string; name: string };
          const power = powerOf(roleRef, object.metadata.namespace, objects);
          if (!power) return [];
          const role = `${roleRef.kind} ${roleRef.name} (${power})`;
          return ((object.subjects as readonly Subject[] | undefined) ?? []).flatMap((subject, i) => {
            const account = `${subject.namespace ?? object.metadata.namespace ?? ''}/${subject.name}`;
            const workload = subject.kind === 'ServiceAccount' && workloadAccounts.has(account);
            if (!isBroad(subject) && !workload) return [];
            return [
              {
                severity: 'ERROR' as const,
                rule: RBAC_ESCALATION_RULE,
                file,
                object: objectRef(object),
                message: workload
                  ? `subjects[${i}] ServiceAccount ${account}, which workloads run as, is bound to ${role}`
                  : `subjects[${i}] ${subject.kind} ${subject.name} (everyone in it) is bound to ${role}`,
                fix: workload
                  ? `bind ${account} to a Role listing only the verbs and resources it uses, instead of ${roleRef.name}`
                  : `remove subjects[${i}] (${subject.name}) and bind the specific groups or service accounts that need access, to a role without wildcards`,
              },
            ];
          });
        });
      }),
  },
];
