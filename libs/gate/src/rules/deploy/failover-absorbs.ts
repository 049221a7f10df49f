/**
 * deploy/failover-absorbs: for the loss of each region, every surviving cluster can take its new share of the
 * traffic — the plan of `fleet failover --lose <region>` (planFailover of @aks-fleet/fleet, the same code), run on the
 * synthesized tree. One finding per (lost region, survivor that cannot absorb): its limiting factor and that fix.
 *
 * The finding is filed under the Front Door template, where the traffic split lives: a survivor's verdict depends on
 * every cluster's weight, so it must not be skipped with its own unchanged files (`fleet validate --changed-since`).
 */
import { clustersOf, FailoverWorkloads, planFailover, type Fleet, type ManifestObject } from '@aks-fleet/fleet';
import type { Finding } from '../../finding.ts';
import type { SyncRule } from '../../rule.ts';
import { deployFinding } from './finding.ts';

const RULE = 'deploy/failover-absorbs';
/** The synthesized Front Door template (origins, priorities, weights): what every verdict depends on. */
export const FRONT_DOOR_TEMPLATE = 'infrastructure/frontdoor/template.json';

/**
 * The findings for the loss of each region of `fleet`, every plan reading the clusters' workloads from `workloads`:
 * one FailoverWorkloads for all of them, so each cluster's manifests are read once, not once per lost region.
 */
function failoverFindings(fleet: Readonly<Fleet>, workloads: FailoverWorkloads): Finding[] {
  const regions = [...new Set(clustersOf(fleet.spec).map((c) => c.region))];
  if (regions.length < 2) return []; // no region to fail over to: nothing to plan
  return regions.flatMap((region) => {
    const plan = planFailover(fleet, region, workloads);
    return plan.survivors
      .filter((survivor) => !survivor.absorbs)
      .map((survivor) => {
        const [first, ...others] = survivor.findings;
        const more = others.length > 0 ? ` (and ${others.length} more limit(s))` : '';
        return deployFinding(
          RULE,
          FRONT_DOOR_TEMPLATE,
          '-',
          `losing ${region}, ${survivor.cluster} (${survivor.region}) cannot absorb its traffic; limited by ` +
            `${first!.factor}: ${first!.detail}${more}`,
          `${first!.fix} (see \`fleet failover --lose ${region}\`)`,
        );
      });
  });
}

export const failoverAbsorbs: SyncRule = {
  id: RULE,
  rationale:
    'When a region is lost, Front Door sends its traffic to the others: each survivor must reach the replicas its ' +
    'new share needs (HPA maximum, node pools, quotas, subnet), or the failover the fleet is built for fails.',
  check: ({ clusters, fleet }) => {
    if (!fleet) return [];
    const trees = new Map(clusters.map((c) => [c.name, c]));
    // A cluster of the model without a synthesized tree: the plan would be guesswork (fleet/* rules report it).
    if (clustersOf(fleet.spec).some(({ cluster }) => !trees.has(cluster.name))) return [];
    const objectsOf = (cluster: string) => (trees.get(cluster)?.objects ?? []).map((o) => o.object as ManifestObject);
    return failoverFindings(fleet, new FailoverWorkloads(objectsOf));
  },
};
