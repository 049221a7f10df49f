/**
 * deploy/front-door-lock: the App Gateway behind every Front Door origin blocks, in Prevention mode, each request
 * whose X-Azure-FDID header is not the origin's own Front Door profile id (read with reference() at deploy time).
 */
import type { SyncRule } from '../../rule.ts';
import { armResources, field, json, list, nameInResourceId, ofType } from '../arm-resources.ts';
import type { FileResource, JsonObject } from '../arm-resources.ts';
import { deployFinding } from './finding.ts';
import { gatewayFor, originsOf } from './front-door-origins.ts';

const RULE = 'deploy/front-door-lock';
const FRONT_DOOR_ID_HEADER = 'x-azure-fdid';
const WAF_POLICY = 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies';

/** The one condition of a lock: header X-Azure-FDID not equal to our profile's frontDoorId expression. */
function isLock(condition: JsonObject, profile: string): boolean {
  const header = list(condition, 'matchVariables').some(
    (v) => v.variableName === 'RequestHeaders' && String(v.selector).toLowerCase() === FRONT_DOOR_ID_HEADER,
  );
  const values = Array.isArray(condition.matchValues) ? condition.matchValues : [];
  const isOurId = (v: unknown) =>
    nameInResourceId(v, 'Microsoft.Cdn/profiles') === profile && /\.frontDoorId\]$/.test(String(v));
  const ours = values.length > 0 && values.every(isOurId);
  // (sic) the API spells it negationConditon.
  return header && ours && condition.operator === 'Equal' && condition.negationConditon === true;
}

/** The gateway's WAF policy blocks every request whose X-Azure-FDID is not the profile's frontDoorId. */
function lockedTo(resources: readonly FileResource[], gateway: FileResource, profile: string): boolean {
  const policyName = nameInResourceId(field(json(gateway.resource), 'properties', 'firewallPolicy', 'id'), WAF_POLICY);
  const policies = ofType(resources, WAF_POLICY);
  const policy = policies.find(({ file, resource }) => file === gateway.file && resource.name === policyName);
  if (!policy) return false;
  const settings = field(json(policy.resource), 'properties', 'policySettings');
  if (field(settings, 'state') !== 'Enabled' || field(settings, 'mode') !== 'Prevention') return false;
  // Conditions of one rule are ANDed: the rule locks only when its single condition is the header check.
  return list(json(policy.resource), 'properties', 'customRules').some((rule) => {
    const conditions = list(rule, 'matchConditions');
    const blocks = rule.state !== 'Disabled' && rule.action === 'Block';
    return blocks && conditions.length === 1 && isLock(conditions[0]!, profile);
  });
}

export const frontDoorLock: SyncRule = {
  id: RULE,
  rationale:
    "The AzureFrontDoor.Backend service tag admits every tenant's Front Door; only a WAF rule on X-Azure-FDID keeps " +
    'other profiles off our App Gateways.',
  check: (context) => {
    const all = armResources(context);
    return originsOf(all).flatMap((origin) => {
      const gateway = gatewayFor(all, origin.host);
      if (gateway && lockedTo(all, gateway, origin.profile)) return [];
      const message = gateway
        ? `App Gateway ${gateway.resource.name} does not block requests whose ${FRONT_DOOR_ID_HEADER} header is not ` +
          `Front Door profile ${origin.profile}'s frontDoorId (a Block custom rule, Prevention mode)`
        : `no App Gateway listener serves origin ${origin.host}`;
      const fix =
        'add a WAF custom rule: block RequestHeaders X-Azure-FDID not Equal [reference(<profile id>).frontDoorId] ' +
        '(libs/infra stamp-app-gateway.ts) and re-synthesize';
      return [deployFinding(RULE, gateway?.file ?? origin.file, `origin/${origin.host}`, message, fix)];
    });
  },
};
