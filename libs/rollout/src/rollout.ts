/**
 * `fleet rollout`: status per wave, promote (gated, idempotent, optionally waiting), pause and resume. Everything it
 * changes is a git ref or a commit; the clusters are only read.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rolloutWaves, type FleetSpec, type RolloutWave } from '@aks-fleet/fleet';
import { shortSha, type ClusterStatus } from './cluster-status.ts';
import { RolloutInputError } from './errors.ts';
import { readFleetStatus, type ClusterReader } from './fleet-status.ts';
import type { GitRemote } from './git-refs.ts';
import { parsePauseMarker, pauseMarkerPath, renderPauseMarker, type PauseMarker } from './pause-marker.ts';
import { healthyForSeconds, promotionBlockers, type Blocker } from './promotion-gate.ts';

export interface RolloutEnvironment {
  readonly spec: FleetSpec;
  readonly git: GitRemote;
  readonly read: ClusterReader;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export function findWave(
  spec: FleetSpec,
  name: string,
): { wave: RolloutWave; previous: RolloutWave | undefined; next: RolloutWave | undefined } {
  const waves = rolloutWaves(spec);
  const index = waves.findIndex((w) => w.name === name);
  if (index < 0)
    throw new RolloutInputError(
      `unknown wave "${name}"; expected one of ${waves.map((w) => w.name).join(', ')} (spec.rollout.waves, or one wave per region)`,
      'name a wave of the fleet',
    );
  return { wave: waves[index]!, previous: waves[index - 1], next: waves[index + 1] };
}

/** Pause markers on the remote's main branch (fetched first). */
async function pauseMarkers(env: RolloutEnvironment): Promise<Map<string, PauseMarker>> {
  const markers = new Map<string, PauseMarker>();
  for (const wave of rolloutWaves(env.spec)) {
    const text = await env.git.show(env.spec.gitSource.branch, pauseMarkerPath(wave.name));
    if (text !== undefined) markers.set(wave.name, parsePauseMarker(wave.name, text));
  }
  return markers;
}

export interface WaveReport {
  readonly wave: string;
  readonly index: number;
  readonly branch: string;
  /** The commit the wave's branch points at on the remote (undefined: the branch does not exist). */
  readonly commit?: string | undefined;
  readonly soak: string;
  readonly approval: boolean;
  readonly paused?: PauseMarker | undefined;
  /** Seconds every cluster of the wave has been Ready at `commit` (undefined: it is not). */
  readonly healthySeconds?: number | undefined;
  readonly clusters: readonly ClusterStatus[];
  /** What keeps the next wave from being promoted to `commit` (empty: nothing). */
  readonly nextBlockers?: readonly Blocker[] | undefined;
  readonly next?: string | undefined;
}

export async function rolloutStatus(env: RolloutEnvironment): Promise<WaveReport[]> {
  const now = env.now?.() ?? new Date();
  const main = env.spec.gitSource.branch;
  const heads = await env.git.branches();
  if (heads.has(main)) await env.git.fetch([main]);
  const [statuses, markers] = await Promise.all([readFleetStatus(env.spec, env.read), pauseMarkers(env)]);
  const waves = rolloutWaves(env.spec);
  return waves.map((wave, i) => {
    const commit = heads.get(wave.branch);
    const clusters = statuses.filter((s) => s.wave === wave.name);
    const next = waves[i + 1];
    return {
      wave: wave.name,
      index: wave.index,
      branch: wave.branch,
      commit,
      soak: wave.soak,
      approval: wave.approval,
      paused: markers.get(wave.name),
      healthySeconds: commit ? healthyForSeconds(clusters, commit, now) : undefined,
      clusters,
      next: next?.name,
      nextBlockers:
        next && commit
          ? promotionBlockers({
              wave: next,
              previous: wave,
              targetSha: commit,
              statuses: clusters,
              now,
              pause: markers.get(next.name),
            })
          : undefined,
    };
  });
}

export interface PromoteOptions {
  /** A commit or ref to promote to. @default - the commit the previous wave's branch points at */
  readonly to?: string | undefined;
  readonly dryRun?: boolean;
  /** Keep re-checking for up to this long while the gate refuses. @default 0 */
  readonly waitSeconds?: number;
  /** Seconds between checks while waiting. @default 10 */
  readonly intervalSeconds?: number;
}

export type PromoteOutcome = 'moved' | 'would-move' | 'already' | 'refused' | 'first-wave';

export interface PromoteResult {
  readonly outcome: PromoteOutcome;
  readonly wave: string;
  readonly branch: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly blockers: readonly Blocker[];
  readonly waitedSeconds: number;
}

