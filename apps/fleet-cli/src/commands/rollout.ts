/**
 * `fleet rollout status|promote|pause|resume|workflow`: staged rollout across the model's waves with plain git.
 * promote moves `fleet/wave-<name>` only when every cluster of the previous wave is Ready at exactly the revision
 * for at least its soak and nothing there is failing (else it refuses with the reasons; --wait re-checks up to a
 * bound); pause/resume commit a marker file promote honours. Exit 0 done (or nothing to do), 1 refused or a cluster
 * unreachable, 2 bad input.
 */
import os from 'node:os';
import {
  commitOf,
  describeMove,
  GitRemote,
  pause,
  promote,
  renderRolloutStatus,
  renderRolloutWorkflow,
  resume,
  rolloutStatus,
  shortSha,
  type ClusterStatus,
} from '@aks-fleet/rollout';
import { FLEET_FLAG, type Command, type FlagSpec } from '../command.ts';
import type { Output } from '../output.ts';
import { rootFlag } from '../workspace-root.ts';
import {
  CLUSTER_SOURCE_FLAGS,
  clusterReader,
  durationFlag,
  loadModel,
  stringFlag,
  unreachableError,
  type Flags,
} from './cluster-source.ts';

/** The clone whose remote holds the wave branches. */
const GIT_FLAGS: Readonly<Record<string, FlagSpec>> = {
  root: { type: 'string', value: 'DIR', description: 'a clone of the fleet repository (default: this workspace)' },
  remote: {
    type: 'string',
    value: 'NAME|URL',
    default: 'origin',
    description: 'the remote whose branches the clusters follow',
  },
};

/**
 * What status, promote, pause and resume share: the clone and remote, and the cluster source flags — pause and resume
 * do not read clusters but take them, so a script can pass one argument list to all four. `workflow` takes none.
 */
const REPOSITORY_AND_SOURCE_FLAGS: Readonly<Record<string, FlagSpec>> = { ...GIT_FLAGS, ...CLUSTER_SOURCE_FLAGS };

const PUSH_FLAG: FlagSpec = {
  type: 'boolean',
  description: 'push the commit to the main branch (default: commit only, for a pull request)',
};

export const rolloutCommand: Command = {
  name: 'rollout',
  summary: 'staged rollout across the waves: status, promote, pause, resume, workflow',
  usage: [],
  description: `
Every later wave follows its own branch (fleet/wave-<name>); promote moves it, with plain git, to the revision the
previous wave runs healthy — Ready at exactly that revision for at least the wave's soak, nothing failing — or refuses
with the reasons. pause/resume commit a marker file promote honours. status, promote, pause and resume take the
repository and cluster source flags, so a script can pass one argument list to all four; status and promote read the
clusters with them. workflow only renders the model (--fleet).
Exit 0 done or nothing to do, 1 refused (or, for status, a cluster could not be read), 2 bad input.`,
  flags: { fleet: FLEET_FLAG },
  subcommands: [
    {
      name: 'status',
      summary: 'per wave: the revision it follows, how long it has been healthy there, what blocks the next promotion',
      usage:
        'fleet rollout status [--fleet PATH] [--root DIR] [--remote NAME|URL] [cluster source flags] [-o text|json]',
      flags: REPOSITORY_AND_SOURCE_FLAGS,
      outputs: ['text', 'json'],
    },
    {
      name: 'promote',
      summary: 'move fleet/wave-<wave> to the revision the previous wave runs healthy (idempotent)',
      usage:
        'fleet rollout promote <wave> [--to REV] [--dry-run] [--wait 30m [--interval 10s]] [--fleet PATH] [--root DIR] [--remote NAME|URL] [cluster source flags] [-o text|json]',
      positionals: ['wave'],
      flags: {
        ...REPOSITORY_AND_SOURCE_FLAGS,
        to: {
          type: 'string',
          value: 'REV',
          description: "the commit or ref to promote to (default: the previous wave's branch)",
        },
        'dry-run': { type: 'boolean', description: 'check the gate and say what would move; move nothing' },
        wait: {
          type: 'string',
          value: 'DURATION',
          description: 'while the gate refuses, re-check for up to this long (default: check once)',
        },
        interval: {
          type: 'string',
          value: 'DURATION',
          default: '10s',
          description: 'with --wait: time between checks',
        },
      },
      outputs: ['text', 'json'],
    },
    {
      name: 'pause',
      summary: 'commit rollout/paused/<wave>.yaml: promote refuses while it is on the main branch',
      usage:
        'fleet rollout pause <wave> [--reason TEXT] [--push] [--fleet PATH] [--root DIR] [--remote NAME|URL] [cluster source flags] [-o text|json]',
      positionals: ['wave'],
      flags: {
        ...REPOSITORY_AND_SOURCE_FLAGS,
        reason: { type: 'string', value: 'TEXT', description: 'why, recorded in the marker and the commit message' },
        push: PUSH_FLAG,
      },
      outputs: ['text', 'json'],
    },
    {
      name: 'resume',
      summary: 'remove the pause marker',
      usage:
        'fleet rollout resume <wave> [--push] [--fleet PATH] [--root DIR] [--remote NAME|URL] [cluster source flags] [-o text|json]',
      positionals: ['wave'],
      flags: { ...REPOSITORY_AND_SOURCE_FLAGS, push: PUSH_FLAG },
      outputs: ['text', 'json'],
    },
    {
      name: 'workflow',
      summary: "print .github/workflows/rollout.yml for the model's waves",
      usage: 'fleet rollout workflow [--fleet PATH]',
      flags: {},
    },
  ],
  run: ({ subcommand, args, flags, out }) => runRollout(subcommand!, args[0], flags, out),
};

