/**
 * The promotion gate, as a pure function of what the clusters report: wave N+1 may move to a revision only when
 * every cluster of wave N is Ready at exactly that revision (source artifact and every Kustomization's
 * lastAppliedRevision), has stayed so for at least wave N's soak, no Kustomization there is failing, and wave N+1
 * is not paused. Each blocker says what it is, for which cluster, and what ends it.
 */
import type { RolloutWave } from '@aks-fleet/fleet';
import {
  appliedCommit,
  commitOf,
  failingLayers,
  healthySince,
  readyAt,
  shortSha,
  type ClusterStatus,
} from './cluster-status.ts';
import type { PauseMarker } from './pause-marker.ts';

export type BlockerKind = 'paused' | 'unreachable' | 'failing' | 'revision' | 'not-ready' | 'soak';

export interface Blocker {
  readonly kind: BlockerKind;
  readonly message: string;
}

export interface GateInput {
  readonly wave: RolloutWave;
  readonly previous: RolloutWave;
  readonly targetSha: string;
  /** Statuses of the previous wave's clusters. */
  readonly statuses: readonly ClusterStatus[];
  readonly now: Date;
  readonly pause?: PauseMarker | undefined;
}

/** Seconds the whole wave has been Ready at `sha` (undefined when it is not). */
export function healthyForSeconds(statuses: readonly ClusterStatus[], sha: string, now: Date): number | undefined {
  if (statuses.length === 0 || !statuses.every((s) => readyAt(s, sha))) return undefined;
  const since = statuses.map(healthySince);
  if (since.some((d) => d === undefined)) return 0;
  return Math.max(0, Math.floor((now.getTime() - Math.max(...since.map((d) => d!.getTime()))) / 1000));
}

export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

export function promotionBlockers({ wave, previous, targetSha, statuses, now, pause }: GateInput): Blocker[] {
  const blockers: Blocker[] = [];
  const target = shortSha(targetSha);
  if (pause) {
    blockers.push({
      kind: 'paused',
      message: `wave ${wave.name} is paused (${pause.file}${pause.reason ? `: ${pause.reason}` : ''}); fix: fleet rollout resume ${wave.name}`,
    });
  }
  for (const status of statuses) {
    const where = `${status.cluster} (wave ${previous.name})`;
    if (!status.reachable) {
      blockers.push({ kind: 'unreachable', message: `${where} is unreachable: ${status.error ?? 'no status'}` });
      continue;
    }
    for (const layer of failingLayers(status)) {
      blockers.push({
        kind: 'failing',
        message: `${where}: Kustomization ${layer.name} is failing at ${shortSha(commitOf(layer.lastAttemptedRevision))}: ${layer.reason ?? 'Failed'}: ${(layer.message ?? '').split('\n')[0]!.slice(0, 240)}`,
      });
    }
    if (readyAt(status, targetSha)) continue;
    const applied = appliedCommit(status);
    if (applied !== targetSha || commitOf(status.source?.revision) !== targetSha) {
      blockers.push({
        kind: 'revision',
        message: `${where} runs ${shortSha(applied ?? commitOf(status.source?.revision))}, not ${target}`,
      });
    } else {
      const waiting = status.kustomizations.filter((k) => k.ready !== 'True').map((k) => `${k.name} Ready=${k.ready}`);
      blockers.push({
        kind: 'not-ready',
        message: `${where} is not Ready at ${target}${waiting.length ? ` (${waiting.join(', ')})` : ''}`,
      });
    }
  }
  if (blockers.every((b) => b.kind === 'paused')) {
    const healthy = healthyForSeconds(statuses, targetSha, now) ?? 0;
    if (healthy < previous.soakSeconds) {
      blockers.push({
        kind: 'soak',
        message: `the soak of wave ${previous.name} has not passed: Ready at ${target} for ${formatSeconds(healthy)} of ${previous.soak} (${formatSeconds(previous.soakSeconds - healthy)} to go)`,
      });
    }
  }
  return blockers;
}
