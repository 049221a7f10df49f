/**
 * Deploy rules: what makes a schema-valid fleet fail on real Azure — an address taken before the Service that needs
 * it, a Kubernetes version AKS no longer serves, a monitoring add-on with nothing to collect, a rollout with no room
 * at peak, an App Gateway any Front Door can reach, and a health probe that proves nothing. Each works on any fleet:
 * it reads the synthesized objects and templates, never the default fleet's names.
 */
import {
  clustersOf,
  KUBERNETES_SUPPORT_AS_OF,
  KUBERNETES_SUPPORT_SOURCE,
  longTermSupportMinors,
  MAX_PODS_PER_NODE,
  minorOf,
  standardSupportMinors,
  type NodePool,
} from '@aks-fleet/fleet';
import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import { objectRef, type ClusterTree, type TreeObject } from '../tree.ts';
import { armResources, clusterOfFile, isType, nameInResourceId, objectsIn, ofType, type FileResource, type Json, type JsonObject } from './arm-resources.ts';

const error = (rule: string, file: string, object: string, message: string, fix: string): Finding => ({ severity: 'ERROR', rule, file, object, message, fix });

// ---------------------------------------------------------------------------------------------------------------
// deploy/fixed-ip-subnet

const ILB_IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';
const ILB_SUBNET = 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet';
const ILB_INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';

interface SubnetMember {
  readonly file: string;
  readonly resource: string;
  readonly subnet: string;
  /** The static address it holds, when it has one. */
  readonly staticIp?: string;
}

/** What the cluster's templates place in which subnet, and whether its address is fixed. */
function subnetMembers(resources: readonly FileResource[]): SubnetMember[] {
  const out: SubnetMember[] = [];
  for (const { file, resource } of resources) {
    const label = `${resource.type} ${resource.name}`;
    if (isType(resource, 'Microsoft.Network/privateEndpoints')) {
      const subnet = nameInResourceId((resource.properties?.subnet as JsonObject | undefined)?.id, SUBNET_TYPE);
      const configs = (resource.properties?.ipConfigurations as JsonObject[] | undefined) ?? [];
      const addresses = configs.map((c) => (c.properties as JsonObject | undefined)?.privateIPAddress).filter((a): a is string => typeof a === 'string');
      // A private endpoint is static only when every address it takes is given (one per group member).
      if (subnet) out.push({ file, resource: label, subnet, ...(configs.length > 0 && addresses.length === configs.length ? { staticIp: addresses.join(',') } : {}) });
      continue;
    }
    for (const { value } of objectsIn(resource.properties as Json)) {
      const subnet = nameInResourceId(value.vnetSubnetID, SUBNET_TYPE) ?? nameInResourceId((value.subnet as JsonObject | undefined)?.id, SUBNET_TYPE);
      if (!subnet) continue;
      const fixed = value.privateIPAllocationMethod === 'Static' && typeof value.privateIPAddress === 'string';
      out.push({ file, resource: label, subnet, ...(fixed ? { staticIp: value.privateIPAddress as string } : {}) });
    }
  }
  return out;
}

/** Subnet of the cluster's nodes (where an internal load balancer without a subnet annotation takes its address). */
function nodeSubnet(resources: readonly FileResource[]): string | undefined {
  for (const { resource } of ofType(resources, 'Microsoft.ContainerService/managedClusters')) {
    const pools = (resource.properties?.agentPoolProfiles as JsonObject[] | undefined) ?? [];
    const subnet = pools.map((p) => nameInResourceId(p.vnetSubnetID, SUBNET_TYPE)).find(Boolean);
    if (subnet) return subnet;
  }
  return undefined;
}

