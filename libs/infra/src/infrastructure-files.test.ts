import { clusterAzureNames, parseFleet, sharedAzureNames } from '@aks-fleet/fleet';
import { describe, expect, it } from 'vitest';
import { isGeneratedInfrastructureFile, templateHash } from './arm/arm-json.ts';
import { ArmSchemaValidator } from './arm/arm-schema-validator.ts';
import type { ArmTemplate } from './arm/arm-template.ts';
import { fleetDeployments, planDeployment } from './deployment-plan.ts';
import { infrastructureFiles } from './infrastructure-files.ts';
import { defaultFleet, THIRD_CLUSTER, THIRD_REGION, threeRegionFleet } from './test-fleets.ts';

const fleet = defaultFleet();

function byPath(files: ReadonlyArray<{ path: string; content: string }>): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.content]));
}

/** The Flux configuration of a stamp template. */
function fluxConfiguration(template: ArmTemplate): {
  properties: { gitRepository: Record<string, unknown>; configurationProtectedSettings: Record<string, string> };
} {
  return template.resources.find(
    (r) => r.type === 'Microsoft.KubernetesConfiguration/fluxConfigurations',
  ) as unknown as ReturnType<typeof fluxConfiguration>;
}

describe('infrastructureFiles', () => {
  it('lays out one folder per deployment plus plan.json', () => {
    expect(
      infrastructureFiles(fleet)
        .map((f) => f.path)
        .sort(),
    ).toStrictEqual([
      'infrastructure/clusters/bu0001a0042-03/key-vault/parameters.json',
      'infrastructure/clusters/bu0001a0042-03/key-vault/template.json',
      'infrastructure/clusters/bu0001a0042-03/spoke/parameters.json',
      'infrastructure/clusters/bu0001a0042-03/spoke/template.json',
      'infrastructure/clusters/bu0001a0042-03/stamp/parameters.json',
      'infrastructure/clusters/bu0001a0042-03/stamp/template.json',
      'infrastructure/clusters/bu0001a0042-04/key-vault/parameters.json',
      'infrastructure/clusters/bu0001a0042-04/key-vault/template.json',
      'infrastructure/clusters/bu0001a0042-04/spoke/parameters.json',
      'infrastructure/clusters/bu0001a0042-04/spoke/template.json',
      'infrastructure/clusters/bu0001a0042-04/stamp/parameters.json',
      'infrastructure/clusters/bu0001a0042-04/stamp/template.json',
      'infrastructure/frontdoor/parameters.json',
      'infrastructure/frontdoor/template.json',
      'infrastructure/plan.json',
      'infrastructure/regions/centralus/hub-egress/parameters.json',
      'infrastructure/regions/centralus/hub-egress/template.json',
      'infrastructure/regions/centralus/hub/parameters.json',
      'infrastructure/regions/centralus/hub/template.json',
      'infrastructure/regions/eastus2/hub-egress/parameters.json',
      'infrastructure/regions/eastus2/hub-egress/template.json',
      'infrastructure/regions/eastus2/hub/parameters.json',
      'infrastructure/regions/eastus2/hub/template.json',
      'infrastructure/resource-groups/parameters.json',
      'infrastructure/resource-groups/template.json',
      'infrastructure/shared/parameters.json',
      'infrastructure/shared/template.json',
    ]);
  });

  it('is deterministic: two runs are byte-identical, JSON is 2-space indented with a trailing newline', () => {
    const first = infrastructureFiles(fleet);
    const second = infrastructureFiles(defaultFleet());
    expect(second).toStrictEqual(first);
    for (const file of first) {
      expect(file.content.endsWith('}\n'), file.path).toBe(true);
      expect(file.content).toBe(`${JSON.stringify(JSON.parse(file.content), null, 2)}\n`);
      expect(file.content, file.path).not.toMatch(/utcNow|newGuid|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });

  it('marks every file as owned, with the template hash on templates and on their parameters', () => {
    const files = byPath(infrastructureFiles(fleet));
    for (const [path, content] of files) expect(isGeneratedInfrastructureFile(content), path).toBe(true);
    const template = JSON.parse(files.get('infrastructure/shared/template.json')!) as ArmTemplate & {
      metadata: { _generator: { templateHash: string } };
    };
    const parameters = JSON.parse(files.get('infrastructure/shared/parameters.json')!);
    expect(template.metadata._generator.templateHash).toBe(templateHash(template));
    expect(parameters.parameters.tags.metadata._generator).toStrictEqual({
      name: 'aks-fleet',
      templateHash: template.metadata._generator.templateHash,
    });
    // Foreign files are not owned.
    expect(isGeneratedInfrastructureFile('{"$schema":"x","resources":[]}')).toBe(false);
    expect(isGeneratedInfrastructureFile('not json')).toBe(false);
  });

  it('never puts a secret in a file: secure parameters are securestring without default or value', () => {
    const privateRepository = parseFleet({
      ...structuredClone(fleet),
      spec: { ...structuredClone(fleet.spec), gitSource: { ...fleet.spec.gitSource, auth: { kind: 'https-token' } } },
    });
    for (const { step, template, parameters } of [...fleetDeployments(fleet), ...fleetDeployments(privateRepository)]) {
      for (const name of step.secureParameters) {
        expect(template.parameters?.[name]).toMatchObject({ type: 'securestring', metadata: expect.any(Object) });
        expect(template.parameters?.[name]).not.toHaveProperty('defaultValue');
        expect(parameters.parameters[name]).toBeUndefined();
      }
    }
    const keyVault = fleetDeployments(fleet).find(({ step }) => step.kind === 'key-vault')!;
    expect(keyVault.step.secureParameters).toStrictEqual(['ingressRootCertificate']);
    // Certificates with private keys are imported by deploy, never template parameters.
    expect(keyVault.step.importCertificates?.map((c) => [c.name, c.contentType])).toStrictEqual([
      ['gateway-external-pfx-cert', 'application/x-pkcs12'],
      ['traefik-ingress-internal-aks-ingress-tls', 'application/x-pem-file'],
    ]);
    expect(fleetDeployments(fleet).find(({ step }) => step.kind === 'stamp')!.step.secureParameters).toStrictEqual([]);
    const privateStamp = fleetDeployments(privateRepository).find(({ step }) => step.kind === 'stamp')!;
    expect(privateStamp.step.secureParameters).toStrictEqual(['gitHttpsToken']);
    const configuration = fluxConfiguration(privateStamp.template);
    expect(configuration.properties.gitRepository.httpsUser).toBe('git');
    expect(configuration.properties.configurationProtectedSettings).toStrictEqual({
      httpsKey: "[base64(parameters('gitHttpsToken'))]",
    });
  });

  it("passes an SSH key only as a protected setting and pins the model's known hosts", () => {
    const knownHosts = ['github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'];
    const sshFleet = parseFleet({
      ...structuredClone(fleet),
      spec: {
        ...structuredClone(fleet.spec),
        gitSource: { url: 'ssh://git@github.com/contoso/aks-fleet', branch: 'main', auth: { kind: 'ssh', knownHosts } },
      },
    });
    const stamp = fleetDeployments(sshFleet).find(({ step }) => step.kind === 'stamp')!;
    expect(stamp.step.secureParameters).toStrictEqual(['gitSshPrivateKey']);
    const configuration = fluxConfiguration(stamp.template);
    expect(Buffer.from(String(configuration.properties.gitRepository.sshKnownHosts), 'base64').toString()).toBe(
      `${knownHosts[0]}\n`,
    );
    expect(configuration.properties.configurationProtectedSettings).toStrictEqual({
      sshPrivateKey: "[base64(parameters('gitSshPrivateKey'))]",
    });
    // The hub firewall admits SSH to the Git host (application rules cannot), and no longer HTTPS to it.
    const egress = fleetDeployments(sshFleet).find(({ step }) => step.id === 'hub-egress/eastus2')!.template;
    const groups = JSON.stringify(
      egress.resources.filter((r) => r.type === 'Microsoft.Network/firewallPolicies/ruleCollectionGroups'),
    );
    expect(groups).toContain('"destinationFqdns":["github.com"],"destinationPorts":["22"]');
    expect(groups).not.toContain('flux-to-git-host"');
    expect(ArmSchemaValidator.load().validateTemplate(egress, 'hub-egress.json')).toStrictEqual([]);
  });
});

describe('planDeployment', () => {
  it('orders shared → hubs → spokes → hub egress → Key Vaults → stamps → Front Door origins, each with group and template', () => {
    const plan = planDeployment(fleet);
    expect(plan.map((s) => s.id)).toStrictEqual([
      'resource-groups',
      'shared',
      'hub/eastus2',
      'hub/centralus',
      'spoke/bu0001a0042-03',
      'spoke/bu0001a0042-04',
      'hub-egress/eastus2',
      'hub-egress/centralus',
      'key-vault/bu0001a0042-03',
      'key-vault/bu0001a0042-04',
      'stamp/bu0001a0042-03',
      'stamp/bu0001a0042-04',
      'frontdoor',
    ]);
    expect(plan[0]).toMatchObject({
      scope: 'subscription',
      location: 'eastus2',
      templatePath: 'infrastructure/resource-groups/template.json',
    });
    expect(plan.find((s) => s.id === 'stamp/bu0001a0042-04')).toMatchObject({
      scope: 'resourceGroup',
      resourceGroup: 'rg-bu0001a0042-04',
      region: 'centralus',
      deploymentName: 'aks-fleet-stamp-bu0001a0042-04',
    });
    expect(plan.at(-1)).toMatchObject({ resourceGroup: sharedAzureNames(fleet.spec).resourceGroup });
  });

  it('filters to one region plus the fleet-wide steps, and rejects an unknown region', () => {
    expect(planDeployment(fleet, { region: 'centralus' }).map((s) => s.id)).toStrictEqual([
      'resource-groups',
      'shared',
      'hub/centralus',
      'spoke/bu0001a0042-04',
      'hub-egress/centralus',
      'key-vault/bu0001a0042-04',
      'stamp/bu0001a0042-04',
      'frontdoor',
    ]);
    expect(() => planDeployment(fleet, { region: 'eastus-2' })).toThrow(
      /unknown region "eastus-2"; the fleet has eastus2, centralus — fix: pass one of these to --region/,
    );
  });

  it('plan.json lists the same steps in order', () => {
    const plan = JSON.parse(byPath(infrastructureFiles(fleet)).get('infrastructure/plan.json')!);
    expect(plan.steps.map((s: { order: number; id: string }) => `${s.order}:${s.id}`)).toStrictEqual(
      planDeployment(fleet).map((s, i) => `${i + 1}:${s.id}`),
    );
  });
});

describe('a third region is data only', () => {
  it('adds its hub, spoke, egress rules, stamp, an ACR replica and a Front Door origin', () => {
    const before = byPath(infrastructureFiles(fleet));
    const after = byPath(infrastructureFiles(threeRegionFleet()));
    const added = [...after.keys()].filter((p) => !before.has(p)).sort();
    expect(added).toStrictEqual([
      `infrastructure/clusters/${THIRD_CLUSTER}/key-vault/parameters.json`,
      `infrastructure/clusters/${THIRD_CLUSTER}/key-vault/template.json`,
      `infrastructure/clusters/${THIRD_CLUSTER}/spoke/parameters.json`,
      `infrastructure/clusters/${THIRD_CLUSTER}/spoke/template.json`,
      `infrastructure/clusters/${THIRD_CLUSTER}/stamp/parameters.json`,
      `infrastructure/clusters/${THIRD_CLUSTER}/stamp/template.json`,
      `infrastructure/regions/${THIRD_REGION}/hub-egress/parameters.json`,
      `infrastructure/regions/${THIRD_REGION}/hub-egress/template.json`,
      `infrastructure/regions/${THIRD_REGION}/hub/parameters.json`,
      `infrastructure/regions/${THIRD_REGION}/hub/template.json`,
    ]);
    const shared = JSON.parse(after.get('infrastructure/shared/template.json')!) as ArmTemplate;
    expect(
      shared.resources
        .filter((r) => r.type === 'Microsoft.ContainerRegistry/registries/replications')
        .map((r) => r.location),
    ).toStrictEqual(['centralus', THIRD_REGION]);
    const frontDoor = JSON.parse(after.get('infrastructure/frontdoor/template.json')!) as ArmTemplate;
    const origin = frontDoor.resources.find((r) => r.name.endsWith(`/origin-${THIRD_CLUSTER}`)) as
      { properties: Record<string, unknown> } | undefined;
    expect(origin?.properties).toMatchObject({
      hostName: clusterAzureNames(threeRegionFleet().spec, THIRD_CLUSTER).appGatewayFqdn,
      priority: 2,
      weight: 100,
    });
    // The existing regions' hub and stamp files do not change.
    for (const path of [
      'infrastructure/regions/eastus2/hub/template.json',
      'infrastructure/clusters/bu0001a0042-03/stamp/template.json',
    ]) {
      expect(after.get(path), path).toBe(before.get(path));
    }
  });
});
