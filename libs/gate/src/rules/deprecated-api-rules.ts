/** apiVersions deprecated or removed for each cluster's Kubernetes version in the model. */
import { clustersOf } from '@aks-fleet/fleet';
import type { Rule } from '../rule.ts';
import { objectRef } from '../tree.ts';

interface ApiLifecycle {
  readonly apiVersion: string;
  /** Kinds affected; empty = every kind of the apiVersion. */
  readonly kinds: readonly string[];
  /** Minor version that deprecates it (1.x → x); 0 = always. */
  readonly deprecatedIn: number;
  /** Minor version that no longer serves it; undefined = still served. */
  readonly removedIn?: number;
  readonly replacement: string;
}

/** From the Kubernetes deprecated API migration guide, plus the Flux and Secrets Store CRDs AKS ships. */
export const API_LIFECYCLE: readonly ApiLifecycle[] = [
  {
    apiVersion: 'extensions/v1beta1',
    kinds: [],
    deprecatedIn: 0,
    removedIn: 22,
    replacement: 'apps/v1 or networking.k8s.io/v1',
  },
  { apiVersion: 'apps/v1beta1', kinds: [], deprecatedIn: 0, removedIn: 16, replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: [], deprecatedIn: 0, removedIn: 16, replacement: 'apps/v1' },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress', 'IngressClass'],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: [],
    deprecatedIn: 17,
    removedIn: 22,
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: [],
    deprecatedIn: 16,
    removedIn: 22,
    replacement: 'apiextensions.k8s.io/v1',
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: [],
    deprecatedIn: 16,
    removedIn: 22,
    replacement: 'admissionregistration.k8s.io/v1',
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodDisruptionBudget', 'PodSecurityPolicy'],
    deprecatedIn: 21,
    removedIn: 25,
    replacement: 'policy/v1 (PodSecurityPolicy: Pod Security Admission)',
  },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], deprecatedIn: 21, removedIn: 25, replacement: 'batch/v1' },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    deprecatedIn: 21,
    removedIn: 25,
    replacement: 'discovery.k8s.io/v1',
  },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: 22,
    removedIn: 25,
    replacement: 'autoscaling/v2',
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: 23,
    removedIn: 26,
    replacement: 'autoscaling/v2',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    deprecatedIn: 24,
    removedIn: 27,
    replacement: 'storage.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: [],
    deprecatedIn: 26,
    removedIn: 29,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: [],
    deprecatedIn: 29,
    removedIn: 32,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  { apiVersion: 'v1', kinds: ['Endpoints'], deprecatedIn: 33, replacement: 'discovery.k8s.io/v1 EndpointSlice' },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
    kinds: [],
    deprecatedIn: 0,
    removedIn: 0,
    replacement: 'kustomize.toolkit.fluxcd.io/v1 (Flux 2.x CRDs serve only v1)',
  },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
    kinds: [],
    deprecatedIn: 0,
    removedIn: 0,
    replacement: 'kustomize.toolkit.fluxcd.io/v1 (Flux 2.x CRDs serve only v1)',
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
    kinds: ['GitRepository'],
    deprecatedIn: 0,
    removedIn: 0,
    replacement: 'source.toolkit.fluxcd.io/v1',
  },
  {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1alpha1',
    kinds: [],
    deprecatedIn: 0,
    replacement: 'secrets-store.csi.x-k8s.io/v1',
  },
];

function minorOf(version: string): number {
  return Number(/^1\.(\d+)/.exec(version)?.[1] ?? Number.NaN);
}

export const deprecatedApiRules: Rule[] = [
  {
    id: 'api/deprecated',
    rationale:
      'An apiVersion removed in the cluster version fails to apply after the next upgrade; a deprecated one is a scheduled outage.',
    check: ({ clusters, fleet }) => {
      const versions = new Map(
        fleet ? clustersOf(fleet.spec).map(({ cluster }) => [cluster.name, cluster.kubernetesVersion]) : [],
      );
      return clusters.flatMap((cluster) => {
        const version = versions.get(cluster.name);
        const minor = version ? minorOf(version) : Number.POSITIVE_INFINITY;
        return cluster.objects.flatMap(({ file, object }) => {
          const entry = API_LIFECYCLE.find(
            (a) => a.apiVersion === object.apiVersion && (a.kinds.length === 0 || a.kinds.includes(object.kind)),
          );
          if (!entry || minor < entry.deprecatedIn) return [];
          const removed = entry.removedIn !== undefined && minor >= entry.removedIn;
          const on = version ? `Kubernetes ${version}` : 'the cluster';
          return [
            {
              severity: 'ERROR' as const,
              rule: 'api/deprecated',
              file,
              object: objectRef(object),
              message: `${object.apiVersion} ${object.kind} is ${removed ? 'removed' : 'deprecated'} on ${on}`,
              fix: `use ${entry.replacement}`,
            },
          ];
        });
      });
    },
  },
];
