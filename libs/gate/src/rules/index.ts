import type { Rule } from '../rule.ts';
import { deprecatedApiRules } from './deprecated-api-rules.ts';
import { deploySecretRules } from './deploy-secret-rules.ts';
import { fleetRules } from './fleet-rules.ts';
import { fluxRules } from './flux-rules.ts';
import { infrastructureRules } from './infrastructure-rules.ts';
import { kustomizeRules } from './kustomize-rules.ts';
import { schemaRules } from './schema-rules.ts';
import { securityRules } from './security-rules.ts';

/** Every rule of `fleet validate`, in report order. */
export const RULES: readonly Rule[] = [...schemaRules, ...kustomizeRules, ...fluxRules, ...fleetRules, ...infrastructureRules, ...securityRules, ...deprecatedApiRules, ...deploySecretRules];
