import { POLICY_EXCEPTION_RULE_IDS } from '@aks-fleet/fleet';
import { describe, expect, it } from 'vitest';
import { RULES } from './rules/index.ts';

describe('the rule ids a policy exception may name (owned by the model, which may not import the gate)', () => {
  it("are exactly the gate's security rules: add a new security rule's id to libs/fleet/src/security-rule-ids.ts", () => {
    const security = RULES.map((rule) => rule.id).filter((id) => id.startsWith('security/'));
    expect([...POLICY_EXCEPTION_RULE_IDS].sort()).toStrictEqual([...new Set(security)].sort());
  });
});
