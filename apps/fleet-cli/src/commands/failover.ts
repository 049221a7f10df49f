/**
 * `fleet failover --lose <region> [--json] [--fleet PATH] [--root DIR]`: can every surviving cluster absorb the loss
 * of a region? Reads the fleet model and the synthesized manifests under the root; prints per survivor the replicas
 * it must run, its node pools at maxCount against the requests, its quotas, its nodes subnet under Azure CNI and the
 * Front Door origins left, then one verdict with the limiting factor and the fix. Exit 1 if any survivor cannot.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  loadFleet,
  planFailover,
  quotaQuantity,
  UnknownRegionError,
  type FailoverPlan,
  type ManifestObject,
} from '@aks-fleet/fleet';
import { readClusterTrees } from '@aks-fleet/gate';
import { CliError, FLEET_FLAG, ROOT_FLAG, type Command } from '../command.ts';
import type { Output } from '../output.ts';
import { rootFlag } from '../workspace-root.ts';

export const failoverCommand: Command = {
  name: 'failover',
  summary: 'can the surviving clusters absorb a lost region? (static check; exit 1 if not)',
  usage: ['fleet failover --lose REGION [--fleet PATH] [--root DIR] [-o text|json]'],
  description: `
For every cluster outside the lost region: the replicas it must run once Front Door sends it the lost region's
traffic, its node pools at maxCount against the requests (anti-affinity, pods per node, VM allocatable), its
ResourceQuotas, HPA maximum, nodes subnet under Azure CNI, and the Front Door origins left. One verdict per cluster
with the limiting factor and the fix. Reads the model and the synthesized manifests; writes nothing.`,
  flags: {
    lose: { type: 'string', value: 'REGION', description: 'the region to lose (required)' },
    fleet: FLEET_FLAG,
    root: ROOT_FLAG,
  },
  outputs: ['text', 'json'],
  run: ({ flags, out }) =>
    runFailover(
      {
        root: rootFlag(flags.root),
        ...(typeof flags.fleet === 'string' ? { fleet: flags.fleet } : {}),
        ...(typeof flags.lose === 'string' ? { lose: flags.lose } : {}),
      },
      out,
    ),
};

export interface FailoverArgs {
  readonly root: string;
  readonly fleet?: string;
  readonly lose?: string;
}

function percent(share: number): string {
  return `${(share * 100).toFixed((share * 100) % 1 === 0 ? 0 : 1)} %`;
}

function printPlan(plan: FailoverPlan, out: Output): void {
  out.line(`losing ${plan.lost} (${plan.lostClusters.join(', ')}): ${plan.survivors.length} surviving cluster(s)`);
  out.line(
    `Front Door origins left: ${plan.survivors.map((s) => `${s.cluster} priority ${s.frontDoor.priority} weight ${s.frontDoor.weight} → ${percent(s.frontDoor.trafficShare)}`).join('; ') || 'none'}`,
  );
  for (const s of plan.survivors) {
    out.line('');
    out.line(
      `${s.cluster} (${s.region}): ${s.absorbs ? 'ABSORBS' : 'CANNOT ABSORB'}${s.limitingFactor ? ` — limited by ${s.limitingFactor}` : ''}`,
    );
    for (const w of s.workloads) {
      const hpa = w.hpaMax !== undefined ? `, HPA max ${w.hpaMax}` : '';
      out.line(
        `  ${w.deployment}: ${w.normal} → needs ${w.needed}${hpa}; peak ${w.peak} + ${w.surge} surge on ${w.pool}${w.onePerNode ? ' (one per node)' : ''}`,
      );
    }
    for (const p of s.pools) {
      const a = p.allocatablePerNode;
      const cap = a ? `${p.maxCount} × ${a.cpuMillicores}m / ${a.memoryMiB}Mi / ${a.pods} pods` : 'unknown size';
      out.line(
        `  pool ${p.pool} ${p.vmSize} ≤ ${p.maxCount} nodes: requests ${p.cpuMillicores}m / ${Math.ceil(p.memoryMiB)}Mi / ${p.pods} pods of ${cap}`,
      );
    }
    for (const q of s.quotas) {
      out.line(
        `  quota ${q.namespace}/${q.name}: ${Object.entries(q.usage)
          .map(([r, [need, hard]]) => `${r} ${quotaQuantity(r, need)}/${quotaQuantity(r, hard)}`)
          .join(', ')}`,
      );
    }
    out.line(
      `  nodes subnet ${s.subnet.cidr}: ${s.subnet.neededAtMaxNodes} of ${s.subnet.usable} addresses at max nodes (Azure CNI)`,
    );
    for (const f of s.findings) out.line(`  ✗ ${f.factor}: ${f.detail} — fix: ${f.fix}`);
  }
  out.line('');
  out.line(
    plan.absorbs
      ? `every surviving cluster absorbs the loss of ${plan.lost}`
      : `${plan.survivors.filter((s) => !s.absorbs).length} surviving cluster(s) cannot absorb the loss of ${plan.lost}`,
  );
}

export function runFailover(args: FailoverArgs, out: Output): number {
  if (!args.lose)
    throw new CliError('failover needs --lose <region>', 'name the region to lose, e.g. fleet failover --lose eastus2');
  const { fleet } = loadFleet(args.fleet);
  const trees = new Map(
    readClusterTrees(args.root).map((t) => [t.name, t.objects.map((o) => o.object as ManifestObject)]),
  );
  const missing = [...new Set(Object.values(fleet.spec.regions).flatMap((r) => r.clusters.map((c) => c.name)))].filter(
    (name) => !trees.has(name) || !existsSync(path.join(args.root, 'manifests', name)),
  );
  if (missing.length > 0) {
    throw new CliError(
      `no synthesized manifests for ${missing.join(', ')} under ${path.join(args.root, 'manifests')}`,
      'run fleet synth (with the same --fleet) first',
    );
  }
  let plan: FailoverPlan;
  try {
    plan = planFailover(fleet, args.lose, (cluster) => trees.get(cluster) ?? []);
  } catch (error) {
    if (!(error instanceof UnknownRegionError)) throw error;
    throw new CliError(error.message, `pass one of the fleet's regions to --lose`);
  }
  if (out.json) out.result(plan);
  else printPlan(plan, out);
  return plan.absorbs ? 0 : 1;
}
