/**
 * Service-account tokens: a pod gets an API token mounted unless its pod spec or its ServiceAccount says otherwise.
 * Only workloads the fleet model declares under `spec.apiAccess` (with the reason they call the API) may have one.
 */
import type { KubernetesObject } from '@aks-fleet/synth';
import type { SyncRule } from '../rule.ts';
import { objectRef } from '../tree.ts';
import { excepted } from './exceptions.ts';
import { podTemplateOf } from './pod-specs.ts';

export const SERVICE_ACCOUNT_TOKEN_RULE = 'security/service-account-token';

export const serviceAccountTokenRules: SyncRule[] = [
  {
    id: SERVICE_ACCOUNT_TOKEN_RULE,
    rationale:
      'A mounted API token is a credential for whoever compromises the pod; only workloads that call the API get one.',
    check: (context) =>
      context.clusters.flatMap((cluster) => {
        const accounts = new Map(
          cluster.objects
            .filter(({ object }) => object.kind === 'ServiceAccount')
            .map(({ object }) => [
              `${object.metadata.namespace ?? ''}/${object.metadata.name}`,
              object as KubernetesObject & { automountServiceAccountToken?: boolean },
            ]),
        );
        return cluster.objects.flatMap(({ file, object }) => {
          const pod = podTemplateOf(object);
          if (!pod || excepted(context, SERVICE_ACCOUNT_TOKEN_RULE, object)) return [];
          const namespace = object.metadata.namespace ?? '';
          if ((context.apiAccess ?? []).some((a) => a.namespace === namespace && a.name === object.metadata.name))
            return [];
          const accountName = pod.spec.serviceAccountName ?? 'default';
          const accountSetting = accounts.get(`${namespace}/${accountName}`)?.automountServiceAccountToken;
          const podField = `${pod.specPath}.automountServiceAccountToken`;
          if ((pod.spec.automountServiceAccountToken ?? accountSetting ?? true) === false) return [];
          const declare = `or, if it calls the Kubernetes API, declare ${namespace}/${object.metadata.name} under spec.apiAccess in the fleet model with the reason`;
          const { message, fix } =
            pod.spec.automountServiceAccountToken === true
              ? { message: `${podField} is true`, fix: `change ${podField} to false, ${declare}` }
              : accountSetting === true
                ? {
                    message: `${podField} is unset and ServiceAccount ${namespace}/${accountName} sets automountServiceAccountToken: true`,
                    fix: `add ${podField}: false, ${declare}`,
                  }
                : {
                    message: `${podField} is unset and defaults to true (ServiceAccount ${namespace}/${accountName})`,
                    fix: `add ${podField}: false, ${declare}`,
                  };
          return [
            {
              severity: 'ERROR' as const,
              rule: SERVICE_ACCOUNT_TOKEN_RULE,
              file,
              object: objectRef(object),
              message,
              fix,
            },
          ];
        });
      }),
  },
];
