import fc from 'fast-check';
import { parseFleet, rolloutWaves, type Fleet } from '@aks-fleet/fleet';
import { describe, expect, it } from 'vitest';
import { readyAt } from './cluster-status.ts';
import { promotionBlockers } from './promotion-gate.ts';
import { failing, healthyCluster, sha } from './testing/statuses.ts';
import { loadFleet } from '@aks-fleet/fleet';

const now = new Date('2026-11-29T06:00:00Z');

function threeClusterWaves() {
  const fleet = structuredClone(loadFleet().fleet) as Fleet;
  fleet.spec.rollout = {
    waves: [
      { name: 'canary', regions: ['eastus2'], clusters: [], soak: '10m', approval: false },
      { name: 'rest', regions: ['centralus'], clusters: [], soak: '15m', approval: true },
    ],
  };
  const [previous, wave] = rolloutWaves(parseFleet(fleet).spec);
  return { previous: previous!, wave: wave! };
}

describe('promotion gate', () => {
  const { previous, wave } = threeClusterWaves();
  const target = sha(1);
  const gate = (statuses: Parameters<typeof promotionBlockers>[0]['statuses'], extra = {}) =>
    promotionBlockers({ wave, previous, targetSha: target, statuses, now, ...extra });

  it('lets a wave through when every cluster of the previous wave is Ready at the revision for its soak', () => {
    expect(gate([healthyCluster('bu0001a0042-03', 'canary', target, { readyForSeconds: 600, now })])).toStrictEqual([]);
  });

  it('refuses before the soak, saying how long is left', () => {
    const blockers = gate([healthyCluster('bu0001a0042-03', 'canary', target, { readyForSeconds: 540, now })]);
    expect(blockers.map((b) => b.kind)).toStrictEqual(['soak']);
    expect(blockers[0]!.message).toBe(
      `the soak of wave canary has not passed: Ready at ${target.slice(0, 8)} for 9 min 0 s of 10m (60 s to go)`,
    );
  });

  it('measures the soak from the latest Ready transition of any layer', () => {
    const status = healthyCluster('bu0001a0042-03', 'canary', target, { readyForSeconds: 3600, now });
    const late = {
      ...status,
      kustomizations: status.kustomizations.map((k, i) =>
        i === 1 ? { ...k, readySince: new Date(now.getTime() - 30_000).toISOString() } : k,
      ),
    };
    expect(gate([late]).map((b) => b.message)).toStrictEqual([
      `the soak of wave canary has not passed: Ready at ${target.slice(0, 8)} for 30 s of 10m (9 min 30 s to go)`,
    ]);
  });

  it('refuses when the previous wave runs another revision', () => {
    const blockers = gate([healthyCluster('bu0001a0042-03', 'canary', sha(2), { readyForSeconds: 3600, now })]);
    expect(blockers.map((b) => b.message)).toStrictEqual([
      `bu0001a0042-03 (wave canary) runs ${sha(2).slice(0, 8)}, not ${target.slice(0, 8)}`,
    ]);
  });

  it('refuses when a Kustomization is failing, naming it and its error', () => {
    const status = failing(
      healthyCluster('bu0001a0042-03', 'canary', target, { readyForSeconds: 3600, now }),
      'fleet-baseline',
      sha(3),
      'kustomization.yaml: resource missing.yaml not found',
    );
    const blockers = gate([status]);
    expect(blockers.map((b) => b.kind)).toStrictEqual(['failing', 'not-ready']);
    expect(blockers[0]!.message).toBe(
      `bu0001a0042-03 (wave canary): Kustomization fleet-baseline is failing at ${sha(3).slice(0, 8)}: BuildFailed: kustomization.yaml: resource missing.yaml not found`,
    );
  });

  it('refuses when a cluster is unreachable', () => {
    const blockers = gate([
      {
        ...healthyCluster('bu0001a0042-03', 'canary', target, { readyForSeconds: 3600, now }),
        reachable: false,
        error: 'connect ECONNREFUSED 127.0.0.1:1',
      },
    ]);
    expect(blockers.map((b) => b.message)).toStrictEqual([
      'bu0001a0042-03 (wave canary) is unreachable: connect ECONNREFUSED 127.0.0.1:1',
    ]);
  });

  it('refuses a paused wave even when everything is healthy', () => {
    const blockers = gate([healthyCluster('bu0001a0042-03', 'canary', target, { readyForSeconds: 3600, now })], {
      pause: { wave: 'rest', file: 'rollout/paused/rest.yaml', reason: 'incident 42' },
    });
    expect(blockers.map((b) => b.message)).toStrictEqual([
      'wave rest is paused (rollout/paused/rest.yaml: incident 42); fix: fleet rollout resume rest',
    ]);
  });

  it('never lets a wave through while any cluster of the previous wave is not Ready at the revision (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            commit: fc.integer({ min: 1, max: 3 }),
            age: fc.integer({ min: 0, max: 7200 }),
            broken: fc.boolean(),
            reachable: fc.boolean(),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (clusters) => {
          const statuses = clusters.map((c, i) => {
            let s = healthyCluster(`c${i}`, 'canary', sha(c.commit), { readyForSeconds: c.age, now });
            if (c.broken) s = failing(s, 'fleet-policy', sha(c.commit), 'boom');
            return c.reachable ? s : { ...s, reachable: false, error: 'x' };
          });
          const passes = gate(statuses).length === 0;
          const allowed =
            statuses.every((s) => readyAt(s, target)) && clusters.every((c) => c.age >= previous.soakSeconds);
          expect(passes).toBe(allowed);
        },
      ),
      { numRuns: 200 },
    );
  });
});
