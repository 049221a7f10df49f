/**
 * One wave branch per cluster, everywhere: the model (`clusterSourceBranch`), the infrastructure (each cluster's
 * fluxConfiguration `repositoryRef.branch`, generated and committed), the e2e bootstrap (the GitRepository the
 * harness creates) and the rollout workflow (one job per wave, in order, each in its wave's environment).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clustersOf, loadFleet, parseFleet, rolloutWaves, type Fleet } from '@aks-fleet/fleet';
import { infrastructureFiles } from '@aks-fleet/infra';
import { renderRolloutWorkflow } from '@aks-fleet/rollout';
import { waveBootstrapObjects } from '@aks-fleet/e2e/src/wave-bootstrap.ts';
import { loadTestFleet } from '@aks-fleet/e2e/src/test-fleet.ts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface ArmResource {
  type: string;
  properties?: { gitRepository?: { repositoryRef?: { branch?: string } } };
  resources?: ArmResource[];
}

/** Every fluxConfigurations resource of a template (nested templates included) → its branch. */
function fluxBranches(template: { resources?: ArmResource[] | Record<string, ArmResource> }): string[] {
  const walk = (resources: ArmResource[] | Record<string, ArmResource> | undefined): string[] =>
    Object.values(resources ?? {}).flatMap((r) => [
      ...(r.type === 'Microsoft.KubernetesConfiguration/fluxConfigurations'
        ? [r.properties!.gitRepository!.repositoryRef!.branch!]
        : []),
      ...walk(r.resources),
      ...walk((r.properties as { template?: { resources?: ArmResource[] } } | undefined)?.template?.resources),
    ]);
  return walk(template.resources);
}

function withWaves(fleet: Fleet, waves: NonNullable<Fleet['spec']['rollout']>['waves']): Readonly<Fleet> {
  const copy = structuredClone(fleet) as Fleet;
  copy.spec.rollout = { waves };
  return parseFleet(copy);
}

const fleets: Array<[string, Readonly<Fleet>]> = [
  ['the default fleet (one wave per region)', loadFleet().fleet],
  ['the e2e fleet (one wave)', parseFleet(loadTestFleet())],
  [
    'declared waves by cluster and region',
    withWaves(loadTestFleet(), [
      { name: 'canary', regions: [], clusters: ['bu0001a0042-04'], soak: '5m', approval: false },
      { name: 'rest', regions: ['eastus2', 'westus3'], clusters: [], soak: '1h', approval: true },
    ]),
  ],
];

describe('wave branches: model, infrastructure and e2e bootstrap agree', () => {
  it.each(fleets)('%s', (_name, fleet) => {
    const templates = new Map(infrastructureFiles(fleet).map((f) => [f.path, JSON.parse(f.content)]));
    const waves = rolloutWaves(fleet.spec);
    for (const { cluster } of clustersOf(fleet.spec)) {
      const wave = waves.find((w) => w.clusters.includes(cluster.name))!;
      const expected = wave.index === 1 ? fleet.spec.gitSource.branch : `fleet/wave-${wave.name}`;
      const stamp = templates.get(`infrastructure/clusters/${cluster.name}/stamp/template.json`);
      expect(fluxBranches(stamp), `${cluster.name}: fluxConfiguration`).toStrictEqual([expected]);
      const { gitRepository } = waveBootstrapObjects(fleet.spec, cluster.name, 'http://127.0.0.1:1/aks-fleet.git', {
        username: 'fleet',
        password: 'unused',
      });
      expect((gitRepository.spec as { ref: { branch: string } }).ref.branch, `${cluster.name}: e2e bootstrap`).toBe(
        expected,
      );
    }
    expect(new Set(waves.map((w) => w.branch)).size).toBe(waves.length);
  });

  it('the committed stamps carry the wave branch of the default fleet', () => {
    for (const { cluster } of clustersOf(loadFleet().fleet.spec)) {
      const committed = JSON.parse(
        readFileSync(path.join(ROOT, `infrastructure/clusters/${cluster.name}/stamp/template.json`), 'utf8'),
      );
      expect(fluxBranches(committed)).toStrictEqual([
        rolloutWaves(loadFleet().fleet.spec).find((w) => w.clusters.includes(cluster.name))!.branch,
      ]);
    }
  });
});

describe('rollout.yml', () => {
  const committed = readFileSync(path.join(ROOT, '.github/workflows/rollout.yml'), 'utf8');

  it('is what `fleet rollout workflow` renders for the model', () => {
    expect(committed).toBe(renderRolloutWorkflow(loadFleet().fleet.spec));
  });

  it('runs on push to the main branch and on dispatch: one job per wave in order, each needing the one before, in its environment, promoting with --wait', () => {
    const workflow = parse(committed) as {
      on: Record<string, unknown>;
      jobs: Record<string, { needs?: string; environment: string; steps: Array<{ run?: string }> }>;
    };
    expect(Object.keys(workflow.on).sort()).toStrictEqual(['push', 'workflow_dispatch']);
    const waves = rolloutWaves(loadFleet().fleet.spec);
    expect(Object.keys(workflow.jobs)).toStrictEqual(waves.map((w) => `wave-${w.name}`));
    waves.forEach((wave, i) => {
      const job = workflow.jobs[`wave-${wave.name}`]!;
      expect(job.environment).toBe(wave.name);
      expect(job.needs).toBe(i === 0 ? undefined : `wave-${waves[i - 1]!.name}`);
      expect(job.steps.map((s) => s.run ?? '').join('\n')).toMatch(
        new RegExp(`npx fleet rollout promote ${wave.name} --wait \\d+m --source arm`),
      );
    });
    // Never skips a wave: no job runs when the one before it failed.
    expect(committed).not.toMatch(/always\(\)|continue-on-error/);
  });

  it('follows the model: three waves give three chained jobs, approval noted on the environment', () => {
    const fleet = withWaves(loadTestFleet(), [
      { name: 'a', regions: ['eastus2'], clusters: [], soak: '10m', approval: false },
      { name: 'b', regions: ['centralus'], clusters: [], soak: '30m', approval: true },
      { name: 'c', regions: ['westus3'], clusters: [], soak: '1h', approval: true },
    ]);
    const workflow = parse(renderRolloutWorkflow(fleet.spec)) as {
      jobs: Record<string, { needs?: string; environment: string; steps: Array<{ run?: string }> }>;
    };
    expect(Object.entries(workflow.jobs).map(([id, job]) => [id, job.needs, job.environment])).toStrictEqual([
      ['wave-a', undefined, 'a'],
      ['wave-b', 'wave-a', 'b'],
      ['wave-c', 'wave-b', 'c'],
    ]);
    expect(workflow.jobs['wave-c']!.steps.at(-1)!.run).toBe('npx fleet rollout promote c --wait 90m --source arm');
  });
});
