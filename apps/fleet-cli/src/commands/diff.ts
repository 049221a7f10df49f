/**
 * `fleet diff --base <git-ref> [--format text|markdown|json] [--root DIR]`: per cluster, the objects a change adds,
 * changes and removes, with field-level diffs and warnings (prune, renames, fleet-wide changes, infrastructure).
 */
import { fleetDiff, renderJson, renderMarkdown, renderText } from '@aks-fleet/gate';
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
  process.stdout.write(render(fleetDiff(args.root, args.base)));
  return 0;
}
