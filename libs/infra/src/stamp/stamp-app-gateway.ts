/**
 * The regional entry point: App Gateway WAF_v2 (OWASP 3.2 + Bot Manager, Prevention) on the spoke's public IP,
 * with an HTTPS listener for its public FQDN (SNI required, certificate from Key Vault by secret URI) and an HTTPS
 * backend to the single backend hostname — the same name as the private DNS record and the Ingress host — probed
 * on the workload's health path (through Traefik to the application, not a static file) and trusted through the
 * ingress CA certificate from Key Vault. The WAF blocks every request whose `X-Azure-FDID` header is not our Front
 * Door profile's id: the NSG's AzureFrontDoor.Backend service tag admits every tenant's Front Door.
 */
import { APP_GATEWAY_MAX_INSTANCES, backendHostname, KEY_VAULT_SECRETS } from '@aks-fleet/fleet';
import { expr, idIn, idOf, idRef, referenceOf, type ArmResource } from '../arm/arm-template.ts';
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

/** The request header Front Door stamps with its profile's id (`frontDoorId`) on every request to an origin. */
export const FRONT_DOOR_ID_HEADER = 'X-Azure-FDID';

/** Inner expression: our Front Door profile's `frontDoorId`, read at deploy time (the shared step deploys it first). */
export function frontDoorIdExpression(context: StampContext): string {
  const profileId = idIn(context.shared.resourceGroup, 'Microsoft.Cdn/profiles', context.shared.frontDoorProfile);
  return `${referenceOf(profileId, 'Microsoft.Cdn/profiles')}.frontDoorId`;
}

export function appGateway(context: StampContext, dependsOn: readonly string[]): ArmResource[] {
  const { names, ids, region } = context;
  const gateway = names.appGateway;
  const part = (type: string, name: string) =>
    idRef(idOf(`Microsoft.Network/applicationGateways/${type}`, gateway, name));
  const wafPolicyId = idOf(
    'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies',
    names.appGatewayWafPolicy,
  );
  const gatewayId = idOf('Microsoft.Network/applicationGateways', gateway);
  const backend = backendHostname(context.fleet.spec);
  return [
    tracked('Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', names.appGatewayWafPolicy, region, {
      properties: {
        policySettings: {
          state: 'Enabled',
          mode: 'Prevention',
          requestBodyCheck: true,
          fileUploadLimitInMb: 10,
          maxRequestBodySizeInKb: 128,
        },
        customRules: [
          {
            name: 'OnlyOurFrontDoor',
            priority: 1,
            ruleType: 'MatchRule',
            action: 'Block',
            state: 'Enabled',
            matchConditions: [
              {
                matchVariables: [{ variableName: 'RequestHeaders', selector: FRONT_DOOR_ID_HEADER }],
                operator: 'Equal',
                // (sic) the API's spelling.
                negationConditon: true,
                matchValues: [expr(frontDoorIdExpression(context))],
                transforms: [],
              },
            ],
          },
        ],
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
        // The strict 2022 policy: TLS 1.2+ with AEAD (GCM) ciphers only, which Front Door's origin connections use.
        sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' },
        gatewayIPConfigurations: [{ name: PART.gatewayIp, properties: { subnet: idRef(ids.appGatewaySubnet) } }],
        frontendIPConfigurations: [
          { name: PART.frontendIp, properties: { publicIPAddress: idRef(ids.appGatewayPublicIp) } },
        ],
        frontendPorts: [{ name: PART.port, properties: { port: 443 } }],
        sslCertificates: [
          {
            name: PART.certificate,
            properties: {
              keyVaultSecretId: keyVaultSecretUri(names.keyVault, KEY_VAULT_SECRETS.appGatewayListenerCertificate),
            },
          },
        ],
        trustedRootCertificates: [
          {
            name: PART.trustedRoot,
            properties: {
              keyVaultSecretId: keyVaultSecretUri(names.keyVault, KEY_VAULT_SECRETS.ingressRootCertificate),
            },
          },
        ],
        backendAddressPools: [{ name: PART.pool, properties: { backendAddresses: [{ fqdn: backend }] } }],
        probes: [
          {
            name: PART.probe,
            properties: {
              protocol: 'Https',
              path: context.fleet.spec.workload.healthPath,
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
