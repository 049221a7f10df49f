/**
 * The last step (shared resource group): one Front Door origin per cluster of the model — its App Gateway's public
 * FQDN, priority and weight from `cluster.frontDoor` — and the HTTPS-only route. It runs after the stamps, so Front
 * Door only enrolls App Gateways that exist (no placeholder origin, no CLI enrollment).
 */
import { clusterAzureNames, clustersOf, sharedAzureNames, type Fleet } from '@aks-fleet/fleet';
import { expr, idOf, idRef, resource, template, type ArmTemplate } from '../arm/arm-template.ts';
import { tagsParameterDefinition } from '../arm/template-helpers.ts';

export function frontDoorTemplate(fleet: Readonly<Fleet>): ArmTemplate {
  const shared = sharedAzureNames(fleet.spec);
  const originGroupId = idOf(
    'Microsoft.Cdn/profiles/originGroups',
    shared.frontDoorProfile,
    shared.frontDoorOriginGroup,
  );
  const origins = clustersOf(fleet.spec).map(({ cluster }) => {
    const names = clusterAzureNames(fleet.spec, cluster.name);
    return resource(
      'Microsoft.Cdn/profiles/originGroups/origins',
      `${shared.frontDoorProfile}/${shared.frontDoorOriginGroup}/${names.frontDoorOrigin}`,
      {
        properties: {
          hostName: names.appGatewayFqdn,
          originHostHeader: names.appGatewayFqdn,
          httpPort: 80,
          httpsPort: 443,
          priority: cluster.frontDoor.priority,
          weight: cluster.frontDoor.weight,
          enabledState: 'Enabled',
          enforceCertificateNameCheck: true,
        },
      },
    );
  });
  return template(
    [
      ...origins,
      resource(
        'Microsoft.Cdn/profiles/afdEndpoints/routes',
        `${shared.frontDoorProfile}/${shared.frontDoorEndpoint}/${shared.frontDoorRoute}`,
        {
          dependsOn: origins.map((origin) =>
            expr(idOf('Microsoft.Cdn/profiles/originGroups/origins', ...origin.name.split('/'))),
          ),
          properties: {
            originGroup: idRef(originGroupId),
            supportedProtocols: ['Https'],
            patternsToMatch: ['/*'],
            forwardingProtocol: 'HttpsOnly',
            linkToDefaultDomain: 'Enabled',
            httpsRedirect: 'Disabled',
            enabledState: 'Enabled',
          },
        },
      ),
    ],
    { parameters: tagsParameterDefinition() },
  );
}
