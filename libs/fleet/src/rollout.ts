/**
 * Staged rollout: the fleet's clusters in ordered waves. Wave 1 follows the model's `gitSource.branch`; every later
 * wave follows its own branch, `fleet/wave-<name>`, which `fleet rollout promote` moves to a revision the previous
 * wave runs healthy. The branch name is derived here once and used by the infrastructure (each cluster's
 * fluxConfiguration), the rollout commands and the e2e bootstrap.
 */
import { z } from 'zod';
import type { FleetIssue } from './errors.ts';
import { clustersOf } from './names.ts';
import type { Cluster, FleetSpec } from './schema.ts';

/** Every wave after the first follows `fleet/wave-<name>`. */
export const WAVE_BRANCH_PREFIX = 'fleet/wave-';

/** Soak of a wave when the model does not say (and of every default wave). */
export const DEFAULT_SOAK = '15m';

/** A Go-style duration: `90s`, `15m`, `1h30m`, `0s`. */
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** `1h30m` → 5400 (seconds); undefined when it does not parse. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === '') return undefined;
  const [, h = '0', m = '0', s = '0'] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

export const RolloutWaveSchema = z.strictObject({
  /** Wave name: the GitHub Environment and the branch `fleet/wave-<name>` (a DNS-1123 label). */
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label (lowercase letters, digits and "-")')
    .max(40, 'at most 40 characters'),
  /** Regions whose clusters belong to the wave. */
  regions: z.array(z.string()).default([]),
  /** Clusters (by name) that belong to the wave, in addition to those of `regions`. */
  clusters: z.array(z.string()).default([]),
  /**
   * How long every cluster of this wave must stay Ready at a revision before the next wave may be promoted to it.
   * @default '15m'
   */
  soak: z.string().default(DEFAULT_SOAK),
  /** Promotion into this wave needs an approval (required reviewers on the wave's GitHub Environment). @default false */
  approval: z.boolean().default(false),
});

export const RolloutSchema = z.strictObject({
  /** Ordered waves. @default - one wave per region, in the order the fleet lists its regions (the first is the canary) */
  waves: z.array(RolloutWaveSchema).optional(),
});

export type RolloutWaveInput = z.infer<typeof RolloutWaveSchema>;

/** A wave with its clusters resolved and the branch it follows. */
export interface RolloutWave {
  readonly name: string;
  /** 1-based position. */
  readonly index: number;
  readonly clusters: readonly string[];
  readonly regions: readonly string[];
  readonly soak: string;
  readonly soakSeconds: number;
  readonly approval: boolean;
  /** The branch this wave's clusters follow: the model's branch for wave 1, `fleet/wave-<name>` after. */
  readonly branch: string;
}

/** The branch a wave follows (`first`: the first wave follows the model's branch). */
export function waveBranch(spec: FleetSpec, name: string, first: boolean): string {
  return first ? spec.gitSource.branch : `${WAVE_BRANCH_PREFIX}${name}`;
}

function declaredWaves(spec: FleetSpec): RolloutWaveInput[] {
  return (
    spec.rollout?.waves ??
    Object.keys(spec.regions).map((region) => ({
      name: region,
      regions: [region],
      clusters: [],
      soak: DEFAULT_SOAK,
      approval: false,
    }))
  );
}

/** The waves in order, each with its clusters (fleet order) and branch. Assumes a model that passed the rules. */
export function rolloutWaves(spec: FleetSpec): RolloutWave[] {
  const all = clustersOf(spec);
  return declaredWaves(spec).map((wave, i) => ({
    name: wave.name,
    index: i + 1,
    clusters: all
      .filter(({ region, cluster }) => wave.regions.includes(region) || wave.clusters.includes(cluster.name))
      .map(({ cluster }) => cluster.name),
    regions: [
      ...new Set(
        all
          .filter(({ region, cluster }) => wave.regions.includes(region) || wave.clusters.includes(cluster.name))
          .map(({ region }) => region),
      ),
    ],
    soak: wave.soak,
    soakSeconds: parseDuration(wave.soak) ?? 0,
    approval: wave.approval,
    branch: waveBranch(spec, wave.name, i === 0),
  }));
}

