/**
 * The synthesized `infrastructure/` tree: one folder per deployment with `template.json` + `parameters.json`, and
 * `plan.json` listing the deployments in order. Repo-relative paths; deterministic content; every file carries the
 * aks-fleet marker (see arm-json.ts), which is what makes it owned.
 *
 *   infrastructure/plan.json
 *   infrastructure/resource-groups/      subscription scope: every resource group
 *   infrastructure/shared/               Log Analytics, ACR (+ replicas), base firewall policy, Front Door (no origins)
 *   infrastructure/regions/<r>/hub/      hub VNet, firewall, regional policy
 *   infrastructure/clusters/<c>/spoke/   spoke VNet, NSGs, route table, peering to the hub, App Gateway public IP
 *   infrastructure/regions/<r>/hub-egress/  IP group + AKS/Flux egress rules, hub → spoke peerings
 *   infrastructure/clusters/<c>/key-vault/  the cluster's Key Vault (deploy then imports its certificates)
 *   infrastructure/clusters/<c>/stamp/   AKS, Flux, private endpoints, DNS, identities, App Gateway, policies, alerts
 *   infrastructure/frontdoor/            one origin per cluster + the route
 */
import { clusterRegion, clustersOf, type Fleet } from '@aks-fleet/fleet';
import { documentContent, parametersFileContent, templateFileContent } from './arm/arm-json.ts';
import {
  clusterDeployments,
  fleetDeployments,
  PLAN_PATH,
  type DeploymentStep,
  type FleetDeployment,
} from './deployment-plan.ts';

export interface InfrastructureFile {
  /** Repository-relative path with forward slashes. */
  readonly path: string;
  readonly content: string;
}

function planDocument(steps: readonly DeploymentStep[]) {
  return {
    description:
      'Deployments of the fleet, in order. Each runs `az deployment group create` (or `sub create`) with its template and parameters file; secure parameters are passed at deploy time.',
    steps: steps.map(({ importCertificates, ...step }, index) => ({
      order: index + 1,
      ...step,
      secureParameters: [...step.secureParameters],
      ...(importCertificates ? { importCertificates: importCertificates.map((c) => ({ ...c })) } : {}),
    })),
  };
}

function deploymentFiles(deployments: readonly FleetDeployment[]): InfrastructureFile[] {
  return deployments.flatMap(({ step, template, parameters }) => [
    { path: step.templatePath, content: templateFileContent(template) },
    { path: step.parametersPath, content: parametersFileContent(parameters, template) },
  ]);
}

/** Every file of `infrastructure/`. */
export function infrastructureFiles(fleet: Readonly<Fleet>): InfrastructureFile[] {
  return [
    ...clustersOf(fleet.spec).flatMap(({ cluster }) => clusterInfrastructureFiles(fleet, cluster.name)),
    ...fleetInfrastructureFiles(fleet),
  ];
}

/**
 * One cluster's files, `infrastructure/clusters/<cluster>/` (its spoke, Key Vault and stamp), built alone: what
 * `fleet synth --cluster` writes, without paying for the rest of the fleet.
 */
export function clusterInfrastructureFiles(fleet: Readonly<Fleet>, clusterName: string): InfrastructureFile[] {
  const { region } = clusterRegion(fleet.spec, clusterName);
  const { spoke, keyVault, stamp } = clusterDeployments(fleet, region, clusterName);
  return deploymentFiles([spoke, keyVault, stamp]);
}

/** The fleet-wide files: everything but `infrastructure/clusters/` (resource groups, shared, hubs, Front Door, plan). */
export function fleetInfrastructureFiles(fleet: Readonly<Fleet>): InfrastructureFile[] {
  const deployments = fleetDeployments(fleet);
  return [
    ...deploymentFiles(deployments.filter(({ step }) => step.cluster === undefined)),
    { path: PLAN_PATH, content: documentContent(planDocument(deployments.map(({ step }) => step))) },
  ];
}
