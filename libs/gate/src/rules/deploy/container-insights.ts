/**
 * deploy/container-insights: the monitoring add-on with managed identity auth (useAADAuth) has a data collection rule
 * sending the Container Insights streams to Log Analytics, its association with the cluster, and a path through the
 * region's hub firewall to every Azure Monitor endpoint the agent uses.
 */
import type { Finding } from '../../finding.ts';
import type { SyncRule } from '../../rule.ts';
import { armResources, field, inFile, json, list, nameInResourceId, ofType, strings } from '../arm-resources.ts';
import type { FileResource, JsonObject } from '../arm-resources.ts';
import { deployFinding } from './finding.ts';

const RULE = 'deploy/container-insights';
const DCR = 'Microsoft.Insights/dataCollectionRules';

/** The stream group the Container Insights agent sends, and the association name the add-on looks up. */
const CONTAINER_INSIGHTS_STREAM = 'Microsoft-ContainerInsights-Group-Default';
const CONTAINER_INSIGHTS_ASSOCIATION = 'ContainerInsightsExtension';
const STREAM_TO_LOGS = `${CONTAINER_INSIGHTS_STREAM} to Log Analytics`;

/**
 * What the agent must reach (AKS outbound rules, Azure Monitor for containers): the control handlers for its data
 * collection rule, then Log Analytics and Azure Monitor ingestion. The rule's own list, so that a generator dropping
 * one is caught.
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
export function covers(allowed: string, required: string): boolean {
  const a = allowed.toLowerCase();
  const r = required.toLowerCase();
  if (a === r) return true;
  if (!a.startsWith('*.')) return false;
  return (r.startsWith('*.') ? r.slice(1) : r).endsWith(a.slice(1));
}

/** HTTPS application-rule FQDNs the region's hub firewall allows. */
function allowedFqdns(resources: readonly FileResource[], region: string): string[] {
  return ofType(resources, 'Microsoft.Network/firewallPolicies/ruleCollectionGroups')
    .filter(({ file }) => file.startsWith(`infrastructure/regions/${region}/`))
    .flatMap(({ resource }) => list(json(resource), 'properties', 'ruleCollections'))
    .filter((collection) => field(collection, 'action', 'type') === 'Allow')
    .flatMap((collection) => list(collection, 'rules'))
    .filter((rule) => rule.ruleType === 'ApplicationRule')
    .filter((rule) => list(rule, 'protocols').some((p) => p.protocolType === 'Https' && p.port === 443))
    .flatMap((rule) => strings(rule, 'targetFqdns'));
}

/** A rule collecting the Container Insights streams and sending them to a Log Analytics destination. */
function collectsContainerInsights({ resource }: FileResource): boolean {
  const rule = json(resource);
  const collects = list(rule, 'properties', 'dataSources', 'extensions').some(
    (e) => e.extensionName === 'ContainerInsights' && strings(e, 'streams').includes(CONTAINER_INSIGHTS_STREAM),
  );
  const workspaces = list(rule, 'properties', 'destinations', 'logAnalytics').map((d) => d.name);
  const toWorkspace = (flow: JsonObject) => strings(flow, 'destinations').some((d) => workspaces.includes(d));
  const carries = (flow: JsonObject) => strings(flow, 'streams').includes(CONTAINER_INSIGHTS_STREAM);
  const flows = list(rule, 'properties', 'dataFlows').some((f) => carries(f) && toWorkspace(f));
  return collects && flows;
}

export const containerInsights: SyncRule = {
  id: RULE,
  rationale:
    'The monitoring add-on with managed identity auth collects nothing without a data collection rule associated ' +
    'with the cluster and a firewall path to Azure Monitor: every alert stays silent.',
  check: (context) => {
    const all = armResources(context);
    return ofType(all, 'Microsoft.ContainerService/managedClusters').flatMap(({ file, resource }) => {
      const oms = field(json(resource), 'properties', 'addonProfiles', 'omsagent');
      if (field(oms, 'enabled') !== true || field(oms, 'config', 'useAADAuth') !== 'true') return [];
      const object = `managedClusters/${resource.name}`;
      const fileResources = inFile(all, file);
      const rules = ofType(fileResources, DCR).filter(collectsContainerInsights);
      const findings: Finding[] = [];
      const add = (message: string, fix: string) => findings.push(deployFinding(RULE, file, object, message, fix));
      const synth = 'run `npm run synth`: the stamp emits the Container Insights data collection rule and association';
      if (rules.length === 0) {
        add(`monitoring add-on (useAADAuth) without a data collection rule sending ${STREAM_TO_LOGS}`, synth);
      } else {
        const ruleOf = (a: FileResource) =>
          nameInResourceId(field(json(a.resource), 'properties', 'dataCollectionRuleId'), DCR);
        const associated = ofType(fileResources, 'Microsoft.Insights/dataCollectionRuleAssociations').some(
          (a) =>
            a.resource.name === CONTAINER_INSIGHTS_ASSOCIATION &&
            nameInResourceId(a.resource.scope, 'Microsoft.ContainerService/managedClusters') === resource.name &&
            rules.some(({ resource: r }) => ruleOf(a) === r.name),
        );
        const unlinked = `no association ${CONTAINER_INSIGHTS_ASSOCIATION} links the cluster to its collection rule`;
        if (!associated) add(unlinked, synth);
      }
      const region = String(resource.location ?? '').toLowerCase();
      const allowed = allowedFqdns(all, region);
      const missing = azureMonitorEndpoints(region).filter((required) => !allowed.some((a) => covers(a, required)));
      if (missing.length > 0) {
        add(
          `the ${region} hub firewall does not admit Azure Monitor endpoints ${missing.join(', ')} (HTTPS 443)`,
          'add them to the AKS application rules of the hub egress (libs/infra firewall-rules.ts) and re-synthesize',
        );
      }
      return findings;
    });
  },
};
