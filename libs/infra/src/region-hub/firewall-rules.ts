/**
 * The AKS egress allow-list of a regional hub firewall (the reference's "AKS-Global-Requirements" and
 * "Flux-Requirements"), derived per region: the API server and monitoring FQDNs name the firewall's own region
 * (the reference hard-codes eastus2's monitoring FQDN in every hub), and Flux's rule names the Git host of
 * `spec.gitSource.url` (not a fixed github.com).
 */
import type { JsonObject } from '../arm/arm-template.ts';

export interface ApplicationRule {
  readonly name: string;
  readonly protocols: ReadonlyArray<{ readonly protocolType: 'Https' | 'Http'; readonly port: number }>;
  readonly targetFqdns?: readonly string[];
  readonly fqdnTags?: readonly string[];
}

export interface NetworkRule {
  readonly name: string;
  readonly ipProtocols: readonly ('TCP' | 'UDP' | 'Any' | 'ICMP')[];
  readonly destinationAddresses?: readonly string[];
  /** FQDN targets (resolved by the firewall's DNS proxy, which the hub policy enables). */
  readonly destinationFqdns?: readonly string[];
  readonly destinationPorts: readonly string[];
}

const HTTPS = [{ protocolType: 'Https', port: 443 }] as const;
const HTTP = [{ protocolType: 'Http', port: 80 }] as const;

/** Host of the Git repository Flux pulls from, e.g. `github.com`. */
export function gitHost(gitUrl: string): string {
  return new URL(gitUrl).hostname;
}

export function aksNetworkRules(region: string): NetworkRule[] {
  return [
    {
      name: 'pod-to-api-server',
      ipProtocols: ['TCP'],
      destinationAddresses: [`AzureCloud.${region}`],
      destinationPorts: ['443'],
    },
  ];
}

export function aksApplicationRules(region: string): ApplicationRule[] {
  return [
    { name: 'nodes-to-api-server', protocols: HTTPS, targetFqdns: [`*.hcp.${region}.azmk8s.io`] },
    {
      name: 'microsoft-container-registry',
      protocols: HTTPS,
      targetFqdns: ['mcr.microsoft.com', '*.data.mcr.microsoft.com'],
    },
    { name: 'management-plane', protocols: HTTPS, fqdnTags: ['AzureKubernetesService'] },
    { name: 'entra-id-auth', protocols: HTTPS, targetFqdns: ['login.microsoftonline.com'] },
    { name: 'apt-get', protocols: HTTPS, targetFqdns: ['packages.microsoft.com'] },
    { name: 'cluster-binaries', protocols: HTTPS, targetFqdns: ['acs-mirror.azureedge.net'] },
    {
      name: 'ubuntu-security-patches',
      protocols: HTTP,
      targetFqdns: ['security.ubuntu.com', 'azure.archive.ubuntu.com', 'changelogs.ubuntu.com'],
    },
    // Container Insights with managed identity auth: its DCR from the control handlers, then ingestion.
    { name: 'azure-monitor-addon', protocols: HTTPS, targetFqdns: azureMonitorFqdns(region) },
    {
      name: 'azure-policy-addon',
      protocols: HTTPS,
      targetFqdns: ['data.policy.core.windows.net', 'store.policy.core.windows.net'],
    },
    // The GitOps (Flux) extension's regional data plane.
    { name: 'gitops-extension', protocols: HTTPS, targetFqdns: [`${region}.dp.kubernetesconfiguration.azure.com`] },
  ];
}

/**
 * What the Container Insights agent (managed identity auth) reaches: the global and regional control handlers (its
 * data collection rule), the Log Analytics ingestion and auth endpoints, the monitoring (metrics) endpoints and the
 * Azure Monitor ingestion endpoints.
 * @see https://learn.microsoft.com/azure/aks/outbound-rules-control-egress#azure-monitor-for-containers
 */
export function azureMonitorFqdns(region: string): string[] {
  return [
    'global.handler.control.monitor.azure.com',
    `${region}.handler.control.monitor.azure.com`,
    '*.ods.opinsights.azure.com',
    '*.oms.opinsights.azure.com',
    '*.monitoring.azure.com',
    '*.ingest.monitor.azure.com',
  ];
}

/** Flux's HTTPS egress to the Git host (none for an ssh:// repository, see fluxNetworkRules). */
export function fluxApplicationRules(gitUrl: string): ApplicationRule[] {
  return gitUrl.startsWith('ssh://')
    ? []
    : [{ name: 'flux-to-git-host', protocols: HTTPS, targetFqdns: [gitHost(gitUrl)] }];
}

/** Flux's SSH egress to the Git host of an ssh:// repository: application rules cannot carry SSH. */
export function fluxNetworkRules(gitUrl: string): NetworkRule[] {
  if (!gitUrl.startsWith('ssh://')) return [];
  const url = new URL(gitUrl);
  return [
    {
      name: 'flux-to-git-host-ssh',
      ipProtocols: ['TCP'],
      destinationFqdns: [url.hostname],
      destinationPorts: [url.port || '22'],
    },
  ];
}

export function applicationRuleJson(rule: ApplicationRule, sourceIpGroup: string): JsonObject {
  return {
    ruleType: 'ApplicationRule',
    name: rule.name,
    protocols: rule.protocols.map((p) => ({ protocolType: p.protocolType, port: p.port })),
    sourceIpGroups: [sourceIpGroup],
    targetFqdns: rule.targetFqdns ? [...rule.targetFqdns] : undefined,
    fqdnTags: rule.fqdnTags ? [...rule.fqdnTags] : undefined,
  };
}

export function networkRuleJson(rule: NetworkRule, sourceIpGroup: string): JsonObject {
  return {
    ruleType: 'NetworkRule',
    name: rule.name,
    ipProtocols: [...rule.ipProtocols],
    sourceIpGroups: [sourceIpGroup],
    destinationAddresses: rule.destinationAddresses ? [...rule.destinationAddresses] : undefined,
    destinationFqdns: rule.destinationFqdns ? [...rule.destinationFqdns] : undefined,
    destinationPorts: [...rule.destinationPorts],
  };
}
