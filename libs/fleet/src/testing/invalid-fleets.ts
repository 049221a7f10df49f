/**
 * Shared test data: the default fleet as a mutable document, and invalid fleets (each a mutation of it) with the
 * path and the expectation of the error it must produce. Used by the model's tests and the CLI's.
 */
import { loadFleet } from '../load.ts';
import type { Fleet } from '../schema.ts';
import { moveHub, moveSpoke } from './region-clone.ts';

/** A mutable deep copy of the embedded default fleet (one whole document). */
export function defaultFleetDocument(): Fleet {
  return structuredClone(loadFleet().fleet) as Fleet;
}

export const east = (f: Fleet) => f.spec.regions.eastus2!.clusters[0]!;
export const central = (f: Fleet) => f.spec.regions.centralus!.clusters[0]!;

/** Adds a copy of the first cluster to `region` with its own name, instance and spoke 10.<octet>.0.0/16. */
export function addCluster(f: Fleet, region: string, name: string, instance: string, octet: number): void {
  const copy = structuredClone(east(f));
  copy.name = name;
  copy.instance = instance;
  moveSpoke(copy, `10.${octet}.0.0/16`);
  f.spec.regions[region]!.clusters.push(copy);
}

/** Sets a key on a map as an own, enumerable property, even `__proto__` (plain assignment would set the prototype). */
function setKey(map: object, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Replaces a region by one with the same content under another key. */
function renameRegion(f: Fleet, from: string, to: string): void {
  const region = f.spec.regions[from];
  delete f.spec.regions[from];
  setKey(f.spec.regions, to, region);
}

type Doc = Record<string, unknown>;
const raw = (value: unknown) => value as Doc;

/**
 * Invalid fleets: each mutation of the default fleet is ONE mistake and must be rejected with exactly one error, at
 * the given path (the model's tests and the CLI's assert both). `expect` is a fragment of the "expected …" text of
 * that error.
 */
export const INVALID_FLEETS: ReadonlyArray<{ name: string; mutate: (f: Fleet) => void; path: string; expect: RegExp }> =
  [
    {
      name: 'duplicate cluster names',
      mutate: (f) => {
        central(f).name = east(f).name;
      },
      path: 'regions.centralus.clusters[0].name',
      expect: /unique in the fleet/,
    },
    {
      name: 'duplicate (region, instance)',
      mutate: (f) => addCluster(f, 'eastus2', 'bu0001a0042-05', east(f).instance, 245),
      path: 'regions.eastus2.clusters[1].instance',
      expect: /unique within region eastus2/,
    },
    {
      name: 'overlapping spokes',
      mutate: (f) => {
        central(f).spoke = structuredClone(east(f).spoke);
        central(f).ingress.internalLoadBalancerIp = '10.243.4.4';
      },
      path: 'regions.centralus.clusters[0].spoke.addressSpace',
      expect: /overlaps regions\.eastus2\.clusters\[0\]\.spoke\.addressSpace/,
    },
    {
      name: 'hub overlapping a spoke',
      mutate: (f) => {
        moveHub(f.spec.regions.centralus!.hub, '10.243.200.0/24');
      },
      path: 'regions.centralus.hub.addressSpace',
      expect: /overlaps regions\.eastus2\.clusters\[0\]\.spoke\.addressSpace/,
    },
    {
      name: 'subnet outside its VNet',
      mutate: (f) => {
        east(f).spoke.subnets.appGateway = '10.250.5.0/24';
      },
      path: 'regions.eastus2.clusters[0].spoke.subnets.appGateway',
      expect: /inside the address space 10\.243\.0\.0\/16/,
    },
    {
      name: 'overlapping subnets',
      mutate: (f) => {
        east(f).spoke.subnets.ingress = '10.243.3.0/28';
        east(f).ingress.internalLoadBalancerIp = '10.243.3.4';
      },
      path: 'regions.eastus2.clusters[0].spoke.subnets.ingress',
      expect: /does not overlap regions\.eastus2\.clusters\[0\]\.spoke\.subnets\.nodes/,
    },
    {
      name: 'hub subnets overlapping',
      mutate: (f) => {
        f.spec.regions.eastus2!.hub.subnets.gateway = '10.200.3.32/27';
      },
      path: 'regions.eastus2.hub.subnets.gateway',
      expect: /does not overlap regions\.eastus2\.hub\.subnets\.firewall/,
    },
    {
      name: 'ILB IP outside the ingress subnet',
      mutate: (f) => {
        east(f).ingress.internalLoadBalancerIp = '10.243.5.4';
      },
      path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp',
      expect: /inside spoke\.subnets\.ingress \(10\.243\.4\.0\/28\)/,
    },
    {
      name: 'ILB IP is the network address',
      mutate: (f) => {
        east(f).ingress.internalLoadBalancerIp = '10.243.4.0';
      },
      path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp',
      expect: /Azure reserves/,
    },
    {
      name: 'ILB IP is Azure-reserved .1',
      mutate: (f) => {
        east(f).ingress.internalLoadBalancerIp = '10.243.4.1';
      },
      path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp',
      expect: /Azure reserves/,
    },
    {
      name: 'ILB IP is the broadcast address',
      mutate: (f) => {
        east(f).ingress.internalLoadBalancerIp = '10.243.4.15';
      },
      path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp',
      expect: /Azure reserves/,
    },
    {
      name: 'unknown Azure region',
      mutate: (f) => {
        f.spec.regions['eastus-2'] = f.spec.regions.eastus2!;
        delete f.spec.regions.eastus2;
      },
      path: 'regions.eastus-2',
      expect: /known Azure region/,
    },
    {
      name: 'unknown shared-services region',
      mutate: (f) => {
        f.spec.sharedServices.location = 'East US 2';
      },
      path: 'sharedServices.location',
      expect: /known Azure region/,
    },
    {
      name: 'node pool min > max',
      mutate: (f) => {
        east(f).nodePools.user.minCount = 6;
      },
      path: 'regions.eastus2.clusters[0].nodePools.user.minCount',
      expect: /minCount <= maxCount \(5\)/,
    },
    {
      name: 'duplicate zones',
      mutate: (f) => {
        east(f).nodePools.system.zones = ['1', '1'];
      },
      path: 'regions.eastus2.clusters[0].nodePools.system.zones',
      expect: /each zone listed once/,
    },
    {
      name: 'Kubernetes version with a v prefix',
      mutate: (f) => {
        east(f).kubernetesVersion = 'v1.35';
      },
      path: 'regions.eastus2.clusters[0].kubernetesVersion',
      expect: /like "1\.35"/,
    },
    {
      name: 'Kubernetes version out of AKS support',
      mutate: (f) => {
        east(f).kubernetesVersion = '1.12';
      },
      path: 'regions.eastus2.clusters[0].kubernetesVersion',
      expect: /a minor in AKS standard support: 1\.34, 1\.35, 1\.36, 1\.37/,
    },
    {
      name: 'Kubernetes version out of standard support without LTS',
      mutate: (f) => {
        east(f).kubernetesVersion = '1.30';
      },
      path: 'regions.eastus2.clusters[0].kubernetesVersion',
      expect: /AKS standard support/,
    },
    {
      name: 'Kubernetes version past long-term support',
      mutate: (f) => {
        Object.assign(east(f), { kubernetesVersion: '1.29', tier: 'Premium', supportPlan: 'AKSLongTermSupport' });
      },
      path: 'regions.eastus2.clusters[0].kubernetesVersion',
      expect: /under AKS long-term support: 1\.31/,
    },
    {
      name: 'long-term support on the Standard tier',
      mutate: (f) => {
        Object.assign(east(f), { kubernetesVersion: '1.32', supportPlan: 'AKSLongTermSupport' });
      },
      path: 'regions.eastus2.clusters[0].tier',
      expect: /tier Premium/,
    },
    {
      name: 'private endpoints subnet too small',
      mutate: (f) => {
        east(f).spoke.subnets.privateEndpoints = '10.243.4.32/29';
      },
      path: 'regions.eastus2.clusters[0].spoke.subnets.privateEndpoints',
      expect: /\/28 or larger/,
    },
    {
      name: 'private endpoints subnet overlapping the ingress subnet',
      mutate: (f) => {
        east(f).spoke.subnets.privateEndpoints = '10.243.4.0/28';
      },
      path: 'regions.eastus2.clusters[0].spoke.subnets.privateEndpoints',
      expect: /does not overlap regions\.eastus2\.clusters\[0\]\.spoke\.subnets\.ingress/,
    },
    {
      name: 'private endpoints subnet outside its VNet',
      mutate: (f) => {
        east(f).spoke.subnets.privateEndpoints = '10.250.4.32/28';
      },
      path: 'regions.eastus2.clusters[0].spoke.subnets.privateEndpoints',
      expect: /inside the address space 10\.243\.0\.0\/16/,
    },
    {
      name: 'CIDR with host bits',
      mutate: (f) => {
        east(f).spoke.addressSpace = '10.243.0.1/16';
      },
      path: 'regions.eastus2.clusters[0].spoke.addressSpace',
      expect: /host bits are zero/,
    },
    {
      name: 'malformed CIDR',
      mutate: (f) => {
        east(f).spoke.subnets.nodes = '10.243.0.0/33';
      },
      path: 'regions.eastus2.clusters[0].spoke.subnets.nodes',
      expect: /IPv4 CIDR/,
    },
    {
      name: 'image :latest',
      mutate: (f) => {
        f.spec.workload.image = 'mcr.microsoft.com/dotnet/samples:latest';
      },
      path: 'workload.image',
      expect: /pinned tag/,
    },
    {
      name: 'image without a tag',
      mutate: (f) => {
        central(f).workload.image = 'mcr.microsoft.com/dotnet/samples';
      },
      path: 'regions.centralus.clusters[0].workload.image',
      expect: /registry\/repository:tag/,
    },
    {
      name: 'misspelled field',
      mutate: (f) => {
        (east(f) as unknown as Record<string, unknown>).kubernetesVerison = '1.30';
      },
      path: 'regions.eastus2.clusters[0].kubernetesVerison',
      expect: /unknown field/,
    },
    {
      name: 'missing required field',
      mutate: (f) => {
        delete (east(f) as Partial<typeof east>)['instance' as never];
      },
      path: 'regions.eastus2.clusters[0].instance',
      expect: /required/,
    },
    {
      name: 'wrong type',
      mutate: (f) => {
        (f.spec.workload as unknown as Record<string, unknown>).replicas = 'two';
      },
      path: 'workload.replicas',
      expect: /number/,
    },
    {
      name: 'wrong apiVersion',
      mutate: (f) => {
        (f as unknown as Record<string, unknown>).apiVersion = 'fleet.aks-fleet.io/v1';
      },
      path: 'apiVersion',
      expect: /"fleet\.aks-fleet\.io\/v1alpha1"/,
    },
    {
      name: 'reserved workload namespace',
      mutate: (f) => {
        f.spec.workload.namespace = 'kube-system';
      },
      path: 'workload.namespace',
      expect: /not one of/,
    },
    {
      name: 'cluster name not a DNS label',
      mutate: (f) => {
        east(f).name = 'BU0001A0042_03';
      },
      path: 'regions.eastus2.clusters[0].name',
      expect: /DNS-1123 label/,
    },
    {
      name: 'firewall subnet too small',
      mutate: (f) => {
        f.spec.regions.eastus2!.hub.subnets.firewall = '10.200.3.0/27';
      },
      path: 'regions.eastus2.hub.subnets.firewall',
      expect: /\/26 or larger/,
    },
    {
      name: 'region without clusters',
      mutate: (f) => {
        f.spec.regions.centralus!.clusters = [];
      },
      path: 'regions.centralus.clusters',
      expect: /at least one cluster/,
    },
    {
      name: 'Git source over plain http',
      mutate: (f) => {
        f.spec.gitSource.url = 'http://github.com/contoso/aks-fleet';
      },
      path: 'gitSource.url',
      expect: /https:\/\//,
    },
    {
      name: 'Git token in the URL',
      mutate: (f) => {
        f.spec.gitSource.url = 'https://git:ghp_secret@github.com/contoso/aks-fleet';
      },
      path: 'gitSource.url',
      expect: /without credentials/,
    },
    {
      name: 'ssh URL without ssh auth',
      mutate: (f) => {
        f.spec.gitSource.url = 'ssh://git@github.com/contoso/aks-fleet';
      },
      path: 'gitSource.url',
      expect: /auth.kind "ssh"/,
    },
    {
      name: 'ssh auth on an https URL',
      mutate: (f) => {
        f.spec.gitSource.auth = {
          kind: 'ssh',
          knownHosts: ['github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'],
        };
      },
      path: 'gitSource.url',
      expect: /ssh:\/\/ URL/,
    },
    {
      name: 'Git auth with a secret value',
      mutate: (f) => {
        (f.spec.gitSource as Record<string, unknown>).auth = { kind: 'https-token', token: 'ghp_secret' };
      },
      path: 'gitSource.auth.token',
      expect: /unknown field/,
    },
    {
      name: 'Entra tenant not a GUID',
      mutate: (f) => {
        east(f).entra.tenantId = 'contoso.onmicrosoft.com';
      },
      path: 'regions.eastus2.clusters[0].entra.tenantId',
      expect: /GUID/,
    },
    // Azure assigns the identity's client id at deploy time: the model has no field for it (FLUX_SUBSTITUTIONS).
    {
      name: 'ingress identity client id in the model',
      mutate: (f) => {
        (east(f).workloadIdentity as Record<string, unknown>).ingressControllerClientId =
          '00000000-0000-0000-0003-000000000030';
      },
      path: 'regions.eastus2.clusters[0].workloadIdentity.ingressControllerClientId',
      expect: /unknown field/,
    },
    {
      name: 'Traefik tag not v3',
      mutate: (f) => {
        f.spec.ingressController.image.tag = 'v2.11.0';
      },
      path: 'ingressController.image.tag',
      expect: /Traefik v3 release tag/,
    },
    {
      name: 'single ingress controller replica',
      mutate: (f) => {
        f.spec.ingressController.replicas = 1;
      },
      path: 'ingressController.replicas',
      expect: /at least 2/,
    },
    {
      name: 'ingress controller in the workload namespace',
      mutate: (f) => {
        f.spec.ingressController.namespace = f.spec.workload.namespace;
      },
      path: 'ingressController.namespace',
      expect: /other than the workload's \(a0042\)/,
    },
    {
      name: 'ingress controller in a reserved namespace',
      mutate: (f) => {
        f.spec.ingressController.namespace = 'kube-system';
      },
      path: 'ingressController.namespace',
      expect: /not one of/,
    },
    {
      name: 'workload CPU request above its limit',
      mutate: (f) => {
        f.spec.workload.resources.requests.cpuMillicores = 150;
      },
      path: 'workload.resources.requests.cpuMillicores',
      expect: /requests <= limits \(100\)/,
    },
    {
      name: 'workload memory limit above the cluster policy',
      mutate: (f) => {
        f.spec.workload.resources.limits.memoryMiB = 1024;
      },
      path: 'workload.resources.limits.memoryMiB',
      expect: /cluster policy denies memory limits above 512Mi/,
    },
    {
      name: 'health path not absolute',
      mutate: (f) => {
        f.spec.workload.healthPath = 'healthz';
      },
      path: 'workload.healthPath',
      expect: /absolute URL path/,
    },
    {
      name: 'user pool too small for failover',
      mutate: (f) => {
        central(f).nodePools.user.maxCount = 5;
      },
      path: 'regions.centralus.clusters[0].nodePools.user.maxCount',
      expect: /at least 2 × the workload's 3 replicas \+ 1 rollout surge \(7\)/,
    },
    {
      name: 'user pool without room for the rollout surge at failover',
      mutate: (f) => {
        central(f).nodePools.user.maxCount = 6;
      },
      path: 'regions.centralus.clusters[0].nodePools.user.maxCount',
      expect: /\+ 1 rollout surge \(7\)/,
    },
    {
      name: 'policy exception without a reason',
      mutate: (f) => {
        f.spec.policyExceptions = [
          { rule: 'security/read-only-root-fs', namespace: 'a0042', name: 'aspnetapp', reason: '' },
        ];
      },
      path: 'policyExceptions[0].reason',
      expect: /reason of at least 10 characters/,
    },

    // 1. Prototype and near-miss names: a key that is a JavaScript built-in must not make a region vanish.
    {
      name: 'region named __proto__',
      mutate: (f) => renameRegion(f, 'centralus', '__proto__'),
      path: 'regions.__proto__',
      expect: /not a JavaScript built-in property/,
    },
    {
      name: 'region named constructor',
      mutate: (f) => renameRegion(f, 'centralus', 'constructor'),
      path: 'regions.constructor',
      expect: /not a JavaScript built-in property/,
    },
    {
      name: 'region named toString',
      mutate: (f) => renameRegion(f, 'centralus', 'toString'),
      path: 'regions.toString',
      expect: /not a JavaScript built-in property/,
    },
    {
      name: 'region named hasOwnProperty',
      mutate: (f) => renameRegion(f, 'eastus2', 'hasOwnProperty'),
      path: 'regions.hasOwnProperty',
      expect: /not a JavaScript built-in property/,
    },
    {
      name: 'region name with spaces',
      mutate: (f) => renameRegion(f, 'eastus2', 'East US 2'),
      path: 'regions.East US 2',
      expect: /known Azure region/,
    },
    {
      name: 'region that is not a mapping',
      mutate: (f) => {
        raw(f.spec.regions).westus3 = 'hub';
      },
      path: 'regions.westus3',
      expect: /object/,
    },
    {
      name: 'region that is null',
      mutate: (f) => {
        raw(f.spec.regions).westus3 = null;
      },
      path: 'regions.westus3',
      expect: /object/,
    },
    {
      name: 'regions as a list',
      mutate: (f) => {
        raw(f.spec).regions = [f.spec.regions.eastus2];
      },
      path: 'regions',
      expect: /record/,
    },
    {
      name: 'clusters not a list',
      mutate: (f) => {
        raw(f.spec.regions.centralus).clusters = central(f);
      },
      path: 'regions.centralus.clusters',
      expect: /array/,
    },
    {
      name: 'a cluster that is null',
      mutate: (f) => {
        raw(f.spec.regions.centralus!.clusters)[1] = null;
      },
      path: 'regions.centralus.clusters[1]',
      expect: /object/,
    },
    {
      name: 'region without a hub',
      mutate: (f) => {
        delete raw(f.spec.regions.centralus).hub;
      },
      path: 'regions.centralus.hub',
      expect: /required/,
    },
    {
      name: 'unknown field __proto__ in a cluster',
      mutate: (f) => setKey(east(f), '__proto__', { polluted: true }),
      path: 'regions.eastus2.clusters[0].__proto__',
      expect: /unknown field|built-in/,
    },

    // 2. Every derived name within its limit; no two clusters deriving the same name.
    {
      name: 'Front Door name too long for its endpoint',
      mutate: (f) => {
        f.spec.sharedServices.frontDoor.name = `afd-${'x'.repeat(50)}`;
      },
      path: 'sharedServices.frontDoor.name',
      expect: /afdEndpoints name .*1–46 characters/,
    },
    {
      name: 'DNS domain label over 63 characters',
      mutate: (f) => {
        f.spec.dns.domain = `${'a'.repeat(64)}.com`;
      },
      path: 'dns.domain',
      expect: /labels of at most 63/,
    },
    {
      name: 'DNS domain over 253 characters',
      mutate: (f) => {
        f.spec.dns.domain = `${Array.from({ length: 5 }, () => 'b'.repeat(50)).join('.')}.com`;
      },
      path: 'dns.domain',
      expect: /at most 253 characters/,
    },
    {
      name: 'canary Deployment name over 63 characters',
      mutate: (f) => {
        f.spec.workload.name = 'w'.repeat(60);
      },
      path: 'workload.name',
      expect: /canary Deployment .* label value of at most 63/,
    },
    {
      name: 'two clusters whose spoke VNet names collide after truncation',
      mutate: (f) => {
        east(f).name = `${'a'.repeat(53)}-1`;
        addCluster(f, 'eastus2', `${'a'.repeat(53)}-2`, '05', 245);
      },
      path: 'regions.eastus2.clusters[1].name',
      expect: /spoke VNet name of its own \(regions\.eastus2\.clusters\[0\] derives the same/,
    },
    {
      name: 'two clusters whose spoke deployment names collide after truncation',
      mutate: (f) => {
        east(f).name = `${'d'.repeat(48)}x1`;
        addCluster(f, 'eastus2', `${'d'.repeat(48)}y2`, '05', 245);
      },
      path: 'regions.eastus2.clusters[1].name',
      expect: /spoke deployment name of its own \(regions\.eastus2\.clusters\[0\] derives the same/,
    },
    {
      name: 'workload name starting with a digit (Service names are RFC 1035 labels)',
      mutate: (f) => {
        f.spec.workload.name = '9app';
      },
      path: 'workload.name',
      expect: /starts with a letter/,
    },
    {
      name: 'cluster name with uppercase',
      mutate: (f) => {
        central(f).name = 'Bu0001a0042-04';
      },
      path: 'regions.centralus.clusters[0].name',
      expect: /DNS-1123 label/,
    },
    {
      name: 'cluster name over 63 characters',
      mutate: (f) => {
        central(f).name = 'c'.repeat(64);
      },
      path: 'regions.centralus.clusters[0].name',
      expect: /at most 63 characters/,
    },
    {
      name: 'fleet name not a DNS label',
      mutate: (f) => {
        f.metadata.name = 'My Fleet';
      },
      path: 'metadata.name',
      expect: /DNS-1123 label/,
    },

    // 3. Address space: reserved ranges, the service network, special subnet sizes, CNI capacity.
    {
      name: 'hub in loopback',
      mutate: (f) => {
        moveHub(f.spec.regions.eastus2!.hub, '127.0.0.0/24');
      },
      path: 'regions.eastus2.hub.addressSpace',
      expect: /outside 127\.0\.0\.0\/8 \(loopback\)/,
    },
    {
      name: 'hub in 0.0.0.0/8',
      mutate: (f) => {
        moveHub(f.spec.regions.eastus2!.hub, '0.0.0.0/24');
      },
      path: 'regions.eastus2.hub.addressSpace',
      expect: /"this network"/,
    },
    {
      name: 'hub holding 168.63.129.16',
      mutate: (f) => {
        moveHub(f.spec.regions.eastus2!.hub, '168.63.129.0/24');
      },
      path: 'regions.eastus2.hub.addressSpace',
      expect: /platform address/,
    },
    {
      name: 'spoke in link-local',
      mutate: (f) => {
        moveSpoke(central(f), '169.254.0.0/16');
      },
      path: 'regions.centralus.clusters[0].spoke.addressSpace',
      expect: /link-local/,
    },
    {
      name: 'spoke in multicast',
      mutate: (f) => {
        moveSpoke(central(f), '224.1.0.0/16');
      },
      path: 'regions.centralus.clusters[0].spoke.addressSpace',
      expect: /multicast/,
    },
    {
      name: 'spoke in 240.0.0.0/4',
      mutate: (f) => {
        moveSpoke(central(f), '240.1.0.0/16');
      },
      path: 'regions.centralus.clusters[0].spoke.addressSpace',
      expect: /reserved for future use/,
    },
    {
      name: "service CIDR overlapping another cluster's spoke",
      mutate: (f) => {
        east(f).network = { serviceCidr: '10.244.0.0/16', dnsServiceIp: '10.244.0.10' };
      },
      path: 'regions.eastus2.clusters[0].network.serviceCidr',
      expect: /overlaps no VNet of the fleet \(overlaps regions\.centralus\.clusters\[0\]\.spoke\.addressSpace/,
    },
    {
      name: 'service CIDR overlapping its own spoke',
      mutate: (f) => {
        east(f).network = { serviceCidr: '10.243.128.0/17', dnsServiceIp: '10.243.128.10' };
      },
      path: 'regions.eastus2.clusters[0].network.serviceCidr',
      expect: /overlaps regions\.eastus2\.clusters\[0\]\.spoke\.addressSpace/,
    },
    {
      name: 'service CIDR overlapping a hub',
      mutate: (f) => {
        central(f).network = { serviceCidr: '10.200.0.0/16', dnsServiceIp: '10.200.0.10' };
      },
      path: 'regions.centralus.clusters[0].network.serviceCidr',
      expect: /overlaps regions\.eastus2\.hub\.addressSpace/,
    },
    {
      name: 'service CIDR in link-local',
      mutate: (f) => {
        east(f).network = { serviceCidr: '169.254.0.0/16', dnsServiceIp: '169.254.0.10' };
      },
      path: 'regions.eastus2.clusters[0].network.serviceCidr',
      expect: /link-local/,
    },
    {
      name: 'service CIDR reserved by AKS (172.30.0.0/16)',
      mutate: (f) => {
        east(f).network = { serviceCidr: '172.30.0.0/16', dnsServiceIp: '172.30.0.10' };
      },
      path: 'regions.eastus2.clusters[0].network.serviceCidr',
      expect: /reserved by AKS/,
    },
    {
      name: 'service CIDR reserved by AKS (192.0.2.0/24)',
      mutate: (f) => {
        east(f).network = { serviceCidr: '192.0.2.0/24', dnsServiceIp: '192.0.2.10' };
      },
      path: 'regions.eastus2.clusters[0].network.serviceCidr',
      expect: /TEST-NET-1/,
    },
    {
      name: 'service CIDR larger than /12',
      mutate: (f) => {
        east(f).network = { serviceCidr: '100.0.0.0/8', dnsServiceIp: '100.0.0.10' };
      },
      path: 'regions.eastus2.clusters[0].network.serviceCidr',
      expect: /\/12 or smaller/,
    },
    {
      name: 'service CIDR with host bits',
      mutate: (f) => {
        east(f).network = { serviceCidr: '172.16.0.1/16', dnsServiceIp: '172.16.0.10' };
      },
      path: 'regions.eastus2.clusters[0].network.serviceCidr',
      expect: /host bits are zero/,
    },
    {
      name: 'service CIDR not a CIDR',
      mutate: (f) => {
        east(f).network = { serviceCidr: 'services', dnsServiceIp: '172.16.0.10' };
      },
      path: 'regions.eastus2.clusters[0].network.serviceCidr',
      expect: /IPv4 CIDR/,
    },
    {
      name: 'DNS service IP outside the service CIDR',
      mutate: (f) => {
        east(f).network = { serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.17.0.10' };
      },
      path: 'regions.eastus2.clusters[0].network.dnsServiceIp',
      expect: /inside network\.serviceCidr/,
    },
    {
      name: 'DNS service IP is the kubernetes API service address',
      mutate: (f) => {
        east(f).network = { serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.16.0.1' };
      },
      path: 'regions.eastus2.clusters[0].network.dnsServiceIp',
      expect: /first address/,
    },
    {
      name: 'DNS service IP is the network address',
      mutate: (f) => {
        east(f).network = { serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.16.0.0' };
      },
      path: 'regions.eastus2.clusters[0].network.dnsServiceIp',
      expect: /network address/,
    },
    {
      name: 'DNS service IP not an address',
      mutate: (f) => {
        east(f).network = { serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.16.0.300' };
      },
      path: 'regions.eastus2.clusters[0].network.dnsServiceIp',
      expect: /IPv4 address/,
    },
    {
      name: 'bastion subnet /27',
      mutate: (f) => {
        f.spec.regions.eastus2!.hub.subnets.bastion = '10.200.3.128/27';
      },
      path: 'regions.eastus2.hub.subnets.bastion',
      expect: /AzureBastionSubnet of \/26 or larger/,
    },
    {
      name: 'gateway subnet /30',
      mutate: (f) => {
        f.spec.regions.eastus2!.hub.subnets.gateway = '10.200.3.64/30';
      },
      path: 'regions.eastus2.hub.subnets.gateway',
      expect: /GatewaySubnet of \/29 or larger/,
    },
    {
      name: 'nodes subnet too small for Azure CNI',
      mutate: (f) => {
        east(f).spoke.subnets.nodes = '10.243.0.0/24';
      },
      path: 'regions.eastus2.clusters[0].spoke.subnets.nodes',
      expect: /at least 408 addresses: 13 nodes/,
    },
    {
      name: 'user pool too large for its nodes subnet',
      mutate: (f) => {
        central(f).nodePools.user.maxCount = 40;
      },
      path: 'regions.centralus.clusters[0].spoke.subnets.nodes',
      expect: /× \(30 pods \+ 1\)/,
    },
    {
      name: 'App Gateway subnet too small',
      mutate: (f) => {
        east(f).spoke.subnets.appGateway = '10.243.5.0/29';
      },
      path: 'regions.eastus2.clusters[0].spoke.subnets.appGateway',
      expect: /10 App Gateway instances/,
    },
    {
      name: 'ILB IP not an address',
      mutate: (f) => {
        east(f).ingress.internalLoadBalancerIp = 'ten';
      },
      path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp',
      expect: /IPv4 address/,
    },

    // 4. Secrets and references.
    {
      name: 'Git URL with user and token',
      mutate: (f) => {
        f.spec.gitSource.url = 'https://flux:ghp_secret123@github.com/contoso/aks-fleet';
      },
      path: 'gitSource.url',
      expect: /without credentials/,
    },
    {
      name: 'ssh Git URL with a password',
      mutate: (f) => {
        f.spec.gitSource.url = 'ssh://git:secret@github.com/contoso/aks-fleet';
      },
      path: 'gitSource.url',
      expect: /without credentials/,
    },
    {
      name: 'Git URL with a user only',
      mutate: (f) => {
        f.spec.gitSource.url = 'https://git@github.com/contoso/aks-fleet';
      },
      path: 'gitSource.url',
      expect: /^an https:\/\/ URL without a user name/,
    },
    {
      name: 'Git URL over ftp',
      mutate: (f) => {
        f.spec.gitSource.url = 'ftp://github.com/contoso/aks-fleet';
      },
      path: 'gitSource.url',
      expect: /https:\/\//,
    },
    {
      name: 'Git branch with a space',
      mutate: (f) => {
        f.spec.gitSource.branch = 'main branch';
      },
      path: 'gitSource.branch',
      expect: /Git branch name/,
    },
    {
      name: 'policy exception naming an unknown rule',
      mutate: (f) => {
        f.spec.policyExceptions = [
          { rule: 'security/no-such-rule', namespace: 'a0042', name: 'aspnetapp', reason: 'a reason long enough' },
        ];
      },
      path: 'policyExceptions[0].rule',
      expect: /a rule that exceptions can name/,
    },
    {
      name: 'policy exception with a misspelled rule',
      mutate: (f) => {
        f.spec.policyExceptions = [
          { rule: 'security/read-only-rootfs', namespace: 'a0042', name: 'aspnetapp', reason: 'a reason long enough' },
        ];
      },
      path: 'policyExceptions[0].rule',
      expect: /security\/read-only-root-fs/,
    },
    {
      name: 'policy exception outside the security rules',
      mutate: (f) => {
        f.spec.policyExceptions = [
          { rule: 'schema/kubernetes', namespace: 'a0042', name: 'aspnetapp', reason: 'a reason long enough' },
        ];
      },
      path: 'policyExceptions[0].rule',
      expect: /security rule id/,
    },

    // 5. Numbers and sizes.
    {
      name: 'replicas infinite',
      mutate: (f) => {
        f.spec.workload.replicas = Infinity;
      },
      path: 'workload.replicas',
      expect: /number|beyond/,
    },
    {
      name: 'node pool maxCount beyond the safe integers',
      mutate: (f) => {
        east(f).nodePools.user.maxCount = 2 ** 60;
      },
      path: 'regions.eastus2.clusters[0].nodePools.user.maxCount',
      expect: /safe|beyond|<=/,
    },
    {
      name: 'Front Door weight NaN',
      mutate: (f) => {
        east(f).frontDoor.weight = NaN;
      },
      path: 'regions.eastus2.clusters[0].frontDoor.weight',
      expect: /number|beyond/,
    },
    {
      name: 'port as a fraction',
      mutate: (f) => {
        f.spec.workload.port = 8080.5;
      },
      path: 'workload.port',
      expect: /int/,
    },
    {
      name: 'port below 1024',
      mutate: (f) => {
        f.spec.workload.port = 80;
      },
      path: 'workload.port',
      expect: />=1024/,
    },
    {
      name: 'node pool minCount 0',
      mutate: (f) => {
        east(f).nodePools.system.minCount = 0;
      },
      path: 'regions.eastus2.clusters[0].nodePools.system.minCount',
      expect: />=1/,
    },
    {
      name: 'too many ingress controller replicas',
      mutate: (f) => {
        f.spec.ingressController.replicas = 11;
      },
      path: 'ingressController.replicas',
      expect: /<=10/,
    },
    {
      name: 'canary with zero replicas',
      mutate: (f) => {
        central(f).workload.canary = { replicas: 0 };
      },
      path: 'regions.centralus.clusters[0].workload.canary.replicas',
      expect: />=1/,
    },
    {
      name: 'Front Door priority 6',
      mutate: (f) => {
        east(f).frontDoor.priority = 6;
      },
      path: 'regions.eastus2.clusters[0].frontDoor.priority',
      expect: /<=5/,
    },
    {
      name: 'Front Door weight 0',
      mutate: (f) => {
        east(f).frontDoor.weight = 0;
      },
      path: 'regions.eastus2.clusters[0].frontDoor.weight',
      expect: />=1/,
    },
    {
      name: 'workload CPU limit above the cluster policy',
      mutate: (f) => {
        f.spec.workload.resources.limits.cpuMillicores = 2000;
      },
      path: 'workload.resources.limits.cpuMillicores',
      expect: /cluster policy denies CPU limits/,
    },
    {
      name: 'workload memory request above its limit',
      mutate: (f) => {
        f.spec.workload.resources.requests.memoryMiB = 300;
      },
      path: 'workload.resources.requests.memoryMiB',
      expect: /requests <= limits \(256\)/,
    },

    // Other single-field classes.
    {
      name: 'wrong kind',
      mutate: (f) => {
        raw(f).kind = 'Fleets';
      },
      path: 'kind',
      expect: /"Fleet"/,
    },
    {
      name: 'spec missing',
      mutate: (f) => {
        delete raw(f).spec;
      },
      path: 'spec',
      expect: /required/,
    },
    {
      name: 'instance of three digits',
      mutate: (f) => {
        east(f).instance = '003';
      },
      path: 'regions.eastus2.clusters[0].instance',
      expect: /two-digit instance id/,
    },
    {
      name: 'Kubernetes version malformed',
      mutate: (f) => {
        east(f).kubernetesVersion = '1.30.x';
      },
      path: 'regions.eastus2.clusters[0].kubernetesVersion',
      expect: /like "1\.35"/,
    },
    {
      name: 'VM size not in the VM size table',
      mutate: (f) => {
        east(f).nodePools.user.vmSize = 'Standard_DS3v2';
      },
      path: 'regions.eastus2.clusters[0].nodePools.user.vmSize',
      expect: /^an Azure VM size listed in the VM size table \(libs\/fleet\/src\/capacity\/vm-sizes\.ts\)/,
    },
    {
      name: 'hub address space moved onto another hub, its subnets left behind',
      mutate: (f) => {
        f.spec.regions.centralus!.hub.addressSpace = '10.200.3.0/24';
      },
      path: 'regions.centralus.hub.addressSpace',
      expect: /overlaps no other in the fleet \(overlaps regions\.eastus2\.hub\.addressSpace = 10\.200\.3\.0\/24\)/,
    },
    {
      name: 'hub address space moved away from all its subnets',
      mutate: (f) => {
        f.spec.regions.centralus!.hub.addressSpace = '10.200.9.0/24';
      },
      path: 'regions.centralus.hub.addressSpace',
      expect: /holds the hub's subnets \(none of them lies inside 10\.200\.9\.0\/24: they are in 10\.200\.4\.0\/24\)/,
    },
    {
      name: 'Kubernetes version as a number (unquoted 1.30)',
      mutate: (f) => {
        raw(east(f)).kubernetesVersion = 1.3;
      },
      path: 'regions.eastus2.clusters[0].kubernetesVersion',
      expect: /^a string: a Kubernetes version like "1\.35" \(YAML reads it unquoted as a number\)$/,
    },
    {
      name: 'instance as a number (unquoted 4)',
      mutate: (f) => {
        raw(central(f)).instance = 4;
      },
      path: 'regions.centralus.clusters[0].instance',
      expect: /^a string: a two-digit instance id like "03"/,
    },
    {
      name: 'VM size in lowercase',
      mutate: (f) => {
        east(f).nodePools.system.vmSize = 'standard_ds2_v2';
      },
      path: 'regions.eastus2.clusters[0].nodePools.system.vmSize',
      expect: /Azure VM size/,
    },
    {
      name: 'zone 4',
      mutate: (f) => {
        raw(east(f).nodePools.user).zones = ['4'];
      },
      path: 'regions.eastus2.clusters[0].nodePools.user.zones[0]',
      expect: /"1", "2", "3"/,
    },
    {
      name: 'no zones',
      mutate: (f) => {
        east(f).nodePools.user.zones = [];
      },
      path: 'regions.eastus2.clusters[0].nodePools.user.zones',
      expect: /at least one zone/,
    },
    {
      name: 'image registry in uppercase',
      mutate: (f) => {
        f.spec.workload.image = 'MCR.microsoft.com/dotnet/samples:aspnetapp-9.0';
      },
      path: 'workload.image',
      expect: /registry\/repository:tag/,
    },
    {
      name: 'DNS domain in uppercase',
      mutate: (f) => {
        f.spec.dns.domain = 'Contoso.com';
      },
      path: 'dns.domain',
      expect: /lowercase DNS domain/,
    },
    {
      name: 'app id with a hyphen',
      mutate: (f) => {
        f.spec.organization.appId = 'BU0001-A0042';
      },
      path: 'organization.appId',
      expect: /letters and digits/,
    },
    {
      name: 'registry name with a hyphen',
      mutate: (f) => {
        f.spec.sharedServices.containerRegistry.name = 'acr-bu0001';
      },
      path: 'sharedServices.containerRegistry.name',
      expect: /Azure Container Registry naming/,
    },
    {
      name: 'workload in kube-public',
      mutate: (f) => {
        f.spec.workload.namespace = 'kube-public';
      },
      path: 'workload.namespace',
      expect: /not one of/,
    },
    {
      name: 'Traefik repository in uppercase',
      mutate: (f) => {
        f.spec.ingressController.image.repository = 'Library/Traefik';
      },
      path: 'ingressController.image.repository',
      expect: /registry repository path/,
    },
    {
      name: 'unknown field in the service network',
      mutate: (f) => {
        raw(east(f).network).podCidr = '10.244.0.0/16';
      },
      path: 'regions.eastus2.clusters[0].network.podCidr',
      expect: /unknown field/,
    },
    {
      name: 'health path with a space',
      mutate: (f) => {
        f.spec.workload.healthPath = '/health z';
      },
      path: 'workload.healthPath',
      expect: /absolute URL path/,
    },
    {
      name: 'operator group not a GUID',
      mutate: (f) => {
        east(f).entra.operatorGroupObjectId = 'operators';
      },
      path: 'regions.eastus2.clusters[0].entra.operatorGroupObjectId',
      expect: /GUID/,
    },
    {
      name: 'system pool min > max',
      mutate: (f) => {
        central(f).nodePools.system.minCount = 5;
      },
      path: 'regions.centralus.clusters[0].nodePools.system.minCount',
      expect: /minCount <= maxCount \(4\)/,
    },
  ];