export async function promote(
  env: RolloutEnvironment,
  name: string,
  options: PromoteOptions = {},
): Promise<PromoteResult> {
  const { wave, previous } = findWave(env.spec, name);
  const main = env.spec.gitSource.branch;
  if (!previous) {
    return { outcome: 'first-wave', wave: wave.name, branch: wave.branch, blockers: [], waitedSeconds: 0 };
  }
  const clock = env.now ?? (() => new Date());
  const sleep = env.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = clock().getTime();
  const deadline = started + (options.waitSeconds ?? 0) * 1000;
  const waited = () => Math.round((clock().getTime() - started) / 1000);
  for (;;) {
    const heads = await env.git.branches();
    if (!heads.has(main))
      throw new RolloutInputError(
        `the branch ${main} (spec.gitSource.branch) does not exist on ${env.git.remote}`,
        'push it, or point --remote at the fleet repository',
      );
    const previousHead = heads.get(previous.branch);
    if (!previousHead) {
      throw new RolloutInputError(
        `wave ${previous.name} follows ${previous.branch}, which does not exist on ${env.git.remote}; expected it before wave ${wave.name}`,
        `fleet rollout promote ${previous.name}`,
      );
    }
    await env.git.fetch([...new Set([main, previous.branch])]);
    const target = options.to ? await env.git.resolve(options.to) : previousHead;
    const current = heads.get(wave.branch);
    const result = (outcome: PromoteOutcome, blockers: readonly Blocker[]): PromoteResult => ({
      outcome,
      wave: wave.name,
      branch: wave.branch,
      from: current,
      to: target,
      blockers,
      waitedSeconds: waited(),
    });
    if (current === target) return result('already', []);
    const pause = (await pauseMarkers(env)).get(wave.name);
    const only = new Set(previous.clusters);
    const statuses = await readFleetStatus(env.spec, env.read, only);
    const blockers = promotionBlockers({ wave, previous, targetSha: target, statuses, now: clock(), pause });
    if (blockers.length === 0) {
      if (options.dryRun) return result('would-move', blockers);
      await env.git.moveBranch(wave.branch, target, current);
      return result('moved', blockers);
    }
    // A pause is a decision, not a state to wait out.
    if (pause || clock().getTime() >= deadline) return result('refused', blockers);
    env.log?.(`waiting (${waited()} s): ${blockers.map((b) => b.message).join('; ')}`);
    await sleep(Math.min((options.intervalSeconds ?? 10) * 1000, Math.max(deadline - clock().getTime(), 0)));
  }
}

export interface PauseOptions {
  readonly reason?: string | undefined;
  readonly by?: string | undefined;
  /** Push the commit to the remote's main branch (otherwise it waits for review in the local branch). */
  readonly push?: boolean;
}

export interface PauseResult {
  readonly wave: string;
  readonly changed: boolean;
  readonly file: string;
  readonly commit?: string | undefined;
  readonly pushed: boolean;
}

async function commitMarker(
  env: RolloutEnvironment,
  file: string,
  message: string,
  push: boolean,
): Promise<{ commit: string; pushed: boolean }> {
  await env.git.git(['add', '-A', '--', file]);
  await env.git.git(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', message, '--', file]);
  const commit = await env.git.git(['rev-parse', 'HEAD']);
  if (push)
    await env.git.git(
      ['push', '--quiet', env.git.remote, `HEAD:refs/heads/${env.spec.gitSource.branch}`],
      `the marker is committed locally (${commit.slice(0, 8)}): push it yourself or open a pull request, or check that you may push to ${env.git.remote}`,
    );
  return { commit, pushed: push };
}

/** Writes and commits `rollout/paused/<wave>.yaml` (idempotent). */
export async function pause(env: RolloutEnvironment, name: string, options: PauseOptions = {}): Promise<PauseResult> {
  const { wave, previous } = findWave(env.spec, name);
  if (!previous)
    throw new RolloutInputError(
      `wave ${wave.name} is the first wave: it follows ${wave.branch} directly, so there is no promotion to pause`,
      `pause a later wave, or stop merging to ${wave.branch}`,
    );
  const file = pauseMarkerPath(wave.name);
  const absolute = path.join(env.git.root, file);
  if (existsSync(absolute)) return { wave: wave.name, changed: false, file, pushed: false };
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(
    absolute,
    renderPauseMarker({
      wave: wave.name,
      reason: options.reason,
      pausedBy: options.by,
      pausedAt: (env.now?.() ?? new Date()).toISOString(),
    }),
  );
  const { commit, pushed } = await commitMarker(
    env,
    file,
    `rollout: pause wave ${wave.name}${options.reason ? `: ${options.reason}` : ''}`,
    options.push ?? false,
  );
  return { wave: wave.name, changed: true, file, commit, pushed };
}

/** Removes `folder` (repository-relative) and its parents up to the root while they are empty, as git sees them. */
function removeEmptyFolders(root: string, folder: string): void {
  for (let current = folder; current !== '.' && current !== ''; current = path.dirname(current)) {
    const absolute = path.join(root, current);
    if (!existsSync(absolute) || readdirSync(absolute).length > 0) return;
    rmdirSync(absolute);
  }
}

/** Removes and commits the pause marker, and the folders it leaves empty (idempotent). */
export async function resume(
  env: RolloutEnvironment,
  name: string,
  options: Omit<PauseOptions, 'reason'> = {},
): Promise<PauseResult> {
  const { wave } = findWave(env.spec, name);
  const file = pauseMarkerPath(wave.name);
  const absolute = path.join(env.git.root, file);
  if (!existsSync(absolute)) return { wave: wave.name, changed: false, file, pushed: false };
  const was = parsePauseMarker(wave.name, readFileSync(absolute, 'utf8'));
  rmSync(absolute);
  removeEmptyFolders(env.git.root, path.dirname(file));
  const { commit, pushed } = await commitMarker(
    env,
    file,
    `rollout: resume wave ${wave.name}${was.reason ? ` (paused: ${was.reason})` : ''}`,
    options.push ?? false,
  );
  return { wave: wave.name, changed: true, file, commit, pushed };
}

export function describeMove(result: PromoteResult): string {
  return `${result.branch}: ${shortSha(result.from)} → ${shortSha(result.to)}`;
}
