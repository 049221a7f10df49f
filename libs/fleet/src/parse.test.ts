import { describe, expect, it } from 'vitest';
import { FleetValidationError, formatIssue, type FleetIssue } from './errors.ts';
import { DEFAULT_KUBERNETES_MINOR, longTermSupportMinors, standardSupportMinors } from './kubernetes-support.ts';
import { loadFleet } from './load.ts';
import { backendHostname, clustersOf } from './names.ts';
import { parseFleet } from './parse.ts';
import type { Fleet } from './schema.ts';
import { generateFleet } from './testing/generated-fleet.ts';
import { central, defaultFleetDocument, east, INVALID_FLEETS } from './testing/invalid-fleets.ts';
import { moveHub, moveSpoke, threeRegionDocument } from './testing/region-clone.ts';

function issuesOf(mutate: (fleet: Fleet) => void): FleetIssue[] {
  const document = defaultFleetDocument();
  mutate(document);
  try {
    parseFleet(document);
  } catch (error) {
    expect(error).toBeInstanceOf(FleetValidationError);
    return [...(error as FleetValidationError).issues];
  }
  throw new Error('expected the fleet to be rejected');
}

describe('the embedded default fleet', () => {
  it('is the reference implementation: two regions, instances 03 and 04, its address plan and ILB IPs', () => {
    const { fleet } = loadFleet();
    expect(fleet.apiVersion).toBe('fleet.aks-fleet.io/v1alpha1');
    expect(fleet.spec.organization.appId).toBe('BU0001A0042');
    expect(fleet.spec.dns.domain).toBe('contoso.com');
    expect(Object.keys(fleet.spec.regions)).toEqual(['eastus2', 'centralus']);
    expect(fleet.spec.regions.eastus2!.hub.addressSpace).toBe('10.200.3.0/24');
    expect(fleet.spec.regions.centralus!.hub.addressSpace).toBe('10.200.4.0/24');
    expect(
      clustersOf(fleet.spec).map(({ region, cluster }) => [
        region,
        cluster.instance,
        cluster.spoke.addressSpace,
        cluster.spoke.subnets,
        cluster.ingress.internalLoadBalancerIp,
      ]),
    ).toStrictEqual([
      [
        'eastus2',
        '03',
        '10.243.0.0/16',
        {
          nodes: '10.243.0.0/22',
          ingress: '10.243.4.0/28',
          appGateway: '10.243.5.0/24',
          privateEndpoints: '10.243.4.32/28',
        },
        '10.243.4.4',
      ],
      [
        'centralus',
        '04',
        '10.244.0.0/16',
        {
          nodes: '10.244.0.0/22',
          ingress: '10.244.4.0/28',
          appGateway: '10.244.5.0/24',
          privateEndpoints: '10.244.4.32/28',
        },
        '10.244.4.4',
      ],
    ]);
    expect(backendHostname(fleet.spec)).toBe('bu0001a0042.aks-ingress.contoso.com');
  });

  it('holds the cluster content settings: Traefik v3 from the fleet registry, the ingress namespace, identities and groups', () => {
    const { fleet } = loadFleet();
    expect(fleet.spec.ingressController).toStrictEqual({
      namespace: 'traefik-ingress',
      image: { repository: 'library/traefik', tag: 'v3.7.11' },
      replicas: 2,
    });
    expect(fleet.spec.workload.healthPath).toBe('/healthz');
    expect(fleet.spec.workload.resources).toStrictEqual({
      requests: { cpuMillicores: 50, memoryMiB: 128 },
      limits: { cpuMillicores: 100, memoryMiB: 256 },
    });
    expect(
      clustersOf(fleet.spec).map(({ cluster }) => [
        cluster.workloadIdentity,
        cluster.entra.operatorGroupObjectId,
        cluster.entra.readerGroupObjectId,
      ]),
    ).toStrictEqual([
      [{}, '00000000-0000-0000-0003-000000000010', '00000000-0000-0000-0003-000000000020'],
      [{}, '00000000-0000-0000-0004-000000000010', '00000000-0000-0000-0004-000000000020'],
    ]);
  });

  it('defaults the ingress controller and the workload settings a fleet leaves out', () => {
    const document = defaultFleetDocument() as unknown as {
      spec: Record<string, unknown> & {
        workload: Record<string, unknown>;
        regions: Record<string, { clusters: Array<Record<string, unknown>> }>;
      };
    };
    delete document.spec.ingressController;
    delete document.spec.workload.healthPath;
    delete document.spec.workload.resources;
    delete document.spec.regions.eastus2!.clusters[0]!.workloadIdentity;
    const fleet = parseFleet(document);
    expect(fleet.spec.ingressController).toStrictEqual({
      namespace: 'traefik-ingress',
      image: { repository: 'library/traefik', tag: 'v3.7.11' },
      replicas: 2,
    });
    expect(fleet.spec.workload.healthPath).toBe('/healthz');
    expect(fleet.spec.workload.resources.limits).toStrictEqual({ cpuMillicores: 100, memoryMiB: 256 });
    expect(east(fleet as Fleet).workloadIdentity).toStrictEqual({});
  });

  it('accepts a partial ingress controller and fills in the rest', () => {
    const document = defaultFleetDocument() as unknown as { spec: { ingressController: unknown } };
    document.spec.ingressController = { replicas: 3 };
    expect(parseFleet(document).spec.ingressController).toStrictEqual({
      namespace: 'traefik-ingress',
      image: { repository: 'library/traefik', tag: 'v3.7.11' },
      replicas: 3,
    });
  });

  it('applies defaults and freezes the parsed model', () => {
    const { fleet } = loadFleet();
    expect(east(fleet as Fleet).frontDoor).toStrictEqual({ priority: 1, weight: 50 });
    expect(central(fleet as Fleet).workload.canary).toStrictEqual({ replicas: 1 });
    expect(Object.isFrozen(fleet.spec.regions)).toBe(true);
  });
});

