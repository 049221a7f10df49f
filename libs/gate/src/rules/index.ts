import type { Rule } from '../rule.ts';
import { deployRules } from './deploy/index.ts';
import { deprecatedApiRules } from './deprecated-api-rules.ts';
import { deploySecretRules } from './deploy-secret-rules.ts';
import { fleetRules } from './fleet-rules.ts';
import { fluxRules } from './flux-rules.ts';
import { infrastructureRules } from './infrastructure-rules.ts';
import { kustomizeRules } from './kustomize-rules.ts';
import { schemaRules } from './schema-rules.ts';
import { exposureRules } from './exposure-rules.ts';
import { podSecurityRules } from './pod-security-rules.ts';
import { rbacRules } from './rbac-rules.ts';
import { securityRules } from './security-rules.ts';
import { serviceAccountTokenRules } from './service-account-token-rules.ts';

/** Every rule of `fleet validate`, in report order. */
export const RULES: readonly Rule[] = [
  ...schemaRules,
  ...kustomizeRules,
  ...fluxRules,
  ...fleetRules,
  ...infrastructureRules,
  ...deployRules,
  ...securityRules,
  ...podSecurityRules,
  ...rbacRules,
  ...exposureRules,
  ...serviceAccountTokenRules,
  ...deprecatedApiRules,
  ...deploySecretRules,
];
