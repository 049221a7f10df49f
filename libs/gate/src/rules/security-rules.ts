/** Security rules: what Azure Policy would deny at admission, caught at review time instead. */
import { parseQuantity } from '@aks-fleet/fleet';
import type { Finding } from '../finding.ts';
import type { GateContext, Rule } from '../rule.ts';
import { objectRef, type TreeObject } from '../tree.ts';
import { excepted } from './exceptions.ts';
import { containersOf, podSpecOf, type Container } from './pod-specs.ts';

type ContainerCheck = (
  container: Container,
  pod: NonNullable<ReturnType<typeof podSpecOf>>,
  context: GateContext,
) => { message: string; fix: string } | undefined;

/** A rule evaluated per container of every workload, honouring declared exceptions. */
function containerRule(id: string, rationale: string, check: ContainerCheck): Rule {
  return {
    id,
    rationale,
    check: (context) =>
      context.clusters.flatMap((cluster) =>
        cluster.objects.flatMap(({ file, object }) => {
          const pod = podSpecOf(object);
          if (!pod || excepted(context, id, object)) return [];
          return containersOf(pod).flatMap((container) => {
            const problem = check(container, pod, context);
            return problem
              ? [
                  {
                    severity: 'ERROR' as const,
                    rule: id,
                    file,
                    object: objectRef(object),
                    message: `container ${container.name}: ${problem.message}`,
                    fix: problem.fix,
                  },
                ]
              : [];
          });
        }),
      ),
  };
}

function objectRule(
  id: string,
  rationale: string,
  check: (entry: TreeObject, context: GateContext) => Array<{ message: string; fix: string }>,
): Rule {
  return {
    id,
    rationale,
    check: (context) =>
      context.clusters.flatMap((cluster) =>
        cluster.objects.flatMap((entry) =>
          check(entry, context).map(({ message, fix }) => ({
            severity: 'ERROR' as const,
            rule: id,
            file: entry.file,
            object: objectRef(entry.object),
            message,
            fix,
          })),
        ),
      ),
  };
}

const PRIVATE_KEY = /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/;
const CONNECTION_SECRET = /(AccountKey|SharedAccessKey|sig)=[A-Za-z0-9%+/=]{16,}/;
const SECRET_NAME =
  /(password|passwd|secret|token|api[-_]?key|access[-_]?key|client[-_]?secret|connection[-_]?string)$/i;

