/**
 * Shared test data: the default fleet as a mutable document, and invalid fleets (each a mutation of it) with the
 * path and the expectation of the error it must produce. Used by the model's tests and the CLI's.
 */
import { loadFleet } from '../load.ts';
import type { Fleet } from '../schema.ts';

/** A mutable deep copy of the embedded default fleet (one whole document). */
export function defaultFleetDocument(): Fleet {
  return structuredClone(loadFleet().fleet) as Fleet;
}

export const east = (f: Fleet) => f.spec.regions.eastus2!.clusters[0]!;
export const central = (f: Fleet) => f.spec.regions.centralus!.clusters[0]!;

/**
 * Invalid fleets: each mutation of the default fleet must be rejected with an error at the given path.
 * `expect` is a fragment of the "expected …" text of that error.
 */
export const INVALID_FLEETS: ReadonlyArray<{ name: string; mutate: (f: Fleet) => void; path: string; expect: RegExp }> = [
  { name: 'duplicate cluster names', mutate: (f) => { central(f).name = east(f).name; }, path: 'regions.centralus.clusters[0].name', expect: /unique in the fleet/ },
  {
    name: 'duplicate (region, instance)',
    mutate: (f) => {
      const copy = structuredClone(east(f));
      copy.name = 'bu0001a0042-05';
      copy.spoke = { addressSpace: '10.245.0.0/16', subnets: { nodes: '10.245.0.0/22', ingress: '10.245.4.0/28', appGateway: '10.245.5.0/24' } };
      copy.ingress.internalLoadBalancerIp = '10.245.4.4';
      f.spec.regions.eastus2!.clusters.push(copy);
    },
    path: 'regions.eastus2.clusters[1].instance',
    expect: /unique within region eastus2/,
  },
  { name: 'overlapping spokes', mutate: (f) => { central(f).spoke = structuredClone(east(f).spoke); central(f).ingress.internalLoadBalancerIp = '10.243.4.4'; }, path: 'regions.centralus.clusters[0].spoke.addressSpace', expect: /overlaps regions\.eastus2\.clusters\[0\]\.spoke\.addressSpace/ },
  { name: 'hub overlapping a spoke', mutate: (f) => { f.spec.regions.centralus!.hub = { addressSpace: '10.243.200.0/24', subnets: { firewall: '10.243.200.0/26', gateway: '10.243.200.64/27', bastion: '10.243.200.96/27' } }; }, path: 'regions.centralus.hub.addressSpace', expect: /overlaps regions\.eastus2\.clusters\[0\]\.spoke\.addressSpace/ },
  { name: 'subnet outside its VNet', mutate: (f) => { east(f).spoke.subnets.appGateway = '10.250.5.0/24'; }, path: 'regions.eastus2.clusters[0].spoke.subnets.appGateway', expect: /inside the address space 10\.243\.0\.0\/16/ },
  { name: 'overlapping subnets', mutate: (f) => { east(f).spoke.subnets.ingress = '10.243.3.0/28'; east(f).ingress.internalLoadBalancerIp = '10.243.3.4'; }, path: 'regions.eastus2.clusters[0].spoke.subnets.ingress', expect: /does not overlap regions\.eastus2\.clusters\[0\]\.spoke\.subnets\.nodes/ },
  { name: 'hub subnets overlapping', mutate: (f) => { f.spec.regions.eastus2!.hub.subnets.gateway = '10.200.3.32/27'; }, path: 'regions.eastus2.hub.subnets.gateway', expect: /does not overlap regions\.eastus2\.hub\.subnets\.firewall/ },
  { name: 'ILB IP outside the ingress subnet', mutate: (f) => { east(f).ingress.internalLoadBalancerIp = '10.243.5.4'; }, path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp', expect: /inside spoke\.subnets\.ingress \(10\.243\.4\.0\/28\)/ },
  { name: 'ILB IP is the network address', mutate: (f) => { east(f).ingress.internalLoadBalancerIp = '10.243.4.0'; }, path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp', expect: /Azure reserves/ },
  { name: 'ILB IP is Azure-reserved .1', mutate: (f) => { east(f).ingress.internalLoadBalancerIp = '10.243.4.1'; }, path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp', expect: /Azure reserves/ },
  { name: 'ILB IP is the broadcast address', mutate: (f) => { east(f).ingress.internalLoadBalancerIp = '10.243.4.15'; }, path: 'regions.eastus2.clusters[0].ingress.internalLoadBalancerIp', expect: /Azure reserves/ },
  { name: 'unknown Azure region', mutate: (f) => { f.spec.regions['eastus-2'] = f.spec.regions.eastus2!; delete f.spec.regions.eastus2; }, path: 'regions.eastus-2', expect: /known Azure region/ },
  { name: 'unknown shared-services region', mutate: (f) => { f.spec.sharedServices.location = 'East US 2'; }, path: 'sharedServices.location', expect: /known Azure region/ },
  { name: 'node pool min > max', mutate: (f) => { east(f).nodePools.user.minCount = 6; }, path: 'regions.eastus2.clusters[0].nodePools.user.minCount', expect: /minCount <= maxCount \(5\)/ },
  { name: 'duplicate zones', mutate: (f) => { east(f).nodePools.system.zones = ['1', '1']; }, path: 'regions.eastus2.clusters[0].nodePools.system.zones', expect: /each zone listed once/ },
  { name: 'Kubernetes version with a v prefix', mutate: (f) => { east(f).kubernetesVersion = 'v1.30'; }, path: 'regions.eastus2.clusters[0].kubernetesVersion', expect: /like "1\.30"/ },
  { name: 'Kubernetes version out of range', mutate: (f) => { east(f).kubernetesVersion = '1.12'; }, path: 'regions.eastus2.clusters[0].kubernetesVersion', expect: /between 1\.27 and 1\.36/ },
  { name: 'CIDR with host bits', mutate: (f) => { east(f).spoke.addressSpace = '10.243.0.1/16'; }, path: 'regions.eastus2.clusters[0].spoke.addressSpace', expect: /host bits are zero/ },
  { name: 'malformed CIDR', mutate: (f) => { east(f).spoke.subnets.nodes = '10.243.0.0/33'; }, path: 'regions.eastus2.clusters[0].spoke.subnets.nodes', expect: /IPv4 CIDR/ },
  { name: 'image :latest', mutate: (f) => { f.spec.workload.image = 'mcr.microsoft.com/dotnet/samples:latest'; }, path: 'workload.image', expect: /pinned tag/ },
  { name: 'image without a tag', mutate: (f) => { central(f).workload.image = 'mcr.microsoft.com/dotnet/samples'; }, path: 'regions.centralus.clusters[0].workload.image', expect: /registry\/repository:tag/ },
  { name: 'misspelled field', mutate: (f) => { (east(f) as unknown as Record<string, unknown>).kubernetesVerison = '1.30'; }, path: 'regions.eastus2.clusters[0].kubernetesVerison', expect: /unknown field/ },
  { name: 'missing required field', mutate: (f) => { delete (east(f) as Partial<typeof east>)['instance' as never]; }, path: 'regions.eastus2.clusters[0].instance', expect: /required/ },
  { name: 'wrong type', mutate: (f) => { (f.spec.workload as unknown as Record<string, unknown>).replicas = 'two'; }, path: 'workload.replicas', expect: /number/ },
  { name: 'wrong apiVersion', mutate: (f) => { (f as unknown as Record<string, unknown>).apiVersion = 'fleet.aks-fleet.io/v1'; }, path: 'apiVersion', expect: /"fleet\.aks-fleet\.io\/v1alpha1"/ },
  { name: 'reserved workload namespace', mutate: (f) => { f.spec.workload.namespace = 'kube-system'; }, path: 'workload.namespace', expect: /not one of/ },
  { name: 'cluster name not a DNS label', mutate: (f) => { east(f).name = 'BU0001A0042_03'; }, path: 'regions.eastus2.clusters[0].name', expect: /DNS-1123 label/ },
  { name: 'firewall subnet too small', mutate: (f) => { f.spec.regions.eastus2!.hub.subnets.firewall = '10.200.3.0/27'; }, path: 'regions.eastus2.hub.subnets.firewall', expect: /\/26 or larger/ },
  { name: 'region without clusters', mutate: (f) => { f.spec.regions.centralus!.clusters = []; }, path: 'regions.centralus.clusters', expect: /at least one cluster/ },
  { name: 'Git source over plain http', mutate: (f) => { f.spec.gitSource.url = 'http://github.com/contoso/aks-fleet'; }, path: 'gitSource.url', expect: /https:\/\// },
  { name: 'Git token in the URL', mutate: (f) => { f.spec.gitSource.url = 'https://git:ghp_secret@github.com/contoso/aks-fleet'; }, path: 'gitSource.url', expect: /without credentials/ },
  { name: 'ssh URL without ssh auth', mutate: (f) => { f.spec.gitSource.url = 'ssh://git@github.com/contoso/aks-fleet'; }, path: 'gitSource.url', expect: /auth.kind "ssh"/ },
  { name: 'ssh auth on an https URL', mutate: (f) => { f.spec.gitSource.auth = { kind: 'ssh', knownHosts: ['github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'] }; }, path: 'gitSource.url', expect: /ssh:\/\/ URL/ },
  { name: 'Git auth with a secret value', mutate: (f) => { (f.spec.gitSource as Record<string, unknown>).auth = { kind: 'https-token', token: 'ghp_secret' }; }, path: 'gitSource.auth.token', expect: /unknown field/ },
  { name: 'Entra tenant not a GUID', mutate: (f) => { east(f).entra.tenantId = 'contoso.onmicrosoft.com'; }, path: 'regions.eastus2.clusters[0].entra.tenantId', expect: /GUID/ },
  // Azure assigns the identity's client id at deploy time: the model has no field for it (FLUX_SUBSTITUTIONS).
  { name: 'ingress identity client id in the model', mutate: (f) => { (east(f).workloadIdentity as Record<string, unknown>).ingressControllerClientId = '00000000-0000-0000-0003-000000000030'; }, path: 'regions.eastus2.clusters[0].workloadIdentity.ingressControllerClientId', expect: /unknown field/ },
  { name: 'Traefik tag not v3', mutate: (f) => { f.spec.ingressController.image.tag = 'v2.11.0'; }, path: 'ingressController.image.tag', expect: /Traefik v3 release tag/ },
  { name: 'single ingress controller replica', mutate: (f) => { f.spec.ingressController.replicas = 1; }, path: 'ingressController.replicas', expect: /at least 2/ },
  { name: 'ingress controller in the workload namespace', mutate: (f) => { f.spec.ingressController.namespace = f.spec.workload.namespace; }, path: 'ingressController.namespace', expect: /other than the workload's \(a0042\)/ },
  { name: 'ingress controller in a reserved namespace', mutate: (f) => { f.spec.ingressController.namespace = 'kube-system'; }, path: 'ingressController.namespace', expect: /not one of/ },
  { name: 'workload CPU request above its limit', mutate: (f) => { f.spec.workload.resources.requests.cpuMillicores = 150; }, path: 'workload.resources.requests.cpuMillicores', expect: /requests <= limits \(100\)/ },
  { name: 'workload memory limit above the cluster policy', mutate: (f) => { f.spec.workload.resources.limits.memoryMiB = 1024; }, path: 'workload.resources.limits.memoryMiB', expect: /cluster policy denies memory limits above 512Mi/ },
  { name: 'health path not absolute', mutate: (f) => { f.spec.workload.healthPath = 'healthz'; }, path: 'workload.healthPath', expect: /absolute URL path/ },
  { name: 'user pool too small for failover', mutate: (f) => { central(f).nodePools.user.maxCount = 5; }, path: 'regions.centralus.clusters[0].nodePools.user.maxCount', expect: /at least 2 × the workload's 3 replicas \(6\)/ },
  { name: 'policy exception without a reason', mutate: (f) => { f.spec.policyExceptions = [{ rule: 'security/read-only-root-fs', namespace: 'a0042', name: 'aspnetapp', reason: '' }]; }, path: 'policyExceptions[0].reason', expect: /reason of at least 10 characters/ },
];

