/**
 * `fleet rollout status|promote|pause|resume|workflow`: staged rollout across the model's waves with plain git.
 * promote moves `fleet/wave-<name>` only when every cluster of the previous wave is Ready at exactly the revision
 * for at least its soak and nothing there is failing (else it refuses with the reasons; --wait re-checks up to a
 * bound); pause/resume commit a marker file promote honours. Exit 0 done (or nothing to do), 1 refused, 2 bad input.
 */
import os from 'node:os';
import path from 'node:path';
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
  RolloutInputError,
  shortSha,
} from '@aks-fleet/rollout';
import type { Command } from '../command.ts';
import { findWorkspaceRoot } from '../workspace-root.ts';
import {
  CLUSTER_SOURCE_OPTIONS,
  clusterReader,
  durationFlag,
  loadModel,
  parseCommandArgs,
  reportCommandError,
} from './cluster-source.ts';

export const ROLLOUT_USAGE = `usage: fleet rollout <action> [options]

  status                      per wave: the revision it follows, how long it has been healthy there, what blocks the next promotion
  promote <wave> [--to REV] [--dry-run] [--wait 30m] [--interval 10s]
                              move fleet/wave-<wave> to the revision the previous wave runs healthy (idempotent)
  pause <wave> [--reason TEXT] [--push]   commit rollout/paused/<wave>.yaml: promote refuses while it is on the main branch
  resume <wave> [--push]      remove the marker
  workflow                    print .github/workflows/rollout.yml for the model's waves

options: --root DIR (a clone of the fleet repository; default: this workspace) --remote NAME|URL (default origin)
         and the cluster source options of fleet status (--kubeconfig, --context, --contexts, --timeout, --source arm)
`;

export const rolloutCommand: Command = {
  name: 'rollout',
  summary: 'staged rollout across the waves: status, promote, pause, resume, workflow',
  usage: ROLLOUT_USAGE.split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/^usage: /, '')),
  description: `
Every later wave follows its own branch (fleet/wave-<name>); promote moves it, with plain git, to the revision the
previous wave runs healthy — Ready at exactly that revision for at least the wave's soak, nothing failing — or refuses
with the reasons. pause/resume commit a marker file promote honours. Exit 0 done or nothing to do, 1 refused, 2 bad
input.`,
  flags: {},
  parsesOwnFlags: true,
  run: ({ args }) => runRollout(args),
};

const ACTIONS = ['status', 'promote', 'pause', 'resume', 'workflow'];

const ROLLOUT_OPTIONS = {
  ...CLUSTER_SOURCE_OPTIONS,
  root: { type: 'string' },
  remote: { type: 'string', default: 'origin' },
  to: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  wait: { type: 'string' },
  interval: { type: 'string', default: '10s' },
  reason: { type: 'string' },
  push: { type: 'boolean', default: false },
} as const;

export async function runRollout(argv: readonly string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(argv, ROLLOUT_OPTIONS);
    const [action, wave, ...rest] = positionals;
    if (values.help || !action) {
      (values.help ? process.stdout : process.stderr).write(ROLLOUT_USAGE);
      return values.help ? 0 : 2;
    }
    if (!ACTIONS.includes(action))
      throw new RolloutInputError(
        `unknown action "${action}"; expected ${ACTIONS.slice(0, -1).join(', ')} or ${ACTIONS.at(-1)}`,
      );
    if (rest.length > 0) throw new RolloutInputError(`unexpected argument "${rest[0]}"`);
    const needsWave = ['promote', 'pause', 'resume'].includes(action);
    if (needsWave && !wave)
      throw new RolloutInputError(`fleet rollout ${action} needs a wave: fleet rollout ${action} <wave>`);
    if (!needsWave && wave) throw new RolloutInputError(`unexpected argument "${wave}" for fleet rollout ${action}`);
    const fleet = loadModel(values);
    if (action === 'workflow') {
      process.stdout.write(renderRolloutWorkflow(fleet.spec));
      return 0;
    }
    const root = path.resolve(values.root ?? findWorkspaceRoot());
    const git = new GitRemote(root, values.remote);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    switch (action) {
      case 'status': {
        const env = { spec: fleet.spec, git, read: await clusterReader(fleet, values) };
        const reports = await rolloutStatus(env);
        process.stdout.write(
          values.json ? `${JSON.stringify({ waves: reports }, null, 2)}\n` : renderRolloutStatus(reports),
        );
        return 0;
      }
      case 'promote': {
        const waitSeconds = durationFlag('wait', values.wait, 0);
        const intervalSeconds = durationFlag('interval', values.interval, 10);
        const env = { spec: fleet.spec, git, read: await clusterReader(fleet, values), log };
        const result = await promote(env, wave!, {
          to: values.to,
          dryRun: values['dry-run'],
          waitSeconds,
          intervalSeconds,
        });
        if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        switch (result.outcome) {
          case 'first-wave':
            if (!values.json)
              process.stdout.write(
                `wave ${result.wave} is the first wave: it follows ${result.branch}; merging there is its promotion (nothing to move)\n`,
              );
            return 0;
          case 'already':
            if (!values.json)
              process.stdout.write(
                `wave ${result.wave} is already at ${shortSha(result.to)} (${result.branch}); nothing to do\n`,
              );
            return 0;
          case 'would-move':
            if (!values.json) process.stdout.write(`dry run: would move ${describeMove(result)}\n`);
            return 0;
          case 'moved':
            if (!values.json)
              process.stdout.write(
                `promoted wave ${result.wave}: ${describeMove(result)}${result.waitedSeconds ? ` after waiting ${result.waitedSeconds} s` : ''}\n`,
              );
            return 0;
          case 'refused':
            process.stderr.write(
              `REFUSED promoting wave ${result.wave} to ${shortSha(commitOf(result.to) ?? result.to)}${waitSeconds ? ` (waited ${result.waitedSeconds} s)` : ''}:\n${result.blockers.map((b) => `  - ${b.message}\n`).join('')}`,
            );
            return 1;
        }
        return 1;
      }
      case 'pause':
      case 'resume': {
        const env = { spec: fleet.spec, git, read: async () => Promise.reject(new Error('not used')) };
        const by = process.env.GITHUB_ACTOR ?? os.userInfo().username;
        const result =
          action === 'pause'
            ? await pause(env, wave!, { reason: values.reason, by, push: values.push })
            : await resume(env, wave!, { push: values.push });
        if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else if (!result.changed)
          process.stdout.write(
            `wave ${result.wave} is ${action === 'pause' ? 'already paused' : 'not paused'} (${result.file}); nothing to do\n`,
          );
        else
          process.stdout.write(
            `${action === 'pause' ? 'paused' : 'resumed'} wave ${result.wave}: commit ${shortSha(result.commit)} ${action === 'pause' ? 'adds' : 'removes'} ${result.file}${result.pushed ? `, pushed to ${fleet.spec.gitSource.branch}` : ' — open a pull request (or rerun with --push) for it to take effect'}\n`,
          );
        return 0;
      }
      default:
        throw new RolloutInputError(`unknown action "${action}"; expected status, promote, pause, resume or workflow`);
    }
  } catch (error) {
    return reportCommandError(error, 'rollout');
  }
}