describe('parseFleet rejects invalid fleets with the field path, the value, what was expected and the fix', () => {
  it('has at least 80 named invalid fleets over at least 60 distinct paths', () => {
    expect(new Set(INVALID_FLEETS.map((c) => c.name)).size).toBe(INVALID_FLEETS.length);
    expect(INVALID_FLEETS.length).toBeGreaterThanOrEqual(80);
    expect(new Set(INVALID_FLEETS.map((c) => c.path)).size).toBeGreaterThanOrEqual(60);
  });

  it.each(INVALID_FLEETS)('fails on $name with exactly one error', ({ mutate, path, expect: expected }) => {
    const issues = issuesOf(mutate);
    // One mistake, one error: no second finding derived from the same mistake (issue 14).
    expect(
      issues.map((issue) => issue.path),
      issues.map(formatIssue).join('\n'),
    ).toStrictEqual([path]);
    const match = issues[0];
    expect(match!.expected).toMatch(expected);
    expect(match!.fix.length).toBeGreaterThan(5);
    // One line naming the path, the value as given, what was expected and the fix.
    const line = formatIssue(match!);
    expect(line).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: got .+; expected .+ — fix: .+`));
    expect(/required/.test(match!.expected) || !line.includes('got (missing)'), line).toBe(true);
  });

  it('reports a structural error and the cross-field errors of the parts that did parse together', () => {
    const issues = issuesOf((f) => {
      east(f).kubernetesVersion = 130 as unknown as string; // structure: the east cluster does not parse
      central(f).ingress.internalLoadBalancerIp = '10.244.9.4'; // cross-field, in a cluster that parses
      f.spec.regions.eastus2!.hub.subnets.bastion = '10.200.3.128/27'; // cross-field, in a hub that parses
      f.spec.workload.resources.requests.cpuMillicores = 500; // cross-field, in the workload
      (f.spec.dns as { domain: unknown }).domain = 7; // structure elsewhere
    });
    expect(issues.map((i) => i.path).sort()).toStrictEqual([
      'dns.domain',
      'regions.centralus.clusters[0].ingress.internalLoadBalancerIp',
      'regions.eastus2.clusters[0].kubernetesVersion',
      'regions.eastus2.hub.subnets.bastion',
      'workload.resources.requests.cpuMillicores',
    ]);
  });

  it('does not invent errors for parts that failed: a region that is not a mapping is one error, not "no regions"', () => {
    const issues = issuesOf((f) => {
      (f.spec.regions as Record<string, unknown>).eastus2 = 5;
      (f.spec.regions as Record<string, unknown>).centralus = 'hub';
    });
    expect(issues.map((i) => i.path).sort()).toStrictEqual(['regions.centralus', 'regions.eastus2']);
  });

  it.each([
    ['a user only', 'https://git@github.com/contoso/aks-fleet', /^remove "user@" from the URL/],
    ['user and token', 'https://flux:ghp_secret123@github.com/contoso/aks-fleet', /^remove "user:token@" from the URL/],
    ['ssh with a password', 'ssh://git:secret@github.com/contoso/aks-fleet', /^remove "user:token@" from the URL/],
  ])('a Git URL with %s: one error whose fix says what to do, not the expectation again', (_name, url, fix) => {
    const issues = issuesOf((f) => {
      f.spec.gitSource.url = url;
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.fix).toMatch(fix);
    expect(issues[0]!.fix).not.toContain(issues[0]!.expected);
  });

  it('never repeats a credential from a URL in an error', () => {
    const issues = issuesOf((f) => {
      f.spec.gitSource.url = 'https://flux:ghp_secret123@github.com/contoso/aks-fleet';
    });
    const text = issues.map(formatIssue).join('\n') + JSON.stringify(issues);
    expect(text).toContain('https://***@github.com/contoso/aks-fleet');
    expect(text).not.toContain('ghp_secret123');
    const plainHttp = issuesOf((f) => {
      f.spec.gitSource.url = 'http://flux:ghp_secret123@github.com/contoso/aks-fleet';
    });
    expect(plainHttp.map(formatIssue).join('\n') + JSON.stringify(plainHttp)).not.toContain('ghp_secret123');
  });

  it('accepts long cluster names whose derived names fit, in different regions even when they share a prefix', () => {
    const document = defaultFleetDocument();
    east(document).name = `${'a'.repeat(53)}-1`;
    central(document).name = `${'a'.repeat(53)}-2`;
    expect(() => parseFleet(document)).not.toThrow();
  });

  it('keeps the service network defaults and accepts another range that overlaps no VNet', () => {
    const document = defaultFleetDocument();
    expect(east(document).network).toStrictEqual({ serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.16.0.10' });
    east(document).network = { serviceCidr: '10.0.0.0/16', dnsServiceIp: '10.0.0.10' };
    expect(east(parseFleet(document) as Fleet).network.serviceCidr).toBe('10.0.0.0/16');
  });

  it('reports every error of a document together, not just the first', () => {
    const issues = issuesOf((f) => {
      east(f).nodePools.user.minCount = 9;
      central(f).ingress.internalLoadBalancerIp = '10.244.4.0';
      f.spec.sharedServices.location = 'mars';
    });
    expect(issues.map((i) => i.path).sort()).toStrictEqual([
      'regions.centralus.clusters[0].ingress.internalLoadBalancerIp',
      'regions.eastus2.clusters[0].nodePools.user.minCount',
      'sharedServices.location',
    ]);
  });

  it('reports all structural errors together too', () => {
    const issues = issuesOf((f) => {
      east(f).kubernetesVersion = 130 as unknown as string;
      (central(f) as unknown as Record<string, unknown>).zone = '1';
    });
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['regions.eastus2.clusters[0].kubernetesVersion', 'regions.centralus.clusters[0].zone']),
    );
  });

  it('suggests the region name a typo was meant to be', () => {
    const [issue] = issuesOf((f) => {
      f.spec.sharedServices.location = 'EastUS2';
    });
    expect(issue!.fix).toBe('did you mean eastus2?');
  });
});

describe('Kubernetes version support (kubernetes-support.ts)', () => {
  const withCluster = (values: Partial<Fleet['spec']['regions'][string]['clusters'][number]>) => {
    const document = defaultFleetDocument();
    Object.assign(east(document), values);
    return parseFleet(document);
  };

  it('accepts every minor in standard support on the table date, minor or patch', () => {
    for (const minor of standardSupportMinors()) {
      expect(() => withCluster({ kubernetesVersion: minor })).not.toThrow();
      expect(() => withCluster({ kubernetesVersion: `${minor}.3` })).not.toThrow();
    }
    expect(standardSupportMinors()).toContain(DEFAULT_KUBERNETES_MINOR);
  });

  it('accepts a minor past standard support only with explicit long-term support (Premium + AKSLongTermSupport)', () => {
    const lts = longTermSupportMinors().filter((m) => !standardSupportMinors().includes(m));
    expect(lts).toStrictEqual(['1.31', '1.32', '1.33']);
    for (const minor of lts) {
      const fleet = withCluster({ kubernetesVersion: minor, tier: 'Premium', supportPlan: 'AKSLongTermSupport' });
      expect(clustersOf(fleet.spec)[0]!.cluster.supportPlan).toBe('AKSLongTermSupport');
      expect(() => withCluster({ kubernetesVersion: minor })).toThrow(FleetValidationError);
    }
  });

  it('reads support from the table date, not the clock', () => {
    expect(standardSupportMinors('2026-12-01')).toStrictEqual(['1.35', '1.36', '1.37']);
    expect(longTermSupportMinors('2026-12-01')).not.toContain('1.31');
  });
});

describe('VM sizes: one table (capacity/vm-sizes.ts) is what the model accepts', () => {
  it('accepts the default fleet, the three-region test fleet and a generated fleet of every Azure region', () => {
    expect(() => parseFleet(defaultFleetDocument())).not.toThrow();
    expect(() => parseFleet(threeRegionDocument())).not.toThrow();
    expect(() => parseFleet(generateFleet(60))).not.toThrow();
  });

  it('fails on a misspelled size with the nearest listed size and how to add a real one', () => {
    const [issue] = issuesOf((f) => {
      east(f).nodePools.user.vmSize = 'Standard_DS3v2';
    });
    expect(issue!.fix).toBe(
      'did you mean Standard_DS3_v2? use a size listed in libs/fleet/src/capacity/vm-sizes.ts; or — if ' +
        'Standard_DS3v2 is a real Azure size the table lacks — add it (vCPUs, memory) to that table in your fork',
    );
  });

  it('names no size when none is close', () => {
    const issues = issuesOf((f) => {
      east(f).nodePools.system.vmSize = 'Standard_NC96ads_A100_v4';
    });
    expect(issues.map((i) => i.path)).toStrictEqual(['regions.eastus2.clusters[0].nodePools.system.vmSize']);
    expect(issues[0]!.fix).toMatch(/^use a size listed in libs\/fleet\/src\/capacity\/vm-sizes\.ts; or — if /);
  });
});

describe('fixes that fit the fleet', () => {
  it("a duplicate cluster name: the rename follows the fleet's own naming pattern", () => {
    const [issue] = issuesOf((f) => {
      central(f).name = east(f).name;
    });
    expect(issue!.fix).toBe("rename this cluster to bu0001a0042-04, after the fleet's names (bu0001a0042-<instance>)");
  });

  it('a duplicate cluster name in a fleet without a naming pattern: no invented example', () => {
    const [issue] = issuesOf((f) => {
      east(f).name = 'alpha';
      central(f).name = 'alpha';
    });
    expect(issue!.fix).toBe('rename this cluster: every cluster of the fleet needs a name of its own');
  });

  it('a hub moved onto another hub with its subnets: the next free range of its size, for a hub', () => {
    const issues = issuesOf((f) => {
      moveHub(f.spec.regions.centralus!.hub, '10.200.3.0/24');
    });
    expect(issues.map((i) => [i.path, i.fix])).toStrictEqual([
      [
        'regions.centralus.hub.addressSpace',
        'give this hub a range of its own, e.g. 10.200.4.0/24 (the next free /24), and move its subnets into it',
      ],
    ]);
  });

  it('a spoke moved onto another spoke with its subnets: the next free /16', () => {
    const issues = issuesOf((f) => {
      moveSpoke(central(f), '10.243.0.0/16');
    });
    expect(issues.map((i) => [i.path, i.fix])).toStrictEqual([
      [
        'regions.centralus.clusters[0].spoke.addressSpace',
        "give this cluster's spoke a range of its own, e.g. 10.244.0.0/16 (the next free /16), and move its subnets into it",
      ],
    ]);
  });
});
