/**
 * The bootstrap objects of a cluster with the branch of its rollout wave (`clusterSourceBranch` of
 * @aks-fleet/fleet, the function the infrastructure's fluxConfiguration uses): wave 1 follows the model's branch,
 * later waves `fleet/wave-<name>`. libs/workspace-tests checks that model, infrastructure and this agree.
 */
import { clusterSourceBranch, type FleetSpec } from '@aks-fleet/fleet';
import { fluxBootstrapObjects, type GitCredentials } from './flux-bootstrap.ts';

export function waveBootstrapObjects(
  spec: FleetSpec,
  cluster: string,
  gitUrl: string,
  credentials: GitCredentials,
): ReturnType<typeof fluxBootstrapObjects> {
  return fluxBootstrapObjects(cluster, gitUrl, clusterSourceBranch(spec, cluster), credentials);
}