function gitRemote(flags: Flags): GitRemote {
  return new GitRemote(rootFlag(flags.root), stringFlag(flags, 'remote') ?? 'origin');
}

export async function runRollout(action: string, wave: string | undefined, flags: Flags, out: Output): Promise<number> {
  const fleet = loadModel(flags);
  if (action === 'workflow') {
    out.write(renderRolloutWorkflow(fleet.spec));
    return 0;
  }
  const log = (line: string) => out.warn(line);
  switch (action) {
    case 'status': {
      const read = await clusterReader(fleet, flags);
      const reports = await rolloutStatus({ spec: fleet.spec, git: gitRemote(flags), read });
      if (out.json) out.result({ waves: reports });
      else out.write(renderRolloutStatus(reports));
      const error = unreachableError(reports.flatMap((r): readonly ClusterStatus[] => r.clusters));
      if (!error) return 0;
      out.error(`ERROR ${error.message} — fix: ${error.fix}`);
      return error.code;
    }
    case 'promote': {
      const waitSeconds = durationFlag('wait', stringFlag(flags, 'wait'), 0);
      const intervalSeconds = durationFlag('interval', stringFlag(flags, 'interval'), 10);
      const env = { spec: fleet.spec, git: gitRemote(flags), read: await clusterReader(fleet, flags), log };
      const result = await promote(env, wave!, {
        to: stringFlag(flags, 'to'),
        dryRun: flags['dry-run'] === true,
        waitSeconds,
        intervalSeconds,
      });
      if (out.json) out.result(result);
      switch (result.outcome) {
        case 'first-wave':
          out.line(
            `wave ${result.wave} is the first wave: it follows ${result.branch}; merging there is its promotion (nothing to move)`,
          );
          return 0;
        case 'already':
          out.line(`wave ${result.wave} is already at ${shortSha(result.to)} (${result.branch}); nothing to do`);
          return 0;
        case 'would-move':
          out.line(`dry run: would move ${describeMove(result)}`);
          return 0;
        case 'moved':
          out.line(
            `promoted wave ${result.wave}: ${describeMove(result)}${result.waitedSeconds ? ` after waiting ${result.waitedSeconds} s` : ''}`,
          );
          return 0;
        case 'refused':
          out.error(
            `REFUSED promoting wave ${result.wave} to ${shortSha(commitOf(result.to) ?? result.to)}${waitSeconds ? ` (waited ${result.waitedSeconds} s)` : ''}:\n${result.blockers.map((b) => `  - ${b.message}`).join('\n')}`,
          );
          return 1;
      }
      return 1;
    }
    default: {
      const env = { spec: fleet.spec, git: gitRemote(flags), read: async () => Promise.reject(new Error('not used')) };
      const push = flags.push === true;
      const result =
        action === 'pause'
          ? await pause(env, wave!, {
              reason: stringFlag(flags, 'reason'),
              by: process.env.GITHUB_ACTOR ?? os.userInfo().username,
              push,
            })
          : await resume(env, wave!, { push });
      if (out.json) out.result(result);
      if (!result.changed)
        out.line(
          `wave ${result.wave} is ${action === 'pause' ? 'already paused' : 'not paused'} (${result.file}); nothing to do`,
        );
      else
        out.line(
          `${action === 'pause' ? 'paused' : 'resumed'} wave ${result.wave}: commit ${shortSha(result.commit)} ${action === 'pause' ? 'adds' : 'removes'} ${result.file}${result.pushed ? `, pushed to ${fleet.spec.gitSource.branch}` : ' — open a pull request (or rerun with --push) for it to take effect'}`,
        );
      return 0;
    }
  }
}
