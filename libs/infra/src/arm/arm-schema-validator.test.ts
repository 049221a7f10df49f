import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArmSchemaValidator, formatArmProblem, type ArmProblem } from './arm-schema-validator.ts';
import type { ArmResource, ArmTemplate } from './arm-template.ts';
import { fleetDeployments } from '../deployment-plan.ts';
import { infrastructureFiles } from '../infrastructure-files.ts';
import { SchemaLocationError } from './arm-schema-files.ts';
import { defaultFleet, threeRegionFleet } from '../test-fleets.ts';
import { extendDataCollectionStreams } from './schema-transforms.ts';

// The official schemas come from FLEET_SCHEMA_LOCATION (CI: ../shared/schemas) or .cache/schemas.
const strict = ArmSchemaValidator.load();
const fleet = defaultFleet();
const deployments = fleetDeployments(fleet);

function stampOf(): ArmTemplate {
  return structuredClone(deployments.find(({ step }) => step.kind === 'stamp')!.template) as ArmTemplate;
}

function sharedOf(): ArmTemplate {
  return structuredClone(deployments.find(({ step }) => step.kind === 'shared')!.template) as ArmTemplate;
}

type Mutable = Record<string, unknown>;

/** The first resource of a type in a (mutable) template copy, and its index. */
function find(template: ArmTemplate, type: string): { index: number; resource: Mutable } {
  const index = template.resources.findIndex((r) => r.type === type);
  expect(index, `a ${type} in the template`).toBeGreaterThanOrEqual(0);
  return { index, resource: template.resources[index] as unknown as Mutable };
}

/** Value at a dotted path (`properties.sku.name`, array indexes as numbers). */
function get(target: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node as Mutable)[key], target);
}

/** Sets (or, with `undefined`, deletes) the value at a dotted path. */
function set(target: unknown, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  const parent = (keys.length === 1 ? target : get(target, keys.slice(0, -1).join('.'))) as Mutable;
  if (value === undefined) delete parent[keys.at(-1)!];
  else parent[keys.at(-1)!] = value;
}

function paths(problems: readonly ArmProblem[]): string[] {
  return problems.map((p) => p.path);
}

describe('every emitted file validates in strict mode', () => {
  for (const [name, build] of [
    ['default fleet', () => fleet],
    ['three-region fleet', threeRegionFleet],
  ] as const) {
    it(`${name}: templates (with nested templates) and parameter files`, () => {
      const files = infrastructureFiles(build());
      const templates = files.filter((f) => f.path.endsWith('/template.json'));
      expect(templates.length).toBeGreaterThanOrEqual(9);
      const problems = templates.flatMap((file) => {
        const template = JSON.parse(file.content);
        const parametersFile = files.find((f) => f.path === file.path.replace(/template\.json$/, 'parameters.json'))!;
        return [
          ...strict.validateTemplate(template, file.path),
          ...strict.validateParameters(JSON.parse(parametersFile.content), template, parametersFile.path),
        ];
      });
      expect(problems.map(formatArmProblem)).toStrictEqual([]);
    });
  }
});

