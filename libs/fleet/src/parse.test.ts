import { describe, expect, it } from 'vitest';
import { FleetValidationError, formatIssue, type FleetIssue } from './errors.ts';
import { loadFleet } from './load.ts';
import { backendHostname, clustersOf } from './names.ts';
import { parseFleet } from './parse.ts';
import type { Fleet } from './schema.ts';
import { central, defaultFleetDocument, east, INVALID_FLEETS } from './testing/invalid-fleets.ts';


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
    expect(clustersOf(fleet.spec).map(({ region, cluster }) => [region, cluster.instance, cluster.spoke.addressSpace, cluster.spoke.subnets, cluster.ingress.internalLoadBalancerIp])).toStrictEqual([
      ['eastus2', '03', '10.243.0.0/16', { nodes: '10.243.0.0/22', ingress: '10.243.4.0/28', appGateway: '10.243.5.0/24' }, '10.243.4.4'],
      ['centralus', '04', '10.244.0.0/16', { nodes: '10.244.0.0/22', ingress: '10.244.4.0/28', appGateway: '10.244.5.0/24' }, '10.244.4.4'],
    ]);
    expect(backendHostname(fleet.spec)).toBe('bu0001a0042.aks-ingress.contoso.com');
  });

  it('holds the cluster content settings: Traefik v3 from the fleet registry, the ingress namespace, identities and groups', () => {
    const { fleet } = loadFleet();
    expect(fleet.spec.ingressController).toStrictEqual({ namespace: 'traefik-ingress', image: { repository: 'library/traefik', tag: 'v3.7.11' }, replicas: 2 });
    expect(fleet.spec.workload.healthPath).toBe('/healthz');
    expect(fleet.spec.workload.resources).toStrictEqual({ requests: { cpuMillicores: 50, memoryMiB: 128 }, limits: { cpuMillicores: 100, memoryMiB: 256 } });
    expect(clustersOf(fleet.spec).map(({ cluster }) => [cluster.workloadIdentity, cluster.entra.operatorGroupObjectId, cluster.entra.readerGroupObjectId])).toStrictEqual([
      [{}, '00000000-0000-0000-0003-000000000010', '00000000-0000-0000-0003-000000000020'],
      [{}, '00000000-0000-0000-0004-000000000010', '00000000-0000-0000-0004-000000000020'],
    ]);
  });

  it('defaults the ingress controller and the workload settings a fleet leaves out', () => {
    const document = defaultFleetDocument() as unknown as { spec: Record<string, unknown> & { workload: Record<string, unknown>; regions: Record<string, { clusters: Array<Record<string, unknown>> }> } };
    delete document.spec.ingressController;
    delete document.spec.workload.healthPath;
    delete document.spec.workload.resources;
    delete document.spec.regions.eastus2!.clusters[0]!.workloadIdentity;
    const fleet = parseFleet(document);
    expect(fleet.spec.ingressController).toStrictEqual({ namespace: 'traefik-ingress', image: { repository: 'library/traefik', tag: 'v3.7.11' }, replicas: 2 });
    expect(fleet.spec.workload.healthPath).toBe('/healthz');
    expect(fleet.spec.workload.resources.limits).toStrictEqual({ cpuMillicores: 100, memoryMiB: 256 });
    expect(east(fleet as Fleet).workloadIdentity).toStrictEqual({});
  });

  it('accepts a partial ingress controller and fills in the rest', () => {
    const document = defaultFleetDocument() as unknown as { spec: { ingressController: unknown } };
    document.spec.ingressController = { replicas: 3 };
    expect(parseFleet(document).spec.ingressController).toStrictEqual({ namespace: 'traefik-ingress', image: { repository: 'library/traefik', tag: 'v3.7.11' }, replicas: 3 });
  });

  it('applies defaults and freezes the parsed model', () => {
    const { fleet } = loadFleet();
    expect(east(fleet as Fleet).frontDoor).toStrictEqual({ priority: 1, weight: 50 });
    expect(central(fleet as Fleet).workload.canary).toStrictEqual({ replicas: 1 });
    expect(Object.isFrozen(fleet.spec.regions)).toBe(true);
  });
});

describe('parseFleet rejects invalid fleets with the field path, the value, what was expected and the fix', () => {
  it('has at least 20 distinct invalid cases', () => {
    expect(new Set(INVALID_FLEETS.map((c) => c.path)).size).toBeGreaterThanOrEqual(20);
  });

  it.each(INVALID_FLEETS)('fails on $name', ({ mutate, path, expect: expected }) => {
    const issues = issuesOf(mutate);
    const match = issues.find((issue) => issue.path === path);
    expect(match, `no issue at ${path}; got:\n${issues.map(formatIssue).join('\n')}`).toBeDefined();
    expect(match!.expected).toMatch(expected);
    expect(match!.fix.length).toBeGreaterThan(5);
    expect(formatIssue(match!)).toContain(`${path}: got `);
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
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['regions.eastus2.clusters[0].kubernetesVersion', 'regions.centralus.clusters[0].zone']));
  });

  it('suggests the region name a typo was meant to be', () => {
    const [issue] = issuesOf((f) => {
      f.spec.sharedServices.location = 'EastUS2';
    });
    expect(issue!.fix).toBe('did you mean eastus2?');
  });
});
