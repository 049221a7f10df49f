/** Renders a FleetDiff as text (terminal), markdown (a PR comment) or JSON. Deterministic. */
import type { FieldChange, FleetDiff } from './fleet-diff.ts';
import { describeWaveImpact } from './wave-impact.ts';

export const PR_COMMENT_MARKER = '<!-- aks-fleet-diff -->';

function value(v: unknown): string {
  const json = JSON.stringify(v);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

function fieldLine(change: FieldChange): string {
  if (!('before' in change)) return `+ ${change.path}: ${value(change.after)}`;
  if (!('after' in change)) return `- ${change.path}: ${value(change.before)}`;
  return `~ ${change.path}: ${value(change.before)} → ${value(change.after)}`;
}

export function renderText(diff: FleetDiff): string {
  const lines: string[] = [];
  if (diff.clusters.length === 0 && diff.infrastructure.length === 0) return `no changes against ${diff.base}\n`;
  for (const c of diff.clusters) {
    lines.push(`${c.cluster}: +${c.added.length} ~${c.changed.length} -${c.removed.length}`);
    for (const id of c.added) lines.push(`  + ${id}`);
    for (const change of c.changed) {
      lines.push(`  ~ ${change.object}`);
      for (const field of change.fields) lines.push(`      ${fieldLine(field)}`);
    }
    for (const id of c.removed) lines.push(`  - ${id}`);
  }
  const rollout = describeWaveImpact(diff.waves ?? [], diff.mainBranch ?? 'main');
  if (rollout) lines.push(`rollout: ${rollout}`);
  for (const { scope, files } of diff.infrastructure)
    lines.push(`infrastructure ${scope}: ${files.length} file(s) changed`);
  for (const warning of diff.warnings) lines.push(`WARN ${warning}`);
  return `${lines.join('\n')}\n`;
}

export function renderMarkdown(diff: FleetDiff): string {
  const out: string[] = [PR_COMMENT_MARKER, `### aks-fleet diff against \`${diff.base}\``, ''];
  if (diff.clusters.length === 0 && diff.infrastructure.length === 0) {
    out.push('No cluster or infrastructure changes.');
    return `${out.join('\n')}\n`;
  }
  if (diff.clusters.length > 0) {
    out.push('| cluster | added | changed | removed |', '|---|---:|---:|---:|');
    for (const c of diff.clusters)
      out.push(`| \`${c.cluster}\` | ${c.added.length} | ${c.changed.length} | ${c.removed.length} |`);
    out.push('');
    const rollout = describeWaveImpact(diff.waves ?? [], diff.mainBranch ?? 'main', (t) => `\`${t}\``);
    if (rollout) out.push(`**Rollout:** ${rollout}.`, '');
  }
  if (diff.warnings.length > 0) {
    out.push('**Warnings**', '');
    for (const w of diff.warnings) out.push(`- ⚠️ ${w}`);
    out.push('');
  }
  for (const c of diff.clusters) {
    out.push(
      '<details>',
      `<summary><code>${c.cluster}</code>: +${c.added.length} ~${c.changed.length} -${c.removed.length}</summary>`,
      '',
      '```diff',
    );
    for (const id of c.added) out.push(`+ ${id}`);
    for (const change of c.changed) {
      out.push(`! ${change.object}`);
      for (const field of change.fields) out.push(`    ${fieldLine(field)}`);
    }
    for (const id of c.removed) out.push(`- ${id}`);
    out.push('```', '', '</details>', '');
  }
  if (diff.infrastructure.length > 0) {
    out.push('<details>', '<summary>Infrastructure</summary>', '');
    for (const { scope, files } of diff.infrastructure)
      out.push(`- \`${scope}\`: ${files.map((f) => `\`${f}\``).join(', ')}`);
    out.push('', '</details>', '');
  }
  return `${out.join('\n')}\n`;
}

export function renderJson(diff: FleetDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}
