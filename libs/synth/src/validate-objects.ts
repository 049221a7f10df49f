/**
 * In-process validation of every synthesized object before anything is written: the kubernetes-models /
 * Flux model schemas (types, required fields, enums, patterns), plus what they do not check — DNS-1123 names and
 * the namespaced/cluster-scoped contract. A kind without a registered schema is an error, never a silent skip.
 */
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { IngressClass } from 'kubernetes-models/networking.k8s.io/v1/IngressClass';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { CLUSTER_SCOPED_KINDS, objectId, type KubernetesObject } from './kubernetes-object.ts';

/**
 * A model class. Its `validate()` runs the kind's schema on `this` and throws on violations; it is called on the
 * object itself (`prototype.validate.call(object)`): constructing the model first only made a copy of the object to
 * validate (with its undefined members dropped — synthesized objects come from JSON and have none), a fifth of the
 * validation time at 1000 clusters.
 */
type ModelClass = { readonly prototype: { validate(this: unknown): void } };

/** Object validator for kinds whose schema is not in kubernetes-models (e.g. a CRD schema). */
export type ObjectValidator = (object: KubernetesObject) => readonly string[];

/** The model of each kind (static imports: the CLI bundle then loads them without module resolution). */
const MODELS: ReadonlyMap<string, ModelClass> = new Map<string, ModelClass>([
  ['v1/ConfigMap', ConfigMap],
  ['v1/LimitRange', LimitRange],
  ['v1/Namespace', Namespace],
  ['v1/ResourceQuota', ResourceQuota],
  ['v1/Service', Service],
  ['v1/ServiceAccount', ServiceAccount],
  ['apps/v1/Deployment', Deployment],
  ['autoscaling/v2/HorizontalPodAutoscaler', HorizontalPodAutoscaler],
  ['networking.k8s.io/v1/Ingress', Ingress],
  ['networking.k8s.io/v1/IngressClass', IngressClass],
  ['networking.k8s.io/v1/NetworkPolicy', NetworkPolicy],
  ['policy/v1/PodDisruptionBudget', PodDisruptionBudget],
  ['rbac.authorization.k8s.io/v1/ClusterRole', ClusterRole],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', ClusterRoleBinding],
  ['rbac.authorization.k8s.io/v1/Role', Role],
  ['rbac.authorization.k8s.io/v1/RoleBinding', RoleBinding],
  ['kustomize.toolkit.fluxcd.io/v1/Kustomization', Kustomization],
  ['source.toolkit.fluxcd.io/v1/GitRepository', GitRepository],
]);

/** DNS-1123 subdomain: what Kubernetes requires of most object names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1123 label: namespaces. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RBAC names may contain ":" (e.g. system:…); everything else is a DNS subdomain. */
const PATH_SEGMENT_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

/** Problems of one object; empty when valid. */
export function validateObject(
  object: KubernetesObject,
  extra: ReadonlyMap<string, ObjectValidator> = new Map(),
): string[] {
  const problems: string[] = [];
  const { name, namespace } = object.metadata ?? {};
  const key = `${object.apiVersion}/${object.kind}`;

  if (typeof name !== 'string' || name.length === 0) problems.push('metadata.name is missing');
  else if (name.length > 253) problems.push(`metadata.name "${name}" is longer than 253 characters`);
  else if (PATH_SEGMENT_KINDS.has(object.kind) ? /[/%]/.test(name) : !DNS_SUBDOMAIN.test(name)) {
    problems.push(`metadata.name "${name}" is not a valid name (DNS-1123: lowercase letters, digits, "-" and ".")`);
  }
  if (CLUSTER_SCOPED_KINDS.has(object.kind)) {
    if (namespace !== undefined)
      problems.push(`${object.kind} is cluster-scoped but has metadata.namespace "${namespace}"`);
  } else if (namespace === undefined) {
    problems.push(`${object.kind} is namespaced but has no metadata.namespace`);
  } else if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace) || namespace.length > 63) {
    problems.push(`metadata.namespace ${JSON.stringify(namespace)} is not a DNS-1123 label`);
  }

  const custom = extra.get(key);
  const Model = custom ? undefined : MODELS.get(key);
  if (custom) {
    problems.push(...custom(object));
  } else if (Model) {
    try {
      Model.prototype.validate.call(object);
    } catch (error) {
      problems.push(`schema: ${(error as Error).message}`);
    }
  } else {
    problems.push(`no schema registered for ${key}; register its model in libs/synth/src/validate-objects.ts`);
  }
  return problems;
}

/** One invalid object, with where it came from. */
export interface ObjectProblem {
  readonly cluster: string;
  readonly layer: string;
  readonly object: string;
  readonly message: string;
}

export class ObjectValidationError extends Error {
  readonly problems: readonly ObjectProblem[];

  constructor(problems: readonly ObjectProblem[]) {
    super(
      `${problems.length} synthesized object problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ERROR ${p.cluster}/${p.layer} ${p.object}: ${p.message}`).join('\n'),
    );
    this.name = 'ObjectValidationError';
    this.problems = problems;
  }
}

export function describeObject(object: KubernetesObject): string {
  return objectId(object);
}
