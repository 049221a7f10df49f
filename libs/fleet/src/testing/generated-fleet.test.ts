import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { deriveClusterAzureNames } from '../azure-names.ts';
import { loadFleet } from '../load.ts';
import { clustersOf } from '../names.ts';
import { generateFleet } from './generated-fleet.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'generated-fleet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generateFleet', () => {
  it('generates a 1000-cluster fleet that loads cleanly (no derived Azure name collides)', () => {
    // GIVEN a generated fleet written as the benchmark writes it
    const fleet = generateFleet(1000);
    const file = path.join(dir, 'fleet-1000.yaml');
    writeFileSync(file, stringify(fleet));

    // WHEN it is loaded through the real model (schema and cross-field rules)
    const loaded = loadFleet(file).fleet;

    // THEN every cluster is there, named uniquely
    const names = clustersOf(loaded.spec).map(({ cluster }) => cluster.name);
    expect(names).toHaveLength(1000);
    expect(new Set(names).size).toBe(1000);
  });

  it('skips a name whose Key Vault name collides with an earlier cluster (issue 15: aks-southindia-10/-11)', () => {
    // GIVEN two sequential names that derive the same Key Vault name after truncation
    const spec = generateFleet(1).spec;
    const vault = (name: string) => deriveClusterAzureNames(spec, 'southindia', name).keyVault;
    expect(vault('aks-southindia-11')).toBe(vault('aks-southindia-10'));

    // WHEN a fleet large enough to reach them is generated
    const southIndia = generateFleet(1000).spec.regions.southindia!.clusters.map((c) => c.name);

    // THEN the first is kept, the second skipped, and the instance id follows the name
    expect(southIndia).toContain('aks-southindia-10');
    expect(southIndia).not.toContain('aks-southindia-11');
    expect(southIndia).toContain('aks-southindia-12');
    for (const cluster of generateFleet(1000).spec.regions.southindia!.clusters)
      expect(cluster.name.endsWith(`-${cluster.instance}`)).toBe(true);
  });

  it('keeps smaller fleets as they were (sequential names, no skips)', () => {
    for (const [region, { clusters }] of Object.entries(generateFleet(100).spec.regions))
      expect(clusters.map((c) => c.name)).toEqual(
        clusters.map((_, n) => `aks-${region}-${String(n).padStart(2, '0')}`),
      );
  });
});
