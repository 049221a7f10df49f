import { describe, expect, it } from 'vitest';
import { generateFleet } from '@aks-fleet/fleet/testing/generated';
import { fleetDeployments } from '../deployment-plan.ts';
import { sha256 } from '@aks-fleet/util';
import { GENERATOR_NAME, templateFileContent, templateHash, toJson } from './arm-json.ts';
import type { ArmTemplate } from './arm-template.ts';

/** The file as first specified: the template with the marker merged into its metadata, sorted and serialized whole. */
function specifiedContent(template: ArmTemplate): string {
  const { metadata, ...rest } = template;
  const hash = sha256(toJson(rest));
  return toJson({
    ...template,
    metadata: { ...(metadata ?? {}), _generator: { name: GENERATOR_NAME, templateHash: hash } },
  });
}

describe('templateFileContent', () => {
  it('is the whole template sorted and serialized with its marker, for every template of a generated fleet', () => {
    const deployments = fleetDeployments(generateFleet(4));
    expect(deployments.length).toBeGreaterThan(10);
    for (const { template } of deployments) {
      expect(templateFileContent(template)).toBe(specifiedContent(template));
      expect(JSON.parse(templateFileContent(template)).metadata._generator.templateHash).toBe(templateHash(template));
    }
  });

  it('writes metadata into its sorted place whatever the other members are (first, middle, last, alone)', () => {
    const templates = [
      { resources: [], outputs: { x: { type: 'string', value: 'a\n  "resources": 1' } } },
      { $schema: 's', contentVersion: '1.0.0.0', resources: [{ name: 'n', properties: { metadata: { a: 1 } } }] },
      { $schema: 's', a: { b: [] } },
      {},
      { zz: 1, metadataX: 2, 'metadata ': 3, metadat: 4 },
    ];
    for (const template of templates)
      expect(templateFileContent(template as unknown as ArmTemplate)).toBe(
        specifiedContent(template as unknown as ArmTemplate),
      );
  });

  it('keeps a template metadata of its own next to the marker, and hashes without it', () => {
    const template = { $schema: 's', contentVersion: '1.0.0.0', resources: [], metadata: { b: 1, a: { d: 1, c: 2 } } };
    expect(templateFileContent(template as unknown as ArmTemplate)).toBe(
      specifiedContent(template as unknown as ArmTemplate),
    );
    expect(templateHash(template as unknown as ArmTemplate)).toBe(
      templateHash({ ...template, metadata: { other: true } } as unknown as ArmTemplate),
    );
  });
});
