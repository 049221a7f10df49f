/**
 * `fleet model [--fleet PATH] [--cluster NAME] [--json]`: parses and checks the fleet model (structure and
 * cross-field rules) and prints what it holds. Exit 1 with every error when the model is invalid.
 */
import { clustersOf, loadFleet } from '@aks-fleet/fleet';
import { UnknownClusterError } from '@aks-fleet/synth';
import type { Output } from '../output.ts';

export interface ModelArgs {
  readonly fleet?: string;
  readonly clusters: readonly string[];
}

export function runModel(args: ModelArgs, out: Output): number {
  const { fleet, files } = loadFleet(args.fleet);
  const all = clustersOf(fleet.spec);
  const unknown = args.clusters.filter((name) => !all.some(({ cluster }) => cluster.name === name));
  if (unknown.length > 0) throw new UnknownClusterError(unknown, all.map(({ cluster }) => cluster.name));
  const selected = args.clusters.length > 0 ? all.filter(({ cluster }) => args.clusters.includes(cluster.name)) : all;
  if (out.json) {
    out.result({ fleet: fleet.metadata.name, files, clusters: selected.map(({ region, cluster }) => ({ region, ...cluster })) });
    return 0;
  }
  out.line(`fleet ${fleet.metadata.name}: ${Object.keys(fleet.spec.regions).length} region(s), ${all.length} cluster(s) — valid`);
  for (const { region, cluster } of selected) {
    out.line(`  ${cluster.name}  region=${region} instance=${cluster.instance} kubernetes=${cluster.kubernetesVersion} spoke=${cluster.spoke.addressSpace} ilb=${cluster.ingress.internalLoadBalancerIp}`);
  }
  return 0;
}
