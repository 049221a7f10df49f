/**
 * The fleet the e2e suite reconciles: the embedded default fleet (its two regions) plus the generated third region
 * of `@aks-fleet/fleet/testing` — written to a fleet FILE and synthesized by the real CLI, like any user's fleet.
 */
import { writeFileSync } from 'node:fs';
import type { Fleet } from '@aks-fleet/fleet';
import { threeRegionDocument } from '@aks-fleet/fleet/testing';
import { stringify } from 'yaml';

/**
 * The default fleet plus the generated third region, all in one rollout wave: the reconciliation scenarios have
 * every region follow the model's branch (rollout-waves.test.ts declares its own waves).
 */
export function loadTestFleet(): Fleet {
  const fleet = threeRegionDocument();
  fleet.spec.rollout = {
    waves: [{ name: 'all', regions: Object.keys(fleet.spec.regions), clusters: [], soak: '0s', approval: false }],
  };
  return fleet;
}

export function writeFleetFile(fleet: Readonly<Fleet>, file: string): void {
  writeFileSync(file, `# aks-fleet e2e test fleet (generated)\n${stringify(fleet, { lineWidth: 0 })}`);
}
