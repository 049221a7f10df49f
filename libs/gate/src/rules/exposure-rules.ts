/**
 * Exposure: traffic enters the cluster only through the internal ingress behind App Gateway. A NodePort Service or
 * externalIPs open the pods on node addresses, around the ingress and its TLS (host ports: pss-baseline-host-ports).
 */
import type { KubernetesObject } from '@aks-fleet/synth';
import type { SyncRule } from '../rule.ts';
import { objectRef } from '../tree.ts';
import { excepted } from './exceptions.ts';

function serviceRule(
  id: string,
  rationale: string,
  check: (spec: { type?: string; externalIPs?: readonly string[] }) => { message: string; fix: string } | undefined,
): SyncRule {
  return {
    id,
    rationale,
    check: (context) =>
      context.clusters.flatMap((cluster) =>
        cluster.objects.flatMap(({ file, object }: { file: string; object: KubernetesObject }) => {
          if (object.kind !== 'Service' || excepted(context, id, object)) return [];
          const problem = check((object.spec ?? {}) as { type?: string; externalIPs?: readonly string[] });
          return problem ? [{ severity: 'ERROR' as const, rule: id, file, object: objectRef(object), ...problem }] : [];
        }),
      ),
  };
}

export const exposureRules: SyncRule[] = [
  serviceRule(
    'security/node-port',
    'A NodePort Service listens on every node, around the ingress, its TLS and the App Gateway WAF.',
    (spec) =>
      spec.type === 'NodePort'
        ? {
            message: 'spec.type is "NodePort"',
            fix: 'change spec.type to ClusterIP and route to it through the ingress',
          }
        : undefined,
  ),
  serviceRule(
    'security/external-ips',
    'externalIPs let any Service claim traffic for arbitrary addresses (CVE-2020-8554).',
    (spec) =>
      spec.externalIPs?.length
        ? {
            message: `spec.externalIPs is ${JSON.stringify(spec.externalIPs)}`,
            fix: 'remove spec.externalIPs and route to the Service through the ingress',
          }
        : undefined,
  ),
];
