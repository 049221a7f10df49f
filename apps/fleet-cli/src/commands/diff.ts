/**
 * `fleet diff --base <git-ref> [--format text|markdown|json] [--root DIR]`: per cluster, the objects a change adds,
 * changes and removes, with field-level diffs and warnings (prune, renames, fleet-wide changes, infrastructure), and
 * which rollout wave the change reaches first.
 */
import { loadFleet } from '@aks-fleet/fleet';
import { fleetDiff, renderJson, renderMarkdown, renderText, waveImpact } from '@aks-fleet/gate';
import type { Output } from '../output.ts';

export interface DiffArgs {
  readonly root: string;
  readonly base: string;
  readonly format: string;
}

const RENDERERS = { text: renderText, markdown: renderMarkdown, json: renderJson } as const;

export function runDiff(args: DiffArgs, out: Output): number {
  const render = RENDERERS[args.format as keyof typeof RENDERERS];
  if (!render) {
    out.error(`ERROR --format ${args.format}: expected one of ${Object.keys(RENDERERS).join(', ')}`);
    return 2;
  }
  const diff = fleetDiff(args.root, args.base);
  // Which wave a change reaches first: the waves of the model (the embedded fleet, as `fleet synth` uses).
  const { spec } = loadFleet().fleet;
  process.stdout.write(render({ ...diff, waves: waveImpact(spec, diff), mainBranch: spec.gitSource.branch }));
  return 0;
}
