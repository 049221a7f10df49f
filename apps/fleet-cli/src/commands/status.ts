/**
 * `fleet status`: every cluster of the fleet read in parallel (kubeconfig contexts derived from the model, or ARM
 * fluxConfigurations with --source arm), each bounded by --timeout: wave, branch, the revision its source has, and
 * every Flux Kustomization (Ready, applied revision, since when, last error). An unreachable cluster is a row, not a
 * crash. A table, -o json, or --watch to follow. Exit 0 when every cluster is reachable and nothing is failing, 1 when
 * one is not, 2 on bad input (no kubeconfig …): the help says the same.
 */
import { failingLayers, readFleetStatus, renderFleetStatus, type ClusterStatus } from '@aks-fleet/rollout';
import { FLEET_FLAG, type Command } from '../command.ts';
import type { Output } from '../output.ts';
import {
  CLUSTER_SOURCE_FLAGS,
  clusterReader,
  durationFlag,
  loadModel,
  stringFlag,
  unreachableError,
  type Flags,
} from './cluster-source.ts';

export const statusCommand: Command = {
  name: 'status',
  summary: "every cluster's Flux state, read in parallel (kubeconfig contexts or ARM)",
  usage: [
    'fleet status [--watch [--interval 10s]] [--timeout 10s] [--fleet PATH] [--kubeconfig FILE]',
    '             [--context CLUSTER=CONTEXT]... [--contexts FILE] | [--source arm [--subscription ID]] [-o text|json]',
  ],
  description: `
Reads every cluster of the fleet in parallel, each bounded by --timeout: its wave, the branch it follows, the revision
its source has, and every Flux Kustomization (Ready, applied revision, since when, last error). An unreachable cluster
is a row, not a crash. Contexts default to the AKS cluster names (what \`az aks get-credentials\` creates); a --contexts
YAML file ("<cluster>: <context>") or --context flags override them. --source arm reads the fluxConfigurations' status
through Azure instead (private clusters). Exit 0 when every cluster is reachable and nothing is failing; 1 when a
cluster is unreachable or failing (the report says which); 2 when it cannot read at all for its input: bad flags, no
kubeconfig or one without contexts, --source arm without a subscription.`,
  flags: {
    fleet: FLEET_FLAG,
    ...CLUSTER_SOURCE_FLAGS,
    watch: { type: 'boolean', description: 'print the status again every --interval until interrupted' },
    interval: { type: 'string', value: 'DURATION', default: '10s', description: 'with --watch: time between reads' },
  },
  outputs: ['text', 'json'],
  run: ({ flags, out }) => runStatus(flags, out),
};

function healthy(statuses: readonly ClusterStatus[]): boolean {
  return statuses.every((s) => s.reachable && failingLayers(s).length === 0);
}

export async function runStatus(flags: Flags, out: Output): Promise<number> {
  const watch = flags.watch === true;
  const intervalMs = durationFlag('interval', stringFlag(flags, 'interval'), 10) * 1000;
  const fleet = loadModel(flags);
  const read = await clusterReader(fleet, flags);
  for (;;) {
    const statuses = await readFleetStatus(fleet.spec, read);
    const now = new Date();
    if (out.json)
      out.write(`${JSON.stringify({ time: now.toISOString(), clusters: statuses }, null, watch ? 0 : 2)}\n`);
    else
      out.write(
        `${watch && process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${watch ? `${now.toISOString()}\n` : ''}${renderFleetStatus(statuses, now)}`,
      );
    if (!watch) {
      // Nothing could be read: that is the invocation (kubeconfig, network, login), so say it once with the fix.
      // Some clusters unreachable is part of the report (a row each), and the exit code says it.
      const error = unreachableError(statuses);
      if (error && statuses.every((s) => !s.reachable)) out.error(`ERROR ${error.message} — fix: ${error.fix}`);
      return healthy(statuses) ? 0 : 1;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
