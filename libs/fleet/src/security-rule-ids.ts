/**
 * The `fleet validate` rule ids a policy exception may name. The gate (libs/gate) owns the rules, but the model may
 * not import the gate (module boundaries: the model is plain data), so the ids live here and the gate's test
 * asserts that this list equals its `security/*` rules: a rule added or renamed there fails that test until it is
 * listed here, and an exception naming an unknown rule is refused when the model is parsed.
 */
export const POLICY_EXCEPTION_RULE_IDS: readonly string[] = [
  'security/credential-data',
  'security/default-deny',
  'security/external-ips',
  'security/image-pinned',
  'security/image-registry',
  'security/ingress-tls',
  'security/internal-load-balancer',
  'security/no-secret',
  'security/node-port',
  'security/psa-restricted',
  'security/pss-baseline-apparmor',
  'security/pss-baseline-capabilities',
  'security/pss-baseline-host-namespaces',
  'security/pss-baseline-host-path',
  'security/pss-baseline-host-ports',
  'security/pss-baseline-host-probes',
  'security/pss-baseline-host-process',
  'security/pss-baseline-privileged',
  'security/pss-baseline-proc-mount',
  'security/pss-baseline-seccomp',
  'security/pss-baseline-selinux',
  'security/pss-baseline-sysctls',
  'security/pss-restricted-capabilities',
  'security/pss-restricted-privilege-escalation',
  'security/pss-restricted-run-as-non-root',
  'security/pss-restricted-run-as-user',
  'security/pss-restricted-seccomp',
  'security/pss-restricted-volume-types',
  'security/rbac-escalation',
  'security/read-only-root-fs',
  'security/resources',
  'security/service-account-token',
];
