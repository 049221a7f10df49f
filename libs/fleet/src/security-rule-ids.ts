/**
 * The `fleet validate` rule ids a policy exception may name. The gate (libs/gate) owns the rules, but the model may
 * not import the gate (module boundaries: the model is plain data), so the ids live here and the gate's test
 * asserts that this list equals its `security/*` rules: a rule added or renamed there fails that test until it is
 * listed here, and an exception naming an unknown rule is refused when the model is parsed.
 */
export const POLICY_EXCEPTION_RULE_IDS: readonly string[] = [
  'security/credential-data',
  'security/default-deny',
  'security/drop-capabilities',
  'security/image-pinned',
  'security/image-registry',
  'security/ingress-tls',
  'security/internal-load-balancer',
  'security/no-privilege-escalation',
  'security/no-secret',
  'security/psa-restricted',
  'security/read-only-root-fs',
  'security/resources',
  'security/run-as-non-root',
];
