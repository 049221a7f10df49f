import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  backendHostname,
  clusterAzureNames,
  clustersOf,
  entrypointPath,
  FLUX_BOOTSTRAP,
  FLUX_SUBSTITUTIONS,
  ingressDomain,
  INGRESS_CONTROLLER_SERVICE_ACCOUNT,
  regionAzureNames,
  rolloutWaves,
  sharedAzureNames,
  WAVE_BRANCH_PREFIX,
  type Fleet,
} from '@aks-fleet/fleet';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DeclaredResources, parseParameterReference, parseResourceId } from './arm/arm-references.ts';
import type { ArmResource, ArmTemplate } from './arm/arm-template.ts';
import { fleetDeployments, type FleetDeployment } from './deployment-plan.ts';
import { gitHost } from './region-hub/firewall-rules.ts';
import { repositoryRoot } from '@aks-fleet/util';
import { defaultFleet, threeRegionFleet } from './test-fleets.ts';

/** Emitted JSON navigated in tests (its shape is what the schema validation checks). */
type Tree = { readonly [key: string]: Tree } & readonly Tree[];
type AnyResource = ArmResource & { properties: Tree; location?: string; resourceGroup?: string };

function resources(deployment: FleetDeployment | undefined, type: string): AnyResource[] {
  expect(deployment, `a deployment with ${type}`).toBeDefined();
  return deployment!.template.resources.filter((r) => r.type === type) as AnyResource[];
}

function step(deployments: readonly FleetDeployment[], id: string): FleetDeployment | undefined {
  return deployments.find(({ step }) => step.id === id);
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(ipToInt(base!) / size) * size;
  // Azure reserves the first four addresses and the last one of every subnet.
  return ipToInt(ip) >= first + 4 && ipToInt(ip) <= first + size - 2;
}

