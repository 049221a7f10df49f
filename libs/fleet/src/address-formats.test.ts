/** The address fields use zod's IPv4, CIDR and GUID validators: what they accept and refuse, with our messages. */
import { describe, expect, it } from 'vitest';
import { FleetValidationError } from './errors.ts';
import { parseFleet } from './parse.ts';
import { defaultFleetDocument, east } from './testing/invalid-fleets.ts';

function issuesFor(mutate: (f: ReturnType<typeof defaultFleetDocument>) => void): string[] {
  const document = defaultFleetDocument();
  mutate(document);
  try {
    parseFleet(document);
    return [];
  } catch (error) {
    if (!(error instanceof FleetValidationError)) throw error;
    return error.issues.map((i) => `${i.path}: ${i.expected}`);
  }
}

const ILB = 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp';
const SPOKE = 'regions.eastus2.clusters[0].spoke.addressSpace';

describe('address formats', () => {
  it.each(['010.243.4.4', '10.243.4', '10.243.4.256', '10.243.4.4/28', ' 10.243.4.4', '::1'])(
    'refuses the IPv4 address %j',
    (value) => {
      expect(issuesFor((f) => void (east(f).ingress.internalLoadBalancerIp = value))).toContain(
        `${ILB}: an IPv4 address like 10.243.4.4`,
      );
    },
  );

  it.each(['10.243.0.0', '10.243.0.0/33', '10.243.0.0/08', '10.243.0/16', '10.243.0.0/16 '])(
    'refuses the CIDR %j',
    (value) => {
      expect(issuesFor((f) => void (east(f).spoke.addressSpace = value))).toContain(
        `${SPOKE}: an IPv4 CIDR like 10.243.0.0/16`,
      );
    },
  );

  it.each(['00000000-0000-0000-0000-00000000000', 'not-a-guid', '{00000000-0000-0000-0000-000000000001}'])(
    'refuses the GUID %j',
    (value) => {
      expect(issuesFor((f) => void (east(f).entra.tenantId = value))).toContain(
        'regions.eastus2.clusters[0].entra.tenantId: a GUID like 00000000-0000-0000-0000-000000000000',
      );
    },
  );

  it('accepts the default fleet (positive control)', () => {
    expect(issuesFor(() => {})).toStrictEqual([]);
  });
});
