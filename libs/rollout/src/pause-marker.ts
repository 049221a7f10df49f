/**
 * Pausing a wave is a reviewable file in git: `rollout/paused/<wave>.yaml` on the main branch, with who, when and
 * why. `fleet rollout promote` refuses to move a paused wave; `resume` removes the file. The folder is outside
 * what Flux reads (.sourceignore), so a pause changes no cluster.
 */
import { parse, stringify } from 'yaml';

export const PAUSE_MARKER_DIR = 'rollout/paused';

export interface PauseMarker {
  readonly wave: string;
  /** Path in the repository. */
  readonly file: string;
  readonly reason?: string | undefined;
  readonly pausedBy?: string | undefined;
  readonly pausedAt?: string | undefined;
}

export function pauseMarkerPath(wave: string): string {
  return `${PAUSE_MARKER_DIR}/${wave}.yaml`;
}

export function renderPauseMarker(marker: Omit<PauseMarker, 'file'>): string {
  return `# Wave ${marker.wave} is paused: \`fleet rollout promote ${marker.wave}\` refuses until this file is removed (fleet rollout resume ${marker.wave}).\n${stringify({ wave: marker.wave, reason: marker.reason ?? '', pausedBy: marker.pausedBy ?? '', pausedAt: marker.pausedAt ?? '' })}`;
}

export function parsePauseMarker(wave: string, text: string): PauseMarker {
  let data: Record<string, unknown> = {};
  try {
    const parsed = parse(text) as unknown;
    if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>;
  } catch {
    // An unreadable marker still pauses: its presence is what counts.
  }
  const text_ = (key: string) =>
    typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : undefined;
  return {
    wave,
    file: pauseMarkerPath(wave),
    reason: text_('reason'),
    pausedBy: text_('pausedBy'),
    pausedAt: text_('pausedAt'),
  };
}
