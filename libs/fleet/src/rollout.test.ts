import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FleetValidationError, type FleetIssue } from './errors.ts';
import { clustersOf } from './names.ts';
import { parseFleet } from './parse.ts';
import { clusterSourceBranch, parseDuration, rolloutWaves, WAVE_BRANCH_PREFIX } from './rollout.ts';
import type { Fleet } from './schema.ts';
import { defaultFleetDocument } from './testing/invalid-fleets.ts';

function withWaves(waves: unknown): Fleet {
  const fleet = defaultFleetDocument();
  (fleet.spec as { rollout?: unknown }).rollout = { waves };
  return fleet;
}

function issuesOf(fleet: Fleet): FleetIssue[] {
  try {
    parseFleet(fleet);
    return [];
  } catch (error) {
    if (error instanceof FleetValidationError) return [...error.issues];
    throw error;
  }
}

describe('rollout waves', () => {
  it('default: one wave per region in fleet order, the first follows the model branch, the others fleet/wave-<region>', () => {
    const { spec } = parseFleet(defaultFleetDocument());
    const waves = rolloutWaves(spec);
    expect(waves.map((w) => [w.name, w.clusters, w.branch, w.soak])).toStrictEqual([
      ['eastus2', ['bu0001a0042-03'], 'main', '15m'],
      ['centralus', ['bu0001a0042-04'], `${WAVE_BRANCH_PREFIX}centralus`, '15m'],
    ]);
    expect(clusterSourceBranch(spec, 'bu0001a0042-04')).toBe('fleet/wave-centralus');
  });

  it('declared waves select clusters by region and by name; soak and approval are kept', () => {
    const { spec } = parseFleet(
      withWaves([
        { name: 'canary', clusters: ['bu0001a0042-04'], soak: '1h30m' },
        { name: 'rest', regions: ['eastus2'], approval: true },
      ]),
    );
    expect(rolloutWaves(spec).map((w) => [w.name, w.clusters, w.soakSeconds, w.approval, w.branch])).toStrictEqual([
      ['canary', ['bu0001a0042-04'], 5400, false, 'main'],
      ['rest', ['bu0001a0042-03'], 900, true, 'fleet/wave-rest'],
    ]);
  });

  it('every cluster of any valid wave layout is in exactly one wave', () => {
    const { spec } = parseFleet(defaultFleetDocument());
    const clusters = clustersOf(spec).map((c) => c.cluster.name);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: clusters.length, maxLength: clusters.length }),
        (assignment) => {
          const used = [...new Set(assignment)];
          const waves = used.map((w) => ({ name: `w${w}`, clusters: clusters.filter((_, i) => assignment[i] === w) }));
          const parsed = parseFleet(withWaves(waves));
          const resolved = rolloutWaves(parsed.spec);
          expect(resolved.flatMap((w) => w.clusters).sort()).toStrictEqual([...clusters].sort());
          expect(resolved.every((w) => w.clusters.length > 0)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('parses durations; rejects what does not parse', () => {
    expect([
      parseDuration('0s'),
      parseDuration('90s'),
      parseDuration('15m'),
      parseDuration('1h30m'),
      parseDuration('2h'),
    ]).toStrictEqual([0, 90, 900, 5400, 7200]);
    for (const bad of ['', '15', '1d', 'm', '-5m', '15 m', '1m2h']) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it.each([
    {
      name: 'a cluster in no wave',
      waves: [{ name: 'one', regions: ['eastus2'] }],
      path: 'rollout.waves',
      expect: /every cluster of the fleet in a wave/,
      fix: /add bu0001a0042-04/,
    },
    {
      name: 'a cluster in two waves',
      waves: [
        { name: 'one', regions: ['eastus2'] },
        { name: 'two', regions: ['centralus'], clusters: ['bu0001a0042-03'] },
      ],
      path: 'rollout.waves[1]',
      expect: /exactly one wave \(bu0001a0042-03 is already in rollout\.waves\[0\]\)/,
      fix: /remove bu0001a0042-03/,
    },
    {
      name: 'an empty wave',
      waves: [{ name: 'one', regions: ['eastus2', 'centralus'] }, { name: 'empty' }],
      path: 'rollout.waves[1]',
      expect: /at least one cluster/,
      fix: /add a region or cluster/,
    },
    {
      name: 'a soak that does not parse',
      waves: [{ name: 'one', regions: ['eastus2', 'centralus'], soak: '10 minutes' }],
      path: 'rollout.waves[0].soak',
      expect: /a duration like "90s"/,
      fix: /e\.g\. "10m"/,
    },
    {
      name: 'an unknown region',
      waves: [{ name: 'one', regions: ['eastus2', 'centralus', 'westeurope'] }],
      path: 'rollout.waves[0].regions[2]',
      expect: /a region of the fleet \(eastus2, centralus\)/,
      fix: /name a region/,
    },
    {
      name: 'an unknown cluster',
      waves: [{ name: 'one', regions: ['eastus2', 'centralus'], clusters: ['nope'] }],
      path: 'rollout.waves[0].clusters[0]',
      expect: /a cluster of the fleet/,
      fix: /name a cluster/,
    },
    {
      name: 'a duplicate wave name',
      waves: [
        { name: 'one', regions: ['eastus2'] },
        { name: 'one', regions: ['centralus'] },
      ],
      path: 'rollout.waves[1].name',
      expect: /used once/,
      fix: /rename/,
    },
    { name: 'no waves', waves: [], path: 'rollout.waves', expect: /at least one wave/, fix: /remove rollout\.waves/ },
    {
      name: 'a wave name that is no DNS label',
      waves: [{ name: 'Wave 1', regions: ['eastus2', 'centralus'] }],
      path: 'rollout.waves[0].name',
      expect: /DNS-1123/,
      fix: /./,
    },
  ])('rejects $name with the path, value, expectation and fix', ({ waves, path, expect: expected, fix }) => {
    const issues = issuesOf(withWaves(waves));
    const issue = issues.find((i) => i.path === path);
    expect(issue, `${path} in ${JSON.stringify(issues)}`).toBeDefined();
    expect(issue!.expected).toMatch(expected);
    expect(issue!.fix).toMatch(fix);
  });

  it('reports every rollout error of a document together', () => {
    const issues = issuesOf(withWaves([{ name: 'one', regions: ['nowhere'], soak: 'soon' }, { name: 'one' }]));
    expect(issues.map((i) => i.path).sort()).toStrictEqual([
      'rollout.waves',
      'rollout.waves[0]',
      'rollout.waves[0].regions[0]',
      'rollout.waves[0].soak',
      'rollout.waves[1]',
      'rollout.waves[1].name',
    ]);
  });
});
