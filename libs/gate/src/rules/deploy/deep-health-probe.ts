/**
 * deploy/deep-health-probe: Front Door's health probe path of every origin reaches a workload's health endpoint —
 * App Gateway listener → backend host → the cluster's Ingress for that host and path → its Service → pods whose
 * readiness or liveness probe serves that path — so a region fails over when its workload is down.
 */
import type { SyncRule } from '../../rule.ts';
import type { ClusterTree } from '../../tree.ts';
import { armResources, clusterOfFile, field, json, list, ofType, type FileResource } from '../arm-resources.ts';
import { deployFinding } from './finding.ts';
import { gatewayFor, originsOf } from './front-door-origins.ts';

const RULE = 'deploy/deep-health-probe';

interface IngressPath {
  readonly path?: string;
  readonly pathType?: string;
  readonly backend?: { readonly service?: { readonly name?: string } };
}
interface IngressRule {
  readonly host?: string;
  readonly http?: { readonly paths?: readonly IngressPath[] };
}
type IngressSpec = { readonly rules?: readonly IngressRule[] };
type ProbedContainer = Readonly<Record<string, { readonly httpGet?: { readonly path?: string } } | undefined>>;
interface PodTemplate {
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: { readonly containers?: readonly ProbedContainer[] };
}

function pathMatches(ingressPath: string | undefined, pathType: string | undefined, probe: string): boolean {
  const path = ingressPath ?? '/';
  if (pathType === 'Exact') return path === probe;
  return probe === path || probe.startsWith(path.endsWith('/') ? path : `${path}/`);
}

/** Health endpoints (readiness, liveness) of the Deployments a Service selects. */
function healthPathsBehind(cluster: ClusterTree, namespace: string | undefined, service: string | undefined): string[] {
  const isTarget = (o: ClusterTree['objects'][number]['object']) =>
    o.kind === 'Service' && o.metadata.namespace === namespace && o.metadata.name === service;
  const target = cluster.objects.find(({ object }) => isTarget(object));
  const selector = (target?.object.spec as { selector?: Readonly<Record<string, string>> } | undefined)?.selector;
  if (!selector) return [];
  return cluster.objects
    .filter(({ object }) => object.kind === 'Deployment' && object.metadata.namespace === namespace)
    .map(({ object }) => (object.spec as { template?: PodTemplate } | undefined)?.template)
    .filter((template) => Object.entries(selector).every(([k, v]) => template?.metadata?.labels?.[k] === v))
    .flatMap((template) => template?.spec?.containers ?? [])
    .flatMap((container) => [container.readinessProbe?.httpGet?.path, container.livenessProbe?.httpGet?.path])
    .filter((path): path is string => path !== undefined);
}

/** Follows a probe path from a backend host through the cluster's Ingress and Service; why it misses, if it does. */
function probeMiss(cluster: ClusterTree | undefined, host: string, probe: string): string | undefined {
  if (!cluster) return 'its cluster has no synthesized manifests';
  const routes = cluster.objects
    .filter(({ object }) => object.kind === 'Ingress')
    .flatMap(({ object }) =>
      ((object.spec as IngressSpec | undefined)?.rules ?? [])
        .filter((rule) => rule.host === host)
        .flatMap((rule) => rule.http?.paths ?? [])
        .filter((p) => pathMatches(p.path, p.pathType, probe))
        .map((p) => ({ namespace: object.metadata.namespace, service: p.backend?.service?.name })),
    );
  if (routes.length === 0) return `no Ingress routes ${host}${probe}`;
  const paths = new Set(routes.flatMap((r) => healthPathsBehind(cluster, r.namespace, r.service)));
  if (paths.has(probe)) return undefined;
  const services = routes.map((r) => `Service ${r.namespace}/${r.service}`).join(', ');
  const endpoints = paths.size > 0 ? [...paths].join(', ') : 'none';
  return `${host}${probe} reaches ${services}, whose pods' health endpoints are ${endpoints}`;
}

export const deepHealthProbe: SyncRule = {
  id: RULE,
  rationale:
    'Front Door fails a region over only when its probe fails: a probe of a static file proves the gateway ' +
    'answers, not that the workload behind it serves.',
  check: (context) => {
    const all = armResources(context);
    const probePath = (g: FileResource) => field(json(g.resource), 'properties', 'healthProbeSettings', 'probePath');
    const groups = ofType(all, 'Microsoft.Cdn/profiles/originGroups');
    const probes = new Map(groups.map((g) => [g.resource.name ?? '', probePath(g)]));
    return originsOf(all).flatMap((origin) => {
      const probe = probes.get(`${origin.profile}/${origin.group}`);
      const gateway = gatewayFor(all, origin.host);
      let problem: string | undefined;
      const group = `${origin.profile}/${origin.group}`;
      if (typeof probe !== 'string') problem = `origin group ${group} has no health probe path`;
      else if (!gateway) problem = `no App Gateway listener serves origin ${origin.host}`;
      else {
        const hosts = list(json(gateway.resource), 'properties', 'backendAddressPools')
          .flatMap((pool) => list(pool, 'properties', 'backendAddresses'))
          .map((address) => String(address.fqdn ?? address.ipAddress ?? ''));
        const cluster = context.clusters.find((c) => c.name === clusterOfFile(gateway.file));
        const misses = hosts.map((host) => probeMiss(cluster, host, probe)).filter((m): m is string => m !== undefined);
        const through = `through App Gateway ${gateway.resource.name}`;
        if (hosts.length === 0) problem = `App Gateway ${gateway.resource.name} has no backend`;
        else if (misses.length > 0) {
          const reach = `Front Door's health probe ${probe} does not reach a workload health endpoint`;
          problem = `${reach} ${through}: ${misses.join('; ')}`;
        }
      }
      if (!problem) return [];
      const fix =
        "probe the workload's health path (workload.healthPath), routed by the backend host's Ingress to pods whose " +
        'readiness probe serves it';
      return [deployFinding(RULE, gateway?.file ?? origin.file, `origin/${origin.host}`, problem, fix)];
    });
  },
};