const fixedIpSubnet: Rule = {
  id: 'deploy/fixed-ip-subnet',
  rationale: 'Azure hands out dynamic IPs lowest-first, so anything dynamic deployed before a Service with a fixed ILB IP in the same subnet can take that IP.',
  check: (context) => {
    if (!context.infrastructure) return [];
    const all = armResources(context);
    return context.clusters.flatMap((cluster) => {
      const resources = all.filter(({ file }) => clusterOfFile(file) === cluster.name);
      const members = subnetMembers(resources);
      return cluster.objects.flatMap(({ file, object }) => {
        const annotations = object.metadata.annotations ?? {};
        const spec = object.spec as { type?: string; loadBalancerIP?: string } | undefined;
        if (object.kind !== 'Service' || spec?.type !== 'LoadBalancer' || annotations[ILB_INTERNAL] !== 'true') return [];
        const ip = annotations[ILB_IPV4] ?? spec.loadBalancerIP;
        if (!ip) return [];
        const subnet = annotations[ILB_SUBNET] ?? nodeSubnet(resources);
        return members
          .filter((m) => m.subnet === subnet && (m.staticIp === undefined || m.staticIp.split(',').includes(ip)))
          .map((m) =>
            error(
              'deploy/fixed-ip-subnet',
              file,
              objectRef(object),
              `fixed ILB IP ${ip} in subnet ${subnet}, which also holds ${m.resource} (${m.file}) ${m.staticIp === undefined ? 'with a dynamic address deployed before the Service: it can take the IP' : 'on that very address'}`,
              'give private endpoints and other dynamically addressed resources their own subnet (spoke.subnets.privateEndpoints), or a static address other than the ILB IP',
            ),
          );
      });
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// deploy/kubernetes-support

const kubernetesSupport: Rule = {
  id: 'deploy/kubernetes-support',
  rationale: 'AKS refuses to create a cluster on a minor out of support, and serves an old minor only under long-term support (Premium tier + AKSLongTermSupport).',
  check: (context) =>
    ofType(armResources(context), 'Microsoft.ContainerService/managedClusters').flatMap(({ file, resource }) => {
      const versions = [resource.properties?.kubernetesVersion, ...((resource.properties?.agentPoolProfiles as JsonObject[] | undefined) ?? []).map((p) => p.orchestratorVersion)];
      const lts = resource.properties?.supportPlan === 'AKSLongTermSupport';
      const findings: Finding[] = [];
      const object = `managedClusters/${resource.name}`;
      if (lts && resource.sku?.tier !== 'Premium') {
        findings.push(error('deploy/kubernetes-support', file, object, `supportPlan AKSLongTermSupport on sku.tier ${String(resource.sku?.tier)}`, 'set the cluster\'s tier: Premium in the fleet model (long-term support is a Premium feature)'));
      }
      const allowed = lts ? longTermSupportMinors() : standardSupportMinors();
      for (const version of new Set(versions.filter((v): v is string => typeof v === 'string'))) {
        if (allowed.includes(minorOf(version))) continue;
        findings.push(
          error(
            'deploy/kubernetes-support',
            file,
            object,
            `Kubernetes ${version} is not in AKS ${lts ? 'long-term' : 'standard'} support (${allowed.join(', ')} as of ${KUBERNETES_SUPPORT_AS_OF}, ${KUBERNETES_SUPPORT_SOURCE})`,
            `set kubernetesVersion to one of ${standardSupportMinors().join(', ')} in the fleet model${lts ? '' : ', or opt into long-term support (tier: Premium, supportPlan: AKSLongTermSupport)'}`,
          ),
        );
      }
      return findings;
    }),
};

// ---------------------------------------------------------------------------------------------------------------
// deploy/container-insights

/** The stream group the Container Insights agent sends, and the association name the add-on looks up. */
const CONTAINER_INSIGHTS_STREAM = 'Microsoft-ContainerInsights-Group-Default';
const CONTAINER_INSIGHTS_ASSOCIATION = 'ContainerInsightsExtension';

/**
 * What the agent must reach through the hub firewall (AKS outbound rules, Azure Monitor for containers): control
 * handlers for its data collection rule, then Log Analytics and Azure Monitor ingestion.
 * @see https://learn.microsoft.com/azure/aks/outbound-rules-control-egress
 */
export function azureMonitorEndpoints(region: string): string[] {
  return [
    'global.handler.control.monitor.azure.com',
    `${region}.handler.control.monitor.azure.com`,
    '*.ods.opinsights.azure.com',
    '*.oms.opinsights.azure.com',
    '*.monitoring.azure.com',
    '*.ingest.monitor.azure.com',
  ];
}

/** An allowed target FQDN covers a required one: equal, or a wildcard whose suffix contains it. */
function covers(allowed: string, required: string): boolean {
  const a = allowed.toLowerCase();
  const r = required.toLowerCase();
  if (a === r) return true;
  if (!a.startsWith('*.')) return false;
  const suffix = a.slice(1);
  return r.startsWith('*.') ? r.slice(1).endsWith(suffix) : r.endsWith(suffix);
}

/** HTTPS application-rule FQDNs a region's hub firewall allows. */
function allowedFqdns(resources: readonly FileResource[], region: string): string[] {
  return ofType(resources, 'Microsoft.Network/firewallPolicies/ruleCollectionGroups')
    .filter(({ file }) => file.startsWith(`infrastructure/regions/${region}/`))
    .flatMap(({ resource }) => (resource.properties?.ruleCollections as JsonObject[] | undefined) ?? [])
    .filter((collection) => (collection.action as JsonObject | undefined)?.type === 'Allow')
    .flatMap((collection) => (collection.rules as JsonObject[] | undefined) ?? [])
    .filter((rule) => rule.ruleType === 'ApplicationRule' && ((rule.protocols as JsonObject[] | undefined) ?? []).some((p) => p.protocolType === 'Https' && p.port === 443))
    .flatMap((rule) => (rule.targetFqdns as string[] | undefined) ?? []);
}

const containerInsights: Rule = {
  id: 'deploy/container-insights',
  rationale: 'The monitoring add-on with managed identity auth collects nothing without a data collection rule associated with the cluster and a firewall path to Azure Monitor: every alert stays silent.',
  check: (context) => {
    const all = armResources(context);
    return ofType(all, 'Microsoft.ContainerService/managedClusters').flatMap(({ file, resource }) => {
      const oms = (resource.properties?.addonProfiles as JsonObject | undefined)?.omsagent as JsonObject | undefined;
      if (!oms?.enabled || (oms.config as JsonObject | undefined)?.useAADAuth !== 'true') return [];
      const object = `managedClusters/${resource.name}`;
      const inFile = all.filter((r) => r.file === file);
      const rules = ofType(inFile, 'Microsoft.Insights/dataCollectionRules').filter(({ resource: dcr }) => {
        const extensions = (((dcr.properties?.dataSources as JsonObject | undefined)?.extensions as JsonObject[] | undefined) ?? []);
        const collects = extensions.some((e) => e.extensionName === 'ContainerInsights' && ((e.streams as string[] | undefined) ?? []).includes(CONTAINER_INSIGHTS_STREAM));
        const logAnalytics = (((dcr.properties?.destinations as JsonObject | undefined)?.logAnalytics as JsonObject[] | undefined) ?? []).map((d) => d.name);
        const flows = ((dcr.properties?.dataFlows as JsonObject[] | undefined) ?? []).some(
          (f) => ((f.streams as string[] | undefined) ?? []).includes(CONTAINER_INSIGHTS_STREAM) && ((f.destinations as string[] | undefined) ?? []).some((d) => logAnalytics.includes(d)),
        );
        return collects && flows;
      });
      const findings: Finding[] = [];
      const fix = 'run `npm run synth`: the stamp emits the Container Insights data collection rule and its association (libs/infra stamp-monitoring.ts)';
      if (rules.length === 0) {
        findings.push(error('deploy/container-insights', file, object, `monitoring add-on (useAADAuth) without a data collection rule sending ${CONTAINER_INSIGHTS_STREAM} to Log Analytics`, fix));
      }
      const associated = ofType(inFile, 'Microsoft.Insights/dataCollectionRuleAssociations').some(
        ({ resource: a }) =>
          a.name === CONTAINER_INSIGHTS_ASSOCIATION &&
          nameInResourceId(a.scope, 'Microsoft.ContainerService/managedClusters') === resource.name &&
          rules.some(({ resource: dcr }) => nameInResourceId(a.properties?.dataCollectionRuleId, 'Microsoft.Insights/dataCollectionRules') === dcr.name),
      );
      if (rules.length > 0 && !associated) {
        findings.push(error('deploy/container-insights', file, object, `no data collection rule association ${CONTAINER_INSIGHTS_ASSOCIATION} links the cluster to its Container Insights rule`, fix));
      }
      const region = String(resource.location ?? '').toLowerCase();
      const allowed = allowedFqdns(all, region);
      const missing = azureMonitorEndpoints(region).filter((required) => !allowed.some((a) => covers(a, required)));
      if (missing.length > 0) {
        findings.push(
          error('deploy/container-insights', file, object, `the ${region} hub firewall does not admit Azure Monitor endpoints ${missing.join(', ')} (HTTPS 443)`, 'add them to the AKS application rules of the hub egress (libs/infra firewall-rules.ts) and re-synthesize'),
        );
      }
      return findings;
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// deploy/peak-fits

type PodTemplate = { metadata?: { labels?: Record<string, string> }; spec?: PodSpecShape };
interface PodSpecShape {
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: ReadonlyArray<{ key?: string }>;
  readonly affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: ReadonlyArray<{ topologyKey?: string; labelSelector?: { matchLabels?: Record<string, string> } }> } };
}
interface DeploymentSpec {
  readonly replicas?: number;
  readonly strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string } };
  readonly template?: PodTemplate;
}

const HOSTNAME = 'kubernetes.io/hostname';
const AKS_MODE = 'kubernetes.azure.com/mode';
const SYSTEM_TAINT = 'CriticalAddonsOnly';

/** Extra pods a rolling update starts at `replicas` (Kubernetes rounds a percentage up; default 25%). */
export function surgeAt(replicas: number, strategy: DeploymentSpec['strategy']): number {
  if (strategy?.type === 'Recreate') return 0;
  const surge = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(surge);
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : Number(surge) || 0;
}

/** One pod per node when a required anti-affinity term on the hostname selects the pod's own labels. */
function onePerNode(template: PodTemplate | undefined): boolean {
  const labels = template?.metadata?.labels ?? {};
  const terms = template?.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms.some((t) => t.topologyKey === HOSTNAME && Object.entries(t.labelSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
}

/** The node pools a pod can land on: its AKS mode selector, else the user pool (the system pool is tainted). */
function poolsOf(spec: PodSpecShape | undefined): Array<'system' | 'user'> {
  const mode = spec?.nodeSelector?.[AKS_MODE];
  if (mode === 'system' || mode === 'user') return [mode];
  return (spec?.tolerations ?? []).some((t) => t.key === SYSTEM_TAINT) ? ['system', 'user'] : ['user'];
}

function maxReplicasOf(cluster: ClusterTree, deployment: TreeObject): { replicas: number; source: string } {
  const { name, namespace } = deployment.object.metadata;
  const hpa = cluster.objects.find(({ object }) => {
    const target = (object.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
    return object.kind === 'HorizontalPodAutoscaler' && object.metadata.namespace === namespace && target?.kind === 'Deployment' && target.name === name;
  });
  const max = (hpa?.object.spec as { maxReplicas?: number } | undefined)?.maxReplicas;
  if (hpa && typeof max === 'number') return { replicas: max, source: `HPA ${hpa.object.metadata.name} maxReplicas ${max}` };
  const replicas = (deployment.object.spec as DeploymentSpec | undefined)?.replicas ?? 1;
  return { replicas, source: `replicas ${replicas}` };
}

const peakFits: Rule = {
  id: 'deploy/peak-fits',
  rationale: 'At peak (autoscaler maximum, e.g. a failed-over region) a rolling update still needs room for its surge pods; pods that cannot schedule stall the rollout exactly then.',
  check: ({ clusters, fleet }) => {
    if (!fleet) return [];
    const model = new Map(clustersOf(fleet.spec).map(({ region, cluster }) => [cluster.name, { region, cluster }]));
    return clusters.flatMap((cluster) => {
      const entry = model.get(cluster.name);
      if (!entry) return [];
      const index = fleet.spec.regions[entry.region]!.clusters.indexOf(entry.cluster);
      const poolPath = (pool: string) => `regions.${entry.region}.clusters[${index}].nodePools.${pool}.maxCount`;
      return cluster.objects
        .filter(({ object }) => object.kind === 'Deployment')
        .flatMap((deployment) => {
          const spec = deployment.object.spec as DeploymentSpec | undefined;
          const { replicas, source } = maxReplicasOf(cluster, deployment);
          const surge = surgeAt(replicas, spec?.strategy);
          const peak = replicas + surge;
          const pools = poolsOf(spec?.template?.spec);
          const nodes = pools.reduce((sum, pool) => sum + (entry.cluster.nodePools[pool] as NodePool).maxCount, 0);
          const one = onePerNode(spec?.template);
          const capacity = nodes * (one ? 1 : MAX_PODS_PER_NODE);
          if (peak <= capacity) return [];
          const needed = one ? peak : Math.ceil(peak / MAX_PODS_PER_NODE);
          return [
            error(
              'deploy/peak-fits',
              deployment.file,
              objectRef(deployment.object),
              `peak ${peak} pods (${source} + rolling-update surge ${surge}) ${one ? 'one per node (required anti-affinity on kubernetes.io/hostname)' : `at ${MAX_PODS_PER_NODE} per node`} need ${needed} nodes; the ${pools.join(' + ')} pool${pools.length > 1 ? 's allow' : ' allows'} ${nodes}`,
              `raise ${poolPath(pools[pools.length - 1]!)} to at least ${needed - nodes + (entry.cluster.nodePools[pools[pools.length - 1]!] as NodePool).maxCount}, or lower the autoscaler maximum or maxSurge`,
            ),
          ];
        });
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// deploy/front-door-lock and deploy/deep-health-probe

const FRONT_DOOR_ID_HEADER = 'x-azure-fdid';

interface Origin {
  readonly file: string;
  readonly profile: string;
  readonly group: string;
  readonly host: string;
}

function originsOf(resources: readonly FileResource[]): Origin[] {
  return ofType(resources, 'Microsoft.Cdn/profiles/originGroups/origins').map(({ file, resource }) => {
    const [profile = '', group = ''] = (resource.name ?? '').split('/');
    return { file, profile, group, host: String(resource.properties?.hostName ?? '') };
  });
}

/** The App Gateway whose listener serves a host, with its file. */
function gatewayFor(resources: readonly FileResource[], host: string): FileResource | undefined {
  return ofType(resources, 'Microsoft.Network/applicationGateways').find(({ resource }) =>
    ((resource.properties?.httpListeners as JsonObject[] | undefined) ?? []).some((l) => {
      const p = (l.properties as JsonObject | undefined) ?? {};
      return p.hostName === host || ((p.hostNames as string[] | undefined) ?? []).includes(host);
    }),
  );
}

/** The gateway's WAF policy blocks every request whose X-Azure-FDID is not the given profile's frontDoorId. */
function lockedTo(resources: readonly FileResource[], gateway: FileResource, profile: string): boolean {
  const policyName = nameInResourceId((gateway.resource.properties?.firewallPolicy as JsonObject | undefined)?.id, 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies');
  const policy = ofType(resources, 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies').find(({ file, resource }) => file === gateway.file && resource.name === policyName)?.resource;
  const settings = (policy?.properties?.policySettings as JsonObject | undefined) ?? {};
  if (!policy || settings.state !== 'Enabled' || settings.mode !== 'Prevention') return false;
  // Conditions of one rule are ANDed: the rule locks only when its single condition is the header check.
  const isLock = (condition: JsonObject): boolean => {
    const header = ((condition.matchVariables as JsonObject[] | undefined) ?? []).some((v) => v.variableName === 'RequestHeaders' && String(v.selector).toLowerCase() === FRONT_DOOR_ID_HEADER);
    const values = (condition.matchValues as Json[] | undefined) ?? [];
    const ours = values.length > 0 && values.every((v) => nameInResourceId(v, 'Microsoft.Cdn/profiles') === profile && /\.frontDoorId\]$/.test(String(v)));
    return header && condition.operator === 'Equal' && condition.negationConditon === true && ours;
  };
  return ((policy.properties?.customRules as JsonObject[] | undefined) ?? []).some((rule) => {
    const conditions = (rule.matchConditions as JsonObject[] | undefined) ?? [];
    return rule.state !== 'Disabled' && rule.action === 'Block' && conditions.length === 1 && isLock(conditions[0]!);
  });
}

const frontDoorLock: Rule = {
  id: 'deploy/front-door-lock',
  rationale: "The AzureFrontDoor.Backend service tag admits every tenant's Front Door; only a WAF rule on X-Azure-FDID keeps other profiles off our App Gateways.",
  check: (context) => {
    const all = armResources(context);
    return originsOf(all).flatMap((origin) => {
      const gateway = gatewayFor(all, origin.host);
      if (gateway && lockedTo(all, gateway, origin.profile)) return [];
      return [
        error(
          'deploy/front-door-lock',
          gateway?.file ?? origin.file,
          `origin/${origin.host}`,
          gateway
            ? `App Gateway ${gateway.resource.name} does not block requests whose ${FRONT_DOOR_ID_HEADER} header is not Front Door profile ${origin.profile}'s frontDoorId (a Block custom rule, Prevention mode)`
            : `no App Gateway listener serves origin ${origin.host}`,
          "add a WAF custom rule: block RequestHeaders X-Azure-FDID not Equal [reference(<profile id>).frontDoorId] (libs/infra stamp-app-gateway.ts) and re-synthesize",
        ),
      ];
    });
  },
};

function pathMatches(ingressPath: string | undefined, pathType: string | undefined, probe: string): boolean {
  const path = ingressPath ?? '/';
  if (pathType === 'Exact') return path === probe;
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return probe === path || probe.startsWith(prefix);
}

/** Follows a probe path from a backend host through the cluster's Ingress and Service to a pod's health endpoint. */
function probeReaches(cluster: ClusterTree | undefined, host: string, probe: string): string | undefined {
  if (!cluster) return 'its cluster has no synthesized manifests';
  type IngressSpec = { rules?: Array<{ host?: string; http?: { paths?: Array<{ path?: string; pathType?: string; backend?: { service?: { name?: string } } }> } }> };
  const routes = cluster.objects
    .filter(({ object }) => object.kind === 'Ingress')
    .flatMap(({ object }) =>
      ((object.spec as IngressSpec | undefined)?.rules ?? [])
        .filter((r) => r.host === host)
        .flatMap((r) => (r.http?.paths ?? []).filter((p) => pathMatches(p.path, p.pathType, probe)).map((p) => ({ namespace: object.metadata.namespace, service: p.backend?.service?.name }))),
    );
  if (routes.length === 0) return `no Ingress routes ${host}${probe}`;
  const healthPaths = new Set<string>();
  for (const route of routes) {
    const service = cluster.objects.find(({ object }) => object.kind === 'Service' && object.metadata.namespace === route.namespace && object.metadata.name === route.service)?.object;
    const selector = (service?.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (!selector) continue;
    for (const { object } of cluster.objects.filter(({ object }) => object.kind === 'Deployment' && object.metadata.namespace === route.namespace)) {
      const template = (object.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Array<Record<string, { httpGet?: { path?: string } } | undefined>> } } } | undefined)?.template;
      const labels = template?.metadata?.labels ?? {};
      if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
      for (const container of template?.spec?.containers ?? []) {
        for (const probeKind of ['readinessProbe', 'livenessProbe']) {
          const path = container[probeKind]?.httpGet?.path;
          if (path) healthPaths.add(path);
        }
      }
    }
  }
  if (healthPaths.has(probe)) return undefined;
  return `${host}${probe} reaches ${routes.map((r) => `Service ${r.namespace}/${r.service}`).join(', ')}, whose pods' health endpoints are ${healthPaths.size > 0 ? [...healthPaths].join(', ') : 'none'}`;
}

const deepHealthProbe: Rule = {
  id: 'deploy/deep-health-probe',
  rationale: 'Front Door fails a region over only when its probe fails: a probe of a static file proves the gateway answers, not that the workload behind it serves.',
  check: (context) => {
    const all = armResources(context);
    const groups = new Map(
      ofType(all, 'Microsoft.Cdn/profiles/originGroups').map(({ resource }) => [resource.name ?? '', (resource.properties?.healthProbeSettings as JsonObject | undefined)?.probePath]),
    );
    return originsOf(all).flatMap((origin) => {
      const probe = groups.get(`${origin.profile}/${origin.group}`);
      const gateway = gatewayFor(all, origin.host);
      let problem: string | undefined;
      if (typeof probe !== 'string') problem = `origin group ${origin.profile}/${origin.group} has no health probe path`;
      else if (!gateway) problem = `no App Gateway listener serves origin ${origin.host}`;
      else {
        const pools = ((gateway.resource.properties?.backendAddressPools as JsonObject[] | undefined) ?? []).flatMap(
          (p) => (((p.properties as JsonObject | undefined)?.backendAddresses as JsonObject[] | undefined) ?? []).map((a) => String(a.fqdn ?? a.ipAddress ?? '')),
        );
        const cluster = context.clusters.find((c) => c.name === clusterOfFile(gateway.file));
        const misses = pools.map((host) => probeReaches(cluster, host, probe)).filter((m): m is string => m !== undefined);
        if (pools.length === 0) problem = `App Gateway ${gateway.resource.name} has no backend`;
        else if (misses.length > 0) problem = `Front Door's health probe ${probe} does not reach a workload health endpoint through App Gateway ${gateway.resource.name}: ${misses.join('; ')}`;
      }
      if (!problem) return [];
      return [error('deploy/deep-health-probe', gateway?.file ?? origin.file, `origin/${origin.host}`, problem, "probe the workload's health path (workload.healthPath), routed by the Ingress of the backend host to pods whose readiness probe serves it")];
    });
  },
};

export const deployRules: Rule[] = [fixedIpSubnet, kubernetesSupport, containerInsights, peakFits, frontDoorLock, deepHealthProbe];
