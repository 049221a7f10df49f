/**
 * The regional entry point: App Gateway WAF_v2 (OWASP 3.2 + Bot Manager, Prevention) on the spoke's public IP,
 * with an HTTPS listener for its public FQDN (SNI required, certificate from Key Vault by secret URI) and an HTTPS
 * backend to the single backend hostname — the same name as the private DNS record and the Ingress host — probed
 * on /favicon.ico and trusted through the ingress CA certificate from Key Vault.
 */
import { APP_GATEWAY_MAX_INSTANCES, backendHostname, KEY_VAULT_SECRETS } from '@aks-fleet/fleet';
import { expr, idOf, idRef, type ArmResource } from '../arm/arm-template.ts';
import type { StampContext } from './stamp-context.ts';
import { keyVaultSecretUri } from './stamp-key-vault.ts';
import { diagnosticSettings, tracked } from '../arm/template-helpers.ts';

const PART = {
  gatewayIp: 'apw-ip-configuration',
  frontendIp: 'apw-frontend-ip-configuration',
  port: 'port-443',
  certificate: 'apw-listener-certificate',
  trustedRoot: 'root-cert-ingress',
  pool: 'aks-ingress-backendpool',
  settings: 'aks-ingress-backendpool-httpsettings',
  probe: 'probe-aks-ingress',
  listener: 'listener-https',
  rule: 'apw-routing-rules',
} as const;

export function appGateway(context: StampContext, dependsOn: readonly string[]): ArmResource[] {
  const { names, ids, region } = context;
  const gateway = names.appGateway;
  const part = (type: string, name: string) => idRef(idOf(`Microsoft.Network/applicationGateways/${type}`, gateway, name));
  const wafPolicyId = idOf('Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', names.appGatewayWafPolicy);
  const gatewayId = idOf('Microsoft.Network/applicationGateways', gateway);
  const backend = backendHostname(context.fleet.spec);
  return [
    tracked('Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', names.appGatewayWafPolicy, region, {
      properties: {
        policySettings: { state: 'Enabled', mode: 'Prevention', requestBodyCheck: true, fileUploadLimitInMb: 10, maxRequestBodySizeInKb: 128 },
        managedRules: {
          managedRuleSets: [
            { ruleSetType: 'OWASP', ruleSetVersion: '3.2', ruleGroupOverrides: [] },
            { ruleSetType: 'Microsoft_BotManagerRuleSet', ruleSetVersion: '1.0', ruleGroupOverrides: [] },
          ],
        },
      },
    }),
    tracked('Microsoft.Network/applicationGateways', gateway, region, {
      zones: ['1', '2', '3'],
      identity: { type: 'UserAssigned', userAssignedIdentities: { [expr(ids.appGatewayIdentity)]: {} } },
      dependsOn: [expr(wafPolicyId), expr(ids.appGatewayIdentity), ...dependsOn.map(expr)],
      properties: {
        sku: { name: 'WAF_v2', tier: 'WAF_v2' },
        autoscaleConfiguration: { minCapacity: 0, maxCapacity: APP_GATEWAY_MAX_INSTANCES },
        enableHttp2: false,
        firewallPolicy: idRef(wafPolicyId),
        sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101' },
        gatewayIPConfigurations: [{ name: PART.gatewayIp, properties: { subnet: idRef(ids.appGatewaySubnet) } }],
        frontendIPConfigurations: [{ name: PART.frontendIp, properties: { publicIPAddress: idRef(ids.appGatewayPublicIp) } }],
        frontendPorts: [{ name: PART.port, properties: { port: 443 } }],
        sslCertificates: [{ name: PART.certificate, properties: { keyVaultSecretId: keyVaultSecretUri(names.keyVault, KEY_VAULT_SECRETS.appGatewayListenerCertificate) } }],
        trustedRootCertificates: [{ name: PART.trustedRoot, properties: { keyVaultSecretId: keyVaultSecretUri(names.keyVault, KEY_VAULT_SECRETS.ingressRootCertificate) } }],
        backendAddressPools: [{ name: PART.pool, properties: { backendAddresses: [{ fqdn: backend }] } }],
        probes: [
          {
            name: PART.probe,
            properties: {
              protocol: 'Https',
              path: '/favicon.ico',
              interval: 30,
              timeout: 30,
              unhealthyThreshold: 3,
              pickHostNameFromBackendHttpSettings: true,
              minServers: 0,
              match: {},
            },
          },
        ],
        backendHttpSettingsCollection: [
          {
            name: PART.settings,
            properties: {
              port: 443,
              protocol: 'Https',
              cookieBasedAffinity: 'Disabled',
              pickHostNameFromBackendAddress: true,
              requestTimeout: 20,
              probe: part('probes', PART.probe),
              trustedRootCertificates: [part('trustedRootCertificates', PART.trustedRoot)],
            },
          },
        ],
        httpListeners: [
          {
            name: PART.listener,
            properties: {
              frontendIPConfiguration: part('frontendIPConfigurations', PART.frontendIp),
              frontendPort: part('frontendPorts', PART.port),
              protocol: 'Https',
              sslCertificate: part('sslCertificates', PART.certificate),
              hostName: names.appGatewayFqdn,
              requireServerNameIndication: true,
            },
          },
        ],
        requestRoutingRules: [
          {
            name: PART.rule,
            properties: {
              ruleType: 'Basic',
              priority: 100,
              httpListener: part('httpListeners', PART.listener),
              backendAddressPool: part('backendAddressPools', PART.pool),
              backendHttpSettings: part('backendHttpSettingsCollection', PART.settings),
            },
          },
        ],
      },
    }),
    diagnosticSettings(context.fleet.spec, gatewayId, gatewayId),
  ];
}