describe('negative controls: the validator rejects', () => {
  it('fails a wrong enum (App Gateway SKU), naming path, value, allowed values', () => {
    const template = stampOf();
    const { index, resource } = find(template, 'Microsoft.Network/applicationGateways');
    set(resource, 'properties.sku.name', 'WAF_v3');
    const problems = strict.validateTemplate(template, 'stamp.json');
    const problem = problems.find((p) => p.path === `resources[${index}].properties.sku.name`);
    expect(problem?.value).toBe('WAF_v3');
    expect(problem?.expected).toContain('WAF_v2');
  });

  it('reports every problem of a resource, not only the first (a quick pass/fail check runs first)', () => {
    // GIVEN a valid template checked first (the quick check alone decides it), then a copy with two mistakes
    expect(strict.validateTemplate(stampOf(), 'stamp.json')).toStrictEqual([]);
    const template = stampOf();
    const { index, resource } = find(template, 'Microsoft.Network/applicationGateways');
    set(resource, 'properties.sku.name', 'WAF_v3');
    set(resource, 'properties.sku.tier', 'Platinum');
    // WHEN it is validated
    const problems = paths(strict.validateTemplate(template, 'stamp.json'));
    // THEN both are named
    expect(problems).toContain(`resources[${index}].properties.sku.name`);
    expect(problems).toContain(`resources[${index}].properties.sku.tier`);
  });

  it('fails a wrong type (Flux sync interval as a string)', () => {
    const template = stampOf();
    const { index, resource } = find(template, 'Microsoft.KubernetesConfiguration/fluxConfigurations');
    set(resource, 'properties.gitRepository.syncIntervalInSeconds', '5m');
    expect(paths(strict.validateTemplate(template, 'stamp.json'))).toContain(
      `resources[${index}].properties.gitRepository.syncIntervalInSeconds`,
    );
  });

  it('fails a wrong apiVersion and lists the versions that have a schema', () => {
    const template = stampOf();
    const { index, resource } = find(template, 'Microsoft.ContainerService/managedClusters');
    set(resource, 'apiVersion', '2019-01-01');
    const [problem] = strict.validateTemplate(template, 'stamp.json');
    expect(problem?.path).toBe(`resources[${index}].apiVersion`);
    expect(problem?.expected).toContain('2026-05-01');
  });

  it('fails a misspelled property in strict mode only, suggesting the right name', () => {
    const template = stampOf();
    const { index, resource } = find(template, 'Microsoft.ContainerService/managedClusters');
    set(resource, 'properties.networkProfile.networkPlugInMode', 'overlay');
    const problem = strict
      .validateTemplate(template, 'stamp.json')
      .find((p) => p.path === `resources[${index}].properties.networkProfile.networkPlugInMode`);
    expect(problem?.fix).toBe('rename "networkPlugInMode" to "networkPluginMode"');
    // The same typo passes the schemas as published (no additionalProperties: false anywhere).
    const loose = ArmSchemaValidator.load({ strict: false });
    expect(
      loose.validateTemplate({ ...template, resources: [template.resources[index]!] }, 'stamp.json'),
    ).toStrictEqual([]);
  });

  it('fails a misspelled resource envelope key (dependOn)', () => {
    const template = sharedOf();
    const { index, resource } = find(template, 'Microsoft.ContainerRegistry/registries/replications');
    set(resource, 'dependOn', get(resource, 'dependsOn'));
    set(resource, 'dependsOn', undefined);
    expect(paths(strict.validateTemplate(template, 'shared.json'))).toContain(`resources[${index}].dependOn`);
  });

  it('fails a misspelled security policy property despite the Cdn allOf fix', () => {
    const template = sharedOf();
    const { index, resource } = find(template, 'Microsoft.Cdn/profiles/securityPolicies');
    set(resource, 'properties.parameters.wafPolicyId', get(resource, 'properties.parameters.wafPolicy'));
    expect(paths(strict.validateTemplate(template, 'shared.json'))).toContain(
      `resources[${index}].properties.parameters.wafPolicyId`,
    );
  });

  it('fails a misspelled data collection rule property (official 2024-03-11 schema, or the local fallback without it)', () => {
    const template = stampOf();
    const { index, resource } = find(template, 'Microsoft.Insights/dataCollectionRules');
    set(resource, 'properties.dataFlow', get(resource, 'properties.dataFlows'));
    expect(paths(strict.validateTemplate(template, 'stamp.json'))).toContain(`resources[${index}].properties.dataFlow`);
    const association = find(stampOf(), 'Microsoft.Insights/dataCollectionRuleAssociations');
    set(association.resource, 'properties.dataCollectionRule', 'x');
    expect(
      paths(strict.validateTemplate({ ...template, resources: [association.resource as ArmResource] }, 'stamp.json')),
    ).toContain('resources[0].properties.dataCollectionRule');
  });

  it('validates nested deployment templates (a bad principalType inside the cross-group role assignment)', () => {
    const template = stampOf();
    const { index, resource } = find(template, 'Microsoft.Resources/deployments');
    set(resource, 'properties.template.resources.0.properties.principalType', 'Robot');
    expect(paths(strict.validateTemplate(template, 'stamp.json'))).toContain(
      `resources[${index}].properties.template.resources[0].properties.principalType`,
    );
  });

  it('fails a top-level child resource whose name lacks the parent segment', () => {
    const template = sharedOf();
    const { index, resource } = find(template, 'Microsoft.ContainerRegistry/registries/replications');
    set(resource, 'name', 'centralus');
    const problem = strict.validateTemplate(template, 'shared.json').find((p) => p.path === `resources[${index}].name`);
    expect(problem?.expected).toContain('2 "/"-separated segments');
  });

  it('fails an unknown resource type', () => {
    const template = sharedOf();
    (template.resources as ArmResource[]).push({
      type: 'Microsoft.Network/virtualNetwork',
      apiVersion: '2025-07-01',
      name: 'x',
    });
    const problem = strict.validateTemplate(template, 'shared.json').at(-1);
    expect(problem?.expected).toBe('a resource type with an ARM schema in the schema folder');
  });

  it('fails a parameters file that carries a secure value, an undeclared parameter, or misses a required one', () => {
    const template = structuredClone(
      deployments.find(({ step }) => step.kind === 'key-vault')!.template,
    ) as ArmTemplate;
    const problems = strict.validateParameters(
      {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
        contentVersion: '1.0.0.0',
        parameters: { ingressRootCertificate: { value: 'MII...' }, colour: { value: 'blue' } },
      },
      template,
      'parameters.json',
    );
    expect(paths(problems)).toStrictEqual([
      'parameters.ingressRootCertificate.value',
      'parameters.colour',
      'parameters.tags',
    ]);
  });
});

