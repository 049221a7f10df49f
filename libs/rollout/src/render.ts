/** `fleet status` and `fleet rollout status` as text for a terminal (JSON is the same objects, serialized). */
import { appliedCommit, commitOf, shortSha, type ClusterStatus } from './cluster-status.ts';
import { formatSeconds } from './promotion-gate.ts';
import type { WaveReport } from './rollout.ts';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function age(since: string | undefined, now: Date): string {
  if (!since) return '-';
  return formatSeconds(Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000)));
}

export function renderFleetStatus(statuses: readonly ClusterStatus[], now: Date): string {
  const rows: string[][] = [];
  for (const s of statuses) {
    if (!s.reachable) {
      rows.push([s.wave, s.cluster, s.branch, 'UNREACHABLE', '-', '-', '-', s.error ?? '']);
      continue;
    }
    const source = s.source;
    rows.push([
      s.wave,
      s.cluster,
      source?.branch ?? s.branch,
      `source ${source?.ready === 'True' ? 'Ready' : `Ready=${source?.ready ?? '?'}`}`,
      shortSha(commitOf(source?.revision)),
      age(source?.updatedAt, now),
      '',
      source?.message ?? '',
    ]);
    for (const k of s.kustomizations) {
      const state = k.ready === 'True' ? 'Ready' : `Ready=${k.ready}${k.reason ? ` ${k.reason}` : ''}`;
      rows.push([
        '',
        '',
        `  ${k.name}`,
        state,
        shortSha(commitOf(k.lastAppliedRevision)),
        age(k.readySince, now),
        k.ready === 'True' ? '' : shortSha(commitOf(k.lastAttemptedRevision)),
        k.ready === 'True' ? '' : (k.message ?? '').split('\n')[0]!.slice(0, 160),
      ]);
    }
  }
  return `${table(['WAVE', 'CLUSTER', 'BRANCH / KUSTOMIZATION', 'STATE', 'APPLIED', 'SINCE', 'ATTEMPTED', 'MESSAGE'], rows).join('\n')}\n`;
}

export function renderRolloutStatus(reports: readonly WaveReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    const healthy =
      r.healthySeconds === undefined ? 'not healthy at it' : `healthy there for ${formatSeconds(r.healthySeconds)}`;
    lines.push(
      `wave ${r.index} ${r.wave}: ${r.branch} @ ${r.commit ? shortSha(r.commit) : '(no such branch)'} — ${healthy}; soak ${r.soak}${r.approval ? '; approval required' : ''}${r.paused ? `; PAUSED (${r.paused.file}${r.paused.reason ? `: ${r.paused.reason}` : ''})` : ''}`,
    );
    for (const c of r.clusters) {
      lines.push(
        `  ${c.cluster} (${c.region}): ${c.reachable ? `applies ${shortSha(appliedCommit(c))}${c.kustomizations.some((k) => k.ready === 'False') ? ', FAILING' : c.kustomizations.every((k) => k.ready === 'True') ? ', Ready' : ', in progress'}` : `UNREACHABLE: ${c.error}`}`,
      );
    }
    if (r.next) {
      if (!r.commit) lines.push(`  next: wave ${r.next} cannot be promoted: ${r.branch} does not exist`);
      else if (r.nextBlockers && r.nextBlockers.length > 0)
        for (const b of r.nextBlockers)
          lines.push(`  blocks promoting ${r.next} to ${shortSha(r.commit)}: ${b.message}`);
      else lines.push(`  wave ${r.next} can be promoted to ${shortSha(r.commit)}: fleet rollout promote ${r.next}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