/** Strings anywhere in an object that look like credentials. */
function credentialStrings(value: unknown, trail: string, out: string[]): void {
  if (typeof value === 'string') {
    if (PRIVATE_KEY.test(value) || CONNECTION_SECRET.test(value)) out.push(trail);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => credentialStrings(v, `${trail}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) credentialStrings(v, trail ? `${trail}.${k}` : k, out);
  }
}

function imageProblem(image: string | undefined, context: GateContext): { message: string; fix: string } | undefined {
  if (!image) return { message: 'has no image', fix: 'set an image' };
  const host = image.split('/')[0]!;
  if (!image.includes('/') || !context.policy.allowedRegistries.includes(host)) {
    return {
      message: `image ${image} is not from ${context.policy.allowedRegistries.join(' or ')}`,
      fix: 'import the image into the fleet ACR (az acr import) and reference it there',
    };
  }
  return undefined;
}

function pinProblem(image: string | undefined): { message: string; fix: string } | undefined {
  if (!image) return undefined;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  if (!tag) return { message: `image ${image} has no tag`, fix: 'pin an exact tag or digest' };
  if (tag === 'latest') return { message: `image ${image} uses :latest`, fix: 'pin an exact tag or digest' };
  return undefined;
}

/** Namespaces that run pods, per cluster. */
function workloadNamespaces(entries: readonly TreeObject[]): Map<string, TreeObject> {
  const out = new Map<string, TreeObject>();
  for (const entry of entries)
    if (podSpecOf(entry.object) && entry.object.metadata.namespace) out.set(entry.object.metadata.namespace, entry);
  return out;
}

export const securityRules: Rule[] = [
  objectRule(
    'security/no-secret',
    'Secrets in git are readable by everyone with repository access; use Key Vault through the Secrets Store CSI driver.',
    ({ object }) =>
      object.kind === 'Secret'
        ? [
            {
              message: 'Secret objects must not be committed',
              fix: 'store the value in Key Vault and mount it with a SecretProviderClass',
            },
          ]
        : [],
  ),
  objectRule(
    'security/credential-data',
    'Private keys or connection strings in any field leak just like a Secret does.',
    ({ object }) => {
      const found: string[] = [];
      credentialStrings(object, '', found);
      const data = object.kind === 'ConfigMap' ? Object.entries((object.data as Record<string, string>) ?? {}) : [];
      for (const [name, value] of data) if (SECRET_NAME.test(name) && value) found.push(`data.${name}`);
      for (const pod of [podSpecOf(object)].filter((p) => p !== undefined)) {
        for (const container of containersOf(pod))
          for (const env of container.env ?? [])
            if (SECRET_NAME.test(env.name) && env.value) found.push(`env ${env.name} of ${container.name}`);
      }
      return found.map((where) => ({
        message: `${where} looks like a credential`,
        fix: 'move it to Key Vault and reference it (SecretProviderClass / workload identity)',
      }));
    },
  ),
  containerRule(
    'security/image-registry',
    'The allowed-images Azure Policy denies anything but the fleet ACR and MCR.',
    (c, _p, context) => imageProblem(c.image, context),
  ),
  containerRule(
    'security/image-pinned',
    'A floating tag deploys different code in each region and on every node restart.',
    (c) => pinProblem(c.image),
  ),
  containerRule(
    'security/read-only-root-fs',
    'A writable root file system lets an attacker persist tools; the reference audits it with Azure Policy.',
    (c) =>
      c.securityContext?.readOnlyRootFilesystem !== true
        ? {
            message: 'root file system is writable',
            fix: 'set readOnlyRootFilesystem: true and mount emptyDirs where it writes, or declare an exception with a reason in the fleet model',
          }
        : undefined,
  ),
  containerRule(
    'security/resources',
    'Without requests and limits within the policy maxima, pods are denied by Azure Policy or starve their neighbours.',
    (c, _p, context) => {
      const requests = c.resources?.requests ?? {};
      const limits = c.resources?.limits ?? {};
      const missing = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter((k) => {
        const [kind, resource] = k.split('.') as ['requests' | 'limits', string];
        return !(kind === 'requests' ? requests : limits)[resource];
      });
      if (missing.length > 0)
        return { message: `missing ${missing.join(', ')}`, fix: 'set CPU and memory requests and limits' };
      if (
        parseQuantity(limits.cpu) > context.policy.maxCpu ||
        parseQuantity(limits.memory) > context.policy.maxMemory
      ) {
        return {
          message: `limits cpu=${limits.cpu} memory=${limits.memory} exceed the policy maxima (${context.policy.maxCpu} cores, ${context.policy.maxMemory / 2 ** 20}Mi)`,
          fix: 'lower the limits or scale out with more replicas',
        };
      }
      return undefined;
    },
  ),
  {
    id: 'security/default-deny',
    rationale: 'A namespace without a default-deny NetworkPolicy is open to every pod in the cluster.',
    check: ({ clusters }) =>
      clusters.flatMap((cluster) => {
        const denied = new Set(
          cluster.objects
            .filter(({ object }) => {
              const spec = object.spec as
                | {
                    podSelector?: Record<string, unknown>;
                    policyTypes?: string[];
                    ingress?: unknown[];
                    egress?: unknown[];
                  }
                | undefined;
              return (
                object.kind === 'NetworkPolicy' &&
                spec &&
                Object.keys(spec.podSelector ?? {}).length === 0 &&
                (spec.policyTypes ?? []).includes('Ingress') &&
                (spec.policyTypes ?? []).includes('Egress') &&
                !spec.ingress?.length &&
                !spec.egress?.length
              );
            })
            .map(({ object }) => object.metadata.namespace),
        );
        return [...workloadNamespaces(cluster.objects)]
          .filter(([ns]) => !denied.has(ns))
          .map(([ns, entry]) => ({
            severity: 'ERROR' as const,
            rule: 'security/default-deny',
            file: entry.file,
            object: `Namespace//${ns}`,
            message: `namespace ${ns} runs pods but has no default-deny NetworkPolicy`,
            fix: 'add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] and no rules',
          }));
      }),
  },
  {
    id: 'security/psa-restricted',
    rationale:
      'The restricted Pod Security Standard, enforced by the API server, holds even where Azure Policy only audits.',
    check: (context) =>
      context.clusters.flatMap((cluster) => {
        const labels = new Map(
          cluster.objects
            .filter((o) => o.object.kind === 'Namespace')
            .map((o) => [o.object.metadata.name, o.object.metadata.labels ?? {}]),
        );
        return [...workloadNamespaces(cluster.objects)]
          .filter(([ns]) => labels.get(ns)?.['pod-security.kubernetes.io/enforce'] !== 'restricted')
          .filter(([ns]) => !context.exceptions.some((e) => e.rule === 'security/psa-restricted' && e.namespace === ns))
          .map(([ns, entry]) => ({
            severity: 'ERROR' as const,
            rule: 'security/psa-restricted',
            file: entry.file,
            object: `Namespace//${ns}`,
            message: `namespace ${ns} runs pods but does not enforce the restricted Pod Security level`,
            fix: 'label the namespace pod-security.kubernetes.io/enforce: restricted',
          }));
      }),
  },
  objectRule(
    'security/internal-load-balancer',
    'The internal-load-balancers-only Azure Policy denies public Services; traffic enters through App Gateway.',
    ({ object }) => {
      const spec = object.spec as { type?: string } | undefined;
      if (object.kind !== 'Service' || spec?.type !== 'LoadBalancer') return [];
      return object.metadata.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'] === 'true'
        ? []
        : [
            {
              message: 'LoadBalancer Service is not internal',
              fix: 'annotate service.beta.kubernetes.io/azure-load-balancer-internal: "true"',
            },
          ];
    },
  ),
  objectRule(
    'security/ingress-tls',
    'The HTTPS-ingress-only Azure Policy denies Ingresses without TLS; every hop is TLS.',
    ({ object }) => {
      if (object.kind !== 'Ingress') return [];
      const spec = object.spec as { tls?: Array<{ hosts?: string[] }>; rules?: Array<{ host?: string }> } | undefined;
      const covered = new Set((spec?.tls ?? []).flatMap((t) => t.hosts ?? []));
      const uncovered = (spec?.rules ?? []).map((r) => r.host ?? '*').filter((h) => !covered.has(h));
      if (!spec?.tls?.length) return [{ message: 'Ingress has no spec.tls', fix: 'add spec.tls for its hosts' }];
      return uncovered.map((h) => ({
        message: `host ${h} is not covered by spec.tls`,
        fix: 'list the host in spec.tls[].hosts',
      }));
    },
  ),
];

export type { Finding };
