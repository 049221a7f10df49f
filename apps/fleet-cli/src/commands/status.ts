/**
 * `fleet status`: every cluster of the fleet read in parallel (kubeconfig contexts derived from the model, or ARM
 * fluxConfigurations with --source arm), each bounded by --timeout: wave, branch, the revision its source has, and
 * every Flux Kustomization (Ready, applied revision, since when, last error). An unreachable cluster is a row, not a
 * crash. A table, --json, or --watch to follow. Exit 0 when every cluster is reachable and nothing is failing.
 */
import {
  failingLayers,
  readFleetStatus,
  renderFleetStatus,
  RolloutInputError,
  type ClusterStatus,
} from '@aks-fleet/rollout';
import type { Command } from '../command.ts';
import {
  CLUSTER_SOURCE_OPTIONS,
  clusterReader,
  durationFlag,
  loadModel,
  parseCommandArgs,
  reportCommandError,
} from './cluster-source.ts';

export const STATUS_USAGE = `usage: fleet status [--json] [--watch [--interval 10s]] [--timeout 10s] [--fleet PATH]
                    [--kubeconfig FILE] [--context CLUSTER=CONTEXT]... [--contexts FILE] | [--source arm [--subscription ID]]

Contexts default to the AKS cluster names (what \`az aks get-credentials\` creates); a --contexts YAML file
("<cluster>: <context>") or --context flags override them.
`;

export const statusCommand: Command = {
  name: 'status',
  summary: "every cluster's Flux state, read in parallel (kubeconfig contexts or ARM)",
  usage: [
    'fleet status [-o text|json] [--watch [--interval 10s]] [--timeout 10s] [--fleet PATH] [--kubeconfig FILE]',
    '             [--context CLUSTER=CONTEXT]... [--contexts FILE] | [--source arm [--subscription ID]]',
  ],
  description: `
Reads every cluster of the fleet in parallel, each bounded by --timeout: its wave, the branch it follows, the revision
its source has, and every Flux Kustomization (Ready, applied revision, since when, last error). An unreachable cluster
is a row, not a crash. Contexts default to the AKS cluster names (what \`az aks get-credentials\` creates); a --contexts
YAML file ("<cluster>: <context>") or --context flags override them. --source arm reads the fluxConfigurations' status
through Azure instead (private clusters). Exit 0 when every cluster is reachable and nothing is failing.`,
  flags: {},
  parsesOwnFlags: true,
  run: ({ args }) => runStatus(args),
};

function healthy(statuses: readonly ClusterStatus[]): boolean {
  return statuses.every((s) => s.reachable && failingLayers(s).length === 0);
}

export async function runStatus(argv: readonly string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(argv, {
      ...CLUSTER_SOURCE_OPTIONS,
      watch: { type: 'boolean', default: false },
      interval: { type: 'string', default: '10s' },
    });
    if (values.help) {
      process.stdout.write(STATUS_USAGE);
      return 0;
    }
    if (positionals.length > 0)
      throw new RolloutInputError(`unexpected argument "${positionals[0]}"; fleet status takes options only`);
    const fleet = loadModel(values);
    const read = await clusterReader(fleet, values);
    const intervalMs = durationFlag('interval', values.interval, 10) * 1000;
    for (;;) {
      const statuses = await readFleetStatus(fleet.spec, read);
      const now = new Date();
      if (values.json)
        process.stdout.write(
          `${JSON.stringify({ time: now.toISOString(), clusters: statuses }, null, values.watch ? 0 : 2)}\n`,
        );
      else
        process.stdout.write(
          `${values.watch && process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${values.watch ? `${now.toISOString()}\n` : ''}${renderFleetStatus(statuses, now)}`,
        );
      if (!values.watch) return healthy(statuses) ? 0 : 1;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  } catch (error) {
    return reportCommandError(error, 'status');
  }
}
