/**
 * deploy/kubernetes-support: every managed cluster (and agent pool) runs a minor AKS serves on the support table's
 * date — in standard support, or under long-term support with the Premium tier and the AKSLongTermSupport plan.
 */
import {
  KUBERNETES_SUPPORT_AS_OF,
  KUBERNETES_SUPPORT_SOURCE,
  longTermSupportMinors,
  minorOf,
  standardSupportMinors,
} from '@aks-fleet/fleet';
import type { Finding } from '../../finding.ts';
import type { SyncRule } from '../../rule.ts';
import { armResources, field, json, list, ofType } from '../arm-resources.ts';
import { deployFinding } from './finding.ts';

const RULE = 'deploy/kubernetes-support';

export const kubernetesSupport: SyncRule = {
  id: RULE,
  rationale:
    'AKS refuses to create a cluster on a minor out of support, and serves an old minor only under long-term ' +
    'support (Premium tier + AKSLongTermSupport).',
  check: (context) =>
    ofType(armResources(context), 'Microsoft.ContainerService/managedClusters').flatMap(({ file, resource }) => {
      const cluster = json(resource);
      const pools = list(cluster, 'properties', 'agentPoolProfiles').map((pool) => pool.orchestratorVersion);
      const version = field(cluster, 'properties', 'kubernetesVersion');
      const versions = [version, ...pools].filter((v) => typeof v === 'string');
      const lts = field(cluster, 'properties', 'supportPlan') === 'AKSLongTermSupport';
      const tier = field(cluster, 'sku', 'tier');
      const object = `managedClusters/${resource.name}`;
      const findings: Finding[] = [];
      if (lts && tier !== 'Premium') {
        const fix = "set the cluster's tier: Premium in the fleet model (long-term support is a Premium feature)";
        const message = `supportPlan AKSLongTermSupport on sku.tier ${String(tier)}`;
        findings.push(deployFinding(RULE, file, object, message, fix));
      }
      const allowed = lts ? longTermSupportMinors() : standardSupportMinors();
      for (const version of new Set(versions)) {
        if (allowed.includes(minorOf(version))) continue;
        const table = `${allowed.join(', ')} as of ${KUBERNETES_SUPPORT_AS_OF}, ${KUBERNETES_SUPPORT_SOURCE}`;
        const support = `AKS ${lts ? 'long-term' : 'standard'} support (${table})`;
        const optIn = lts ? '' : ', or opt into long-term support (tier: Premium, supportPlan: AKSLongTermSupport)';
        const fix = `set kubernetesVersion to one of ${standardSupportMinors().join(', ')} in the fleet model${optIn}`;
        findings.push(deployFinding(RULE, file, object, `Kubernetes ${version} is not in ${support}`, fix));
      }
      return findings;
    }),
};