describe('quirks the validator handles', () => {
  it('matches resource types case-insensitively, as ARM does', () => {
    const template = sharedOf();
    const { resource } = find(template, 'Microsoft.ContainerRegistry/registries');
    set(resource, 'type', 'microsoft.containerregistry/REGISTRIES');
    expect(strict.validateTemplate(template, 'shared.json')).toStrictEqual([]);
  });

  it('accepts an ARM expression where the literal must match a pattern, and still rejects a bad literal', () => {
    const template = stampOf();
    const { index, resource } = find(template, 'Microsoft.Authorization/policyAssignments');
    set(resource, 'name', "[guid(resourceGroup().id, 'policy')]");
    expect(strict.validateTemplate(template, 'stamp.json')).toStrictEqual([]);
    set(resource, 'name', 'bad:name');
    expect(paths(strict.validateTemplate(template, 'stamp.json'))).toContain(`resources[${index}].name`);
  });

  it('adds the Container Insights stream group to the closed stream enums of the Insights schema', () => {
    const streams = () => ({
      oneOf: [{ type: 'array', items: { type: 'string', enum: ['Microsoft-Perf'] } }, { $ref: 'x' }],
    });
    const schema = {
      definitions: {
        ExtensionDataSource: { properties: { streams: streams() } },
        DataFlow: { properties: { streams: streams() } },
      },
    };
    extendDataCollectionStreams(schema);
    for (const definition of ['ExtensionDataSource', 'DataFlow'] as const) {
      expect(schema.definitions[definition].properties.streams.oneOf[0]!.items!.enum).toStrictEqual([
        'Microsoft-Perf',
        'Microsoft-ContainerInsights-Group-Default',
      ]);
    }
  });

  it('fails with a clear message when the schema folder is empty', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-schemas-'));
    expect(() => ArmSchemaValidator.load({ location: empty })).toThrow(SchemaLocationError);
    expect(() => ArmSchemaValidator.load({ location: empty })).toThrow(
      /scripts\/fetch-schemas\.sh.*FLEET_SCHEMA_LOCATION/,
    );
  });
});