for (const [label, build] of [
  ['default fleet', defaultFleet],
  ['three-region fleet', threeRegionFleet],
] as const) {
  describe(`cross-resource invariants (${label})`, () => {
    const fleet: Readonly<Fleet> = build();
    const deployments = fleetDeployments(fleet);
    const clusters = clustersOf(fleet.spec);

    it('Front Door origins = the model clusters (App Gateway public FQDN = spoke public IP DNS label, priority/weight)', () => {
      const origins = resources(step(deployments, 'frontdoor'), 'Microsoft.Cdn/profiles/originGroups/origins');
      expect(origins.map((o) => o.properties.hostName)).toStrictEqual(
        clusters.map(({ cluster }) => clusterAzureNames(fleet.spec, cluster.name).appGatewayFqdn),
      );
      expect(origins.map((o) => [o.properties.priority, o.properties.weight])).toStrictEqual(
        clusters.map(({ cluster }) => [cluster.frontDoor.priority, cluster.frontDoor.weight]),
      );
      for (const { region, cluster } of clusters) {
        const [pip] = resources(step(deployments, `spoke/${cluster.name}`), 'Microsoft.Network/publicIPAddresses');
        expect(`${pip!.properties.dnsSettings.domainNameLabel}.${region}.cloudapp.azure.com`).toBe(
          origins.find((o) => o.name.endsWith(`/origin-${cluster.name}`))!.properties.hostName,
        );
      }
    });

    it('ACR replicas = the model regions minus the registry home', () => {
      const replicas = resources(step(deployments, 'shared'), 'Microsoft.ContainerRegistry/registries/replications');
      const regions = Object.keys(fleet.spec.regions).filter((r) => r !== fleet.spec.sharedServices.location);
      expect(replicas.map((r) => r.location)).toStrictEqual(regions);
      expect(replicas.map((r) => r.name)).toStrictEqual(
        regions.map((r) => `${fleet.spec.sharedServices.containerRegistry.name}/${r}`),
      );
    });

    it('App Gateway backend hostname = private DNS record FQDN = backendHostname(spec), resolving to the ILB IP', () => {
      for (const { cluster } of clusters) {
        const stamp = step(deployments, `stamp/${cluster.name}`);
        const [gateway] = resources(stamp, 'Microsoft.Network/applicationGateways');
        const backends = gateway!.properties.backendAddressPools.flatMap((pool) =>
          pool.properties!.backendAddresses!.map((a) => a.fqdn),
        );
        const records = resources(stamp, 'Microsoft.Network/privateDnsZones/A');
        expect(records).toHaveLength(1);
        const [zone, record] = records[0]!.name.split('/');
        expect(backends).toStrictEqual([`${record}.${zone}`]);
        expect(`${record}.${zone}`).toBe(backendHostname(fleet.spec));
        expect(zone).toBe(ingressDomain(fleet.spec));
        expect(records[0]!.properties.aRecords).toStrictEqual([
          { ipv4Address: cluster.ingress.internalLoadBalancerIp },
        ]);
        expect(gateway!.properties.backendHttpSettingsCollection[0].properties).toMatchObject({
          protocol: 'Https',
          port: 443,
          pickHostNameFromBackendAddress: true,
        });
        expect(gateway!.properties.httpListeners[0].properties).toMatchObject({
          protocol: 'Https',
          requireServerNameIndication: true,
          hostName: clusterAzureNames(fleet.spec, cluster.name).appGatewayFqdn,
        });
        expect(gateway!.properties.sslCertificates[0].properties.keyVaultSecretId).toMatch(
          new RegExp(`^https://${clusterAzureNames(fleet.spec, cluster.name).keyVault}\\.vault\\.azure\\.net/secrets/`),
        );
      }
    });

    it('the ILB IP lies inside the ingress subnet (outside Azure-reserved addresses), which lies inside the spoke', () => {
      for (const { cluster } of clusters) {
        expect(inCidr(cluster.ingress.internalLoadBalancerIp, cluster.spoke.subnets.ingress), cluster.name).toBe(true);
        const [vnet] = resources(step(deployments, `spoke/${cluster.name}`), 'Microsoft.Network/virtualNetworks');
        const ingress = vnet!.properties.subnets.find(
          (s) => String(s.name) === clusterAzureNames(fleet.spec, cluster.name).subnets.ingress,
        );
        expect(ingress?.properties.addressPrefix).toBe(cluster.spoke.subnets.ingress);
      }
    });

    it('hub and spoke are peered in both directions', () => {
      for (const { region, cluster } of clusters) {
        const names = clusterAzureNames(fleet.spec, cluster.name);
        const hub = regionAzureNames(region);
        const [toHub] = resources(
          step(deployments, `spoke/${cluster.name}`),
          'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
        );
        expect(toHub!.name.split('/')[0]).toBe(names.spokeVnet);
        expect(parseResourceId(String(toHub!.properties.remoteVirtualNetwork.id))).toStrictEqual({
          resourceGroup: hub.hubResourceGroup,
          type: 'Microsoft.Network/virtualNetworks',
          names: [hub.hubVnet],
        });
        const toSpoke = resources(
          step(deployments, `hub-egress/${region}`),
          'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
        ).filter((p) => p.name === `${hub.hubVnet}/to_${names.spokeVnet}`);
        expect(toSpoke).toHaveLength(1);
        expect(parseResourceId(String(toSpoke[0]!.properties.remoteVirtualNetwork.id))).toStrictEqual({
          resourceGroup: hub.spokeResourceGroup,
          type: 'Microsoft.Network/virtualNetworks',
          names: [names.spokeVnet],
        });
      }
    });

    it("every role assignment's scope is a resource declared by the fleet's templates (or a declared parameter)", () => {
      const declared = new DeclaredResources(deployments);
      const scopes: Array<{ scope: string; resourceGroup: string; resolved: boolean }> = [];
      const visit = (template: ArmTemplate, resourceGroup: string) => {
        for (const resource of template.resources as AnyResource[]) {
          if (resource.type === 'Microsoft.Resources/deployments')
            visit(resource.properties.template as unknown as ArmTemplate, resource.resourceGroup ?? resourceGroup);
          if (resource.type !== 'Microsoft.Authorization/roleAssignments') continue;
          const scope = String(resource.scope);
          const parameterName = parseParameterReference(scope);
          const reference = parseResourceId(scope);
          const resolved = parameterName
            ? template.parameters?.[parameterName] !== undefined
            : reference !== undefined && declared.has(reference, resourceGroup);
          scopes.push({ scope, resourceGroup, resolved });
        }
      };
      for (const { step: s, template } of deployments) if (s.resourceGroup) visit(template, s.resourceGroup);
      expect(scopes.filter((s) => !s.resolved)).toStrictEqual([]);
      // Per cluster: 2 Key Vault readers, the certificate importer, monitoring publisher, 2 subnets, AcrPull.
      expect(scopes).toHaveLength(7 * clusters.length);
    });

    it('every resourceId() in dependsOn or ids names a resource the fleet declares (in its own or another group)', () => {
      const declared = new DeclaredResources(deployments);
      const missing: string[] = [];
      const scan = (value: unknown, resourceGroup: string): void => {
        if (typeof value === 'string') {
          const reference = parseResourceId(value);
          if (
            reference &&
            !/^Microsoft\.Network\/applicationGateways\//.test(reference.type) &&
            !declared.has(reference, resourceGroup)
          )
            missing.push(`${resourceGroup}: ${value}`);
        } else if (Array.isArray(value)) value.forEach((v) => scan(v, resourceGroup));
        else if (value && typeof value === 'object') for (const v of Object.values(value)) scan(v, resourceGroup);
      };
      for (const { step: s, template } of deployments) {
        if (!s.resourceGroup) continue;
        for (const resource of template.resources as AnyResource[]) {
          if (resource.type === 'Microsoft.Resources/deployments')
            scan(resource.properties.template, resource.resourceGroup!);
          else scan(resource, s.resourceGroup);
        }
      }
      expect(missing).toStrictEqual([]);
    });

    it('the Flux configuration matches FLUX_BOOTSTRAP and each cluster entrypoint path; the extension comes first', () => {
      const waves = rolloutWaves(fleet.spec);
      const waveBranchOf = (name: string): string => {
        const wave = waves.find((w) => w.clusters.includes(name))!;
        return wave.index === 1 ? fleet.spec.gitSource.branch : `${WAVE_BRANCH_PREFIX}${wave.name}`;
      };
      for (const { cluster } of clusters) {
        const stamp = step(deployments, `stamp/${cluster.name}`);
        const [configuration] = resources(stamp, 'Microsoft.KubernetesConfiguration/fluxConfigurations');
        const [extension] = resources(stamp, 'Microsoft.KubernetesConfiguration/extensions');
        expect(configuration!.name).toBe(FLUX_BOOTSTRAP.configurationName);
        expect(configuration!.properties).toMatchObject({
          scope: 'cluster',
          namespace: FLUX_BOOTSTRAP.namespace,
          sourceKind: 'GitRepository',
          // Each cluster follows its rollout wave's branch: the model's branch for wave 1, fleet/wave-<name> after.
          gitRepository: { url: fleet.spec.gitSource.url, repositoryRef: { branch: waveBranchOf(cluster.name) } },
        });
        expect(Object.keys(configuration!.properties.kustomizations)).toStrictEqual([FLUX_BOOTSTRAP.kustomizationName]);
        expect(configuration!.properties.kustomizations[FLUX_BOOTSTRAP.kustomizationName]).toMatchObject({
          path: entrypointPath(cluster.name),
          prune: true,
        });
        expect(extension!.properties).toMatchObject({
          extensionType: 'microsoft.flux',
          scope: { cluster: { releaseNamespace: FLUX_BOOTSTRAP.namespace } },
        });
        expect(configuration!.dependsOn).toStrictEqual([
          expect.stringContaining("'Microsoft.KubernetesConfiguration/extensions', 'flux'"),
          expect.stringContaining(`'${clusterAzureNames(fleet.spec, cluster.name).identities.ingressController}'`),
        ]);
        // Deploy-time values reach the manifests through post-build substitution: no identity id in the model.
        expect(configuration!.properties.kustomizations[FLUX_BOOTSTRAP.kustomizationName].postBuild).toStrictEqual({
          substitute: {
            [FLUX_SUBSTITUTIONS.ingressControllerClientId]: expect.stringMatching(
              /^\[reference\(resourceId\('Microsoft\.ManagedIdentity\/userAssignedIdentities', 'mi-aks-.*-ingress-controller'\), '[0-9-]+'\)\.clientId\]$/,
            ),
          },
        });
      }
    });

    it('each App Gateway WAF blocks requests not from the Front Door profile the shared step deploys before the stamps', () => {
      const shared = sharedAzureNames(fleet.spec);
      const order = deployments.map(({ step }) => step.id);
      const [profile] = resources(step(deployments, 'shared'), 'Microsoft.Cdn/profiles');
      expect(profile!.name).toBe(shared.frontDoorProfile);
      for (const { cluster } of clusters) {
        expect(order.indexOf('shared')).toBeLessThan(order.indexOf(`stamp/${cluster.name}`));
        const [policy] = resources(
          step(deployments, `stamp/${cluster.name}`),
          'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies',
        );
        const condition = policy!.properties.customRules[0]!.matchConditions[0]!;
        expect(condition.matchVariables).toStrictEqual([{ variableName: 'RequestHeaders', selector: 'X-Azure-FDID' }]);
        expect(condition.negationConditon).toBe(true);
        expect(condition.matchValues).toStrictEqual([
          `[reference(resourceId('${shared.resourceGroup}', 'Microsoft.Cdn/profiles', '${shared.frontDoorProfile}'), '2025-12-01').frontDoorId]`,
        ]);
      }
    });

    it('the hub egress rules name the region’s own Azure Monitor control handler and the Git host of the model', () => {
      for (const region of Object.keys(fleet.spec.regions)) {
        const groups = resources(
          step(deployments, `hub-egress/${region}`),
          'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
        );
        const fqdns = groups.flatMap((g) =>
          g.properties.ruleCollections!.flatMap((c) => c.rules!.flatMap((r) => r.targetFqdns ?? [])),
        );
        // Container Insights (managed identity auth) fetches its data collection rule from the regional handler.
        expect(fqdns.map(String).filter((f) => f.endsWith('.handler.control.monitor.azure.com'))).toStrictEqual([
          'global.handler.control.monitor.azure.com',
          `${region}.handler.control.monitor.azure.com`,
        ]);
        expect(fqdns).toEqual(
          expect.arrayContaining([
            '*.ods.opinsights.azure.com',
            '*.oms.opinsights.azure.com',
            '*.monitoring.azure.com',
            '*.ingest.monitor.azure.com',
          ]),
        );
        expect(fqdns).toContain(gitHost(fleet.spec.gitSource.url));
        const [policy] = resources(step(deployments, `hub/${region}`), 'Microsoft.Network/firewallPolicies');
        expect(policy!.location).toBe(region);
        expect(parseResourceId(String(policy!.properties.basePolicy.id))).toMatchObject({
          resourceGroup: sharedAzureNames(fleet.spec).resourceGroup,
          names: [regionAzureNames(region).baseFirewallPolicy],
        });
        const [ipGroup] = resources(step(deployments, `hub-egress/${region}`), 'Microsoft.Network/ipGroups');
        expect(ipGroup!.properties.ipAddresses).toStrictEqual(
          fleet.spec.regions[region]!.clusters.map((c) => c.spoke.subnets.nodes),
        );
      }
      const bases = resources(step(deployments, 'shared'), 'Microsoft.Network/firewallPolicies');
      expect(bases.map((b) => [b.name, b.location])).toStrictEqual(
        Object.keys(fleet.spec.regions).map((r) => [regionAzureNames(r).baseFirewallPolicy, r]),
      );
    });

    it('the ingress identity trusts exactly the Traefik ServiceAccount of the workload namespace', () => {
      for (const { cluster } of clusters) {
        const [credential] = resources(
          step(deployments, `stamp/${cluster.name}`),
          'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
        );
        expect(credential!.properties.subject).toBe(
          `system:serviceaccount:${fleet.spec.ingressController.namespace}:${INGRESS_CONTROLLER_SERVICE_ACCOUNT}`,
        );
        expect(credential!.properties.issuer).toContain('oidcIssuerProfile.issuerURL');
      }
    });

    it('the allowed-images policy admits the fleet ACR and MCR only', () => {
      const [cluster] = clusters;
      const policy = resources(
        step(deployments, `stamp/${cluster!.cluster.name}`),
        'Microsoft.Authorization/policyAssignments',
      ).find((p) => p.name.endsWith('-allowed-images'))!;
      const regex = new RegExp(String(policy.properties.parameters.allowedContainerImagesRegex.value));
      const acr = fleet.spec.sharedServices.containerRegistry.name;
      expect(regex.test(`${acr}.azurecr.io/library/traefik:v3.7`)).toBe(true);
      expect(regex.test('mcr.microsoft.com/dotnet/samples:aspnetapp-9.0')).toBe(true);
      expect(regex.test('docker.io/library/traefik:v3.7')).toBe(false);
      expect(regex.test(`${acr}Xazurecr.io/x:1`)).toBe(false);
      expect(
        resources(step(deployments, `stamp/${cluster!.cluster.name}`), 'Microsoft.Authorization/policyAssignments'),
      ).toHaveLength(6);
    });
  });
}

describe('Flux configuration agrees with the synthesized clusters/ folder', () => {
  const root = repositoryRoot();
  const fleet = defaultFleet();

  it('every Flux Kustomization in clusters/<cluster>/ uses the GitRepository the fluxConfiguration creates', () => {
    for (const { cluster } of clustersOf(fleet.spec)) {
      const folder = path.join(root, entrypointPath(cluster.name));
      expect(existsSync(path.join(folder, 'kustomization.yaml')), `${folder} (run npm run synth)`).toBe(true);
      const sourceRefs = readdirSync(folder)
        .filter((file) => file.endsWith('.yaml'))
        .flatMap((file) => parseAllDocuments(readFileSync(path.join(folder, file), 'utf8')).map((d) => d.toJS()))
        .filter((object) => object?.apiVersion?.startsWith('kustomize.toolkit.fluxcd.io/'))
        .map((object) => object.spec.sourceRef);
      expect(sourceRefs.length, cluster.name).toBeGreaterThan(0);
      for (const ref of sourceRefs)
        expect(ref).toStrictEqual({
          kind: 'GitRepository',
          name: FLUX_BOOTSTRAP.configurationName,
          namespace: FLUX_BOOTSTRAP.namespace,
        });
    }
  });
});