/** Wave by cluster, built once per parsed (frozen) spec: one rolloutWaves per cluster made 1000 clusters quadratic. */
const wavesByCluster = new WeakMap<FleetSpec, ReadonlyMap<string, RolloutWave>>();

/** The wave a cluster belongs to. */
export function waveOfCluster(spec: FleetSpec, cluster: string): RolloutWave {
  let byCluster = wavesByCluster.get(spec);
  if (!byCluster) {
    const index = new Map<string, RolloutWave>();
    for (const wave of rolloutWaves(spec))
      for (const name of wave.clusters) if (!index.has(name)) index.set(name, wave);
    byCluster = index;
    // Only a frozen spec (parseFleet's) cannot change under the index.
    if (Object.isFrozen(spec)) wavesByCluster.set(spec, index);
  }
  const wave = byCluster.get(cluster);
  if (!wave) throw new Error(`cluster ${cluster} is in no rollout wave`);
  return wave;
}

/** The branch a cluster's Flux source follows (its wave's branch). */
export function clusterSourceBranch(spec: FleetSpec, cluster: string): string {
  return waveOfCluster(spec, cluster).branch;
}

/** Every cluster in exactly one wave, no empty wave, names unique, known regions and clusters, durations parse. */
export function checkRolloutRules(spec: {
  readonly rollout?: FleetSpec['rollout'];
  readonly regions: Readonly<Record<string, { readonly clusters: readonly Cluster[] }>>;
}): FleetIssue[] {
  const waves = spec.rollout?.waves;
  if (!waves) return [];
  const issues: FleetIssue[] = [];
  const add = (path: string, value: unknown, expected: string, fix: string) =>
    issues.push({ path, value, expected, fix });
  if (waves.length === 0)
    add('rollout.waves', waves, 'at least one wave', 'remove rollout.waves (one wave per region) or list the waves');
  const all = Object.entries(spec.regions).flatMap(([region, { clusters }]) =>
    clusters.map((cluster) => ({ region, cluster })),
  );
  const clusterNames = new Set(all.map(({ cluster }) => cluster.name));
  const names = new Map<string, number>();
  const owner = new Map<string, string>();
  waves.forEach((wave, i) => {
    const path = `rollout.waves[${i}]`;
    const previous = names.get(wave.name);
    if (previous !== undefined)
      add(
        `${path}.name`,
        wave.name,
        `a wave name used once (already rollout.waves[${previous}])`,
        'rename one of the waves',
      );
    else names.set(wave.name, i);
    if (parseDuration(wave.soak) === undefined)
      add(
        `${path}.soak`,
        wave.soak,
        'a duration like "90s", "15m" or "1h30m"',
        'write the soak as hours, minutes and seconds, e.g. "10m"',
      );
    wave.regions.forEach((region, j) => {
      if (!(region in spec.regions))
        add(
          `${path}.regions[${j}]`,
          region,
          `a region of the fleet (${Object.keys(spec.regions).join(', ')})`,
          'name a region listed under regions',
        );
    });
    wave.clusters.forEach((cluster, j) => {
      if (!clusterNames.has(cluster))
        add(
          `${path}.clusters[${j}]`,
          cluster,
          `a cluster of the fleet (${[...clusterNames].join(', ')})`,
          'name a cluster of the fleet',
        );
    });
    const members = all.filter(
      ({ region, cluster }) => wave.regions.includes(region) || wave.clusters.includes(cluster.name),
    );
    if (members.length === 0)
      add(
        path,
        wave.name,
        'a wave with at least one cluster',
        'add a region or cluster to the wave, or remove the wave',
      );
    for (const { cluster } of members) {
      const first = owner.get(cluster.name);
      if (first !== undefined && first !== path) {
        add(
          `${path}`,
          wave.name,
          `every cluster in exactly one wave (${cluster.name} is already in ${first})`,
          `remove ${cluster.name} (or its region) from one of the waves`,
        );
      } else {
        owner.set(cluster.name, path);
      }
    }
  });
  const missing = all.filter(({ cluster }) => !owner.has(cluster.name)).map(({ cluster }) => cluster.name);
  if (missing.length > 0)
    add(
      'rollout.waves',
      missing,
      'every cluster of the fleet in a wave',
      `add ${missing.join(', ')} (or their regions) to a wave`,
    );
  return issues;
}
