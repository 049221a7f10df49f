/**
 * `fleet diff --base <git-ref> [-o text|markdown|json] [--root DIR] [--fleet PATH]`: per cluster, the objects a change adds,
 * changes and removes, with field-level diffs and warnings (prune, renames, fleet-wide changes, infrastructure), and
 * which rollout wave the change reaches first.
 */
import { loadFleet } from '@aks-fleet/fleet';
import { fleetDiff, renderJson, renderMarkdown, renderText, waveImpact } from '@aks-fleet/gate';
import { CliError, FLEET_FLAG, ROOT_FLAG, type Command } from '../command.ts';
import type { Output } from '../output.ts';
import { requireCommit } from '../git-ref.ts';
import { rootFlag } from '../workspace-root.ts';

export interface DiffArgs {
  readonly root: string;
  readonly base: string;
  /** The fleet file or directory whose waves the change reaches. @default - the embedded default fleet */
  readonly fleet?: string;
}

const RENDERERS = { text: renderText, markdown: renderMarkdown, json: renderJson } as const;

export const diffCommand: Command = {
  name: 'diff',
  summary: 'what a change does to each cluster against a git ref (the PR comment)',
  usage: ['fleet diff --base <git-ref> [--root DIR] [--fleet PATH] [-o text|markdown|json]'],
  description: `
Compares the synthesized tree committed at --base with the tree on disk: per cluster, the objects added, changed
(field by field) and removed, and warnings (Flux prune, renames, fleet-wide changes, infrastructure scopes).
Which rollout wave the change reaches first comes from the model (--fleet, as for synth and validate).
-o markdown renders the sticky PR comment CI posts. Reads git; writes nothing.`,
  flags: {
    base: { type: 'string', value: 'REF', description: 'the git ref to compare with (e.g. origin/main, HEAD~1)' },
    root: ROOT_FLAG,
    fleet: FLEET_FLAG,
    format: { type: 'string', value: 'FORMAT', description: 'same as -o (kept for existing scripts)' },
  },
  outputs: ['text', 'markdown', 'json'],
  run: ({ flags, out }) => {
    if (typeof flags.base !== 'string')
      throw new CliError(
        '`fleet diff` needs --base <git-ref>',
        'pass the ref to compare with, e.g. --base origin/main',
      );
    if (typeof flags.format === 'string') {
      if (!(flags.format in RENDERERS))
        throw new CliError(
          `--format ${flags.format} is not an output of \`fleet diff\``,
          `use one of: ${Object.keys(RENDERERS).join(', ')}`,
        );
      if (typeof flags.output === 'string' && flags.output !== flags.format)
        throw new CliError(`--format ${flags.format} and -o ${flags.output} disagree`, 'pass -o only');
    }
    const format = (typeof flags.format === 'string' ? flags.format : out.format) as keyof typeof RENDERERS;
    return runDiff(
      {
        root: rootFlag(flags.root),
        base: flags.base,
        ...(typeof flags.fleet === 'string' ? { fleet: flags.fleet } : {}),
      },
      out,
      format,
    );
  },
};

export function runDiff(args: DiffArgs, out: Output, format: keyof typeof RENDERERS = 'text'): number {
  requireCommit(args.root, args.base, 'fleet diff');
  const diff = fleetDiff(args.root, args.base);
  // Which wave a change reaches first: the waves of the model the tree was synthesized from (--fleet, as synth).
  const { spec } = loadFleet(args.fleet).fleet;
  out.write(RENDERERS[format]({ ...diff, waves: waveImpact(spec, diff), mainBranch: spec.gitSource.branch }));
  return 0;
}
