/** `@aks-fleet/fleet/testing`: the shared test fleets (invalid fleets, the third region). */
export * from './invalid-fleets.ts';
export * from './region-clone.ts';
export * from './invalid-fleet-files.ts';
