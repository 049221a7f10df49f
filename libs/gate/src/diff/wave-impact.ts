/**
 * Which rollout waves a change reaches, in order: the first wave it touches gets it on merge (wave 1 follows the
 * model's branch) or on that wave's promotion; every later wave only when `fleet rollout promote` moves its branch.
 */
import { rolloutWaves, type FleetSpec } from '@aks-fleet/fleet';
import type { FleetDiff } from './fleet-diff.ts';

export interface WaveImpact {
  readonly wave: string;
  readonly index: number;
  readonly branch: string;
  /** Clusters of the wave the change touches. */
  readonly clusters: readonly string[];
}

export function waveImpact(spec: FleetSpec, diff: FleetDiff): WaveImpact[] {
  const changed = new Set(diff.clusters.map((c) => c.cluster));
  return rolloutWaves(spec)
    .map((w) => ({
      wave: w.name,
      index: w.index,
      branch: w.branch,
      clusters: w.clusters.filter((c) => changed.has(c)),
    }))
    .filter((w) => w.clusters.length > 0);
}

/** One sentence: where the change lands first and how it travels on. */
export function describeWaveImpact(
  waves: readonly WaveImpact[],
  mainBranch: string,
  code: (text: string) => string = (t) => t,
): string | undefined {
  if (waves.length === 0) return undefined;
  const how = (w: WaveImpact) =>
    w.index === 1 ? `on merge to ${code(mainBranch)}` : `on ${code(`fleet rollout promote ${w.wave}`)}`;
  const [first, ...rest] = waves;
  const step = (w: WaveImpact) => `wave ${w.index} ${code(w.wave)} (${w.clusters.map(code).join(', ')}, ${how(w)})`;
  return `reaches ${step(first!)} first${rest.length ? `, then ${rest.map(step).join(', then ')}` : ''}`;
}
