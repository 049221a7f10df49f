/**
 * `fleet model [--fleet PATH] [--cluster NAME] [-o text|json]`: parses and checks the fleet model (structure and
 * cross-field rules) and prints what it holds. Exit 1 with every error when the model is invalid.
 */
import { clustersOf, loadFleet } from '@aks-fleet/fleet';
import { UnknownClusterError } from '@aks-fleet/synth';
import { CLUSTER_FLAG, FLEET_FLAG, type Command } from '../command.ts';
import type { Output } from '../output.ts';

export const modelCommand: Command = {
  name: 'model',
  summary: 'check the fleet model (structure and cross-field rules) and print what it holds',
  usage: ['fleet model [--fleet PATH] [--cluster NAME]... [-o text|json]'],
  description: `
Parses the fleet model (the embedded default fleet, or --fleet: a fleet file or a fleet directory with fleet.yaml and
clusters/<name>/cluster.yaml) and checks its structure and cross-field rules. Prints the regions and clusters; on an
invalid model prints every error (field path, value, what was expected, the fix) and exits 1. Writes nothing.`,
  flags: { fleet: FLEET_FLAG, cluster: CLUSTER_FLAG },
  outputs: ['text', 'json'],
  run: ({ flags, out }) =>
    runModel(
      {
        ...(typeof flags.fleet === 'string' ? { fleet: flags.fleet } : {}),
        clusters: (flags.cluster as string[] | undefined) ?? [],
      },
      out,
    ),
};

export interface ModelArgs {
  readonly fleet?: string;
  readonly clusters: readonly string[];
}

export function runModel(args: ModelArgs, out: Output): number {
  const { fleet, files } = loadFleet(args.fleet);
  const all = clustersOf(fleet.spec);
  const unknown = args.clusters.filter((name) => !all.some(({ cluster }) => cluster.name === name));
  if (unknown.length > 0)
    throw new UnknownClusterError(
      unknown,
      all.map(({ cluster }) => cluster.name),
    );
  const selected = args.clusters.length > 0 ? all.filter(({ cluster }) => args.clusters.includes(cluster.name)) : all;
  if (out.json) {
    out.result({
      fleet: fleet.metadata.name,
      files,
      clusters: selected.map(({ region, cluster }) => ({ region, ...cluster })),
    });
    return 0;
  }
  out.line(
    `fleet ${fleet.metadata.name}: ${Object.keys(fleet.spec.regions).length} region(s), ${all.length} cluster(s) — valid`,
  );
  for (const { region, cluster } of selected) {
    out.line(
      `  ${cluster.name}  region=${region} instance=${cluster.instance} kubernetes=${cluster.kubernetesVersion} spoke=${cluster.spoke.addressSpace} ilb=${cluster.ingress.internalLoadBalancerIp}`,
    );
  }
  return 0;
}
