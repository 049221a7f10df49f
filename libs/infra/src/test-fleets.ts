/**
 * Fleets for tests, built from the default fleet's data (never from hand-written copies): the default fleet, and the
 * same fleet with the third region of `@aks-fleet/fleet/testing` added, to prove a region is pure data.
 */
import { loadFleet, parseFleet, type Fleet } from '@aks-fleet/fleet';
import { THIRD_REGION as CLONE, threeRegionDocument } from '@aks-fleet/fleet/testing';

export function defaultFleet(): Readonly<Fleet> {
  return loadFleet().fleet;
}

export const THIRD_REGION = CLONE.region;
export const THIRD_CLUSTER = CLONE.cluster;

/** The default fleet plus `westus3` with one cluster; its Front Door origin settings differ from every other's. */
export function threeRegionFleet(): Readonly<Fleet> {
  return parseFleet(threeRegionDocument({ ...CLONE, frontDoor: { priority: 2, weight: 100 } }));
}
