/**
 * The fleet's deployments in order — resource groups → shared → hubs → spokes → hub egress rules → cluster Key
 * Vaults (then `deploy` imports their certificates) → cluster stamps → Front Door origins — each with its scope, resource group, template and parameters. One list drives the files
 * under `infrastructure/`, `plan.json`, and `deploy`/`whatIf`.
 */
import {
  armDeploymentName,
  clusterAzureNames,
  clustersOf,
  regionAzureNames,
  sharedAzureNames,
  type Fleet,
} from '@aks-fleet/fleet';
import {
  CONTENT_VERSION,
  DEPLOYMENT_PARAMETERS_SCHEMA,
  type ArmParametersFile,
  type ArmTemplate,
} from './arm/arm-template.ts';
import { frontDoorTemplate } from './frontdoor/frontdoor-template.ts';
import { hubEgressTemplate } from './region-hub/hub-egress-template.ts';
import { hubTemplate } from './region-hub/hub-template.ts';
import { resourceGroupsTemplate } from './shared/resource-groups-template.ts';
import { fleetRegions, sharedTemplate } from './shared/shared-template.ts';
import { spokeTemplate } from './spoke/spoke-template.ts';
import { importedCertificates, TLS_FILE_FORMATS, tlsInputPath } from './stamp/key-vault-objects.ts';
import { keyVaultTemplate } from './stamp/key-vault-template.ts';
import { gitCredentialParameter } from './stamp/stamp-flux.ts';
import { KEY_VAULT_SECURE_PARAMETERS } from './stamp/stamp-key-vault.ts';
import { stampTemplate } from './stamp/stamp-template.ts';
import { clusterTags, fleetTags, TAGS_PARAMETER } from './arm/template-helpers.ts';

export const INFRASTRUCTURE_ROOT = 'infrastructure';
export const PLAN_PATH = `${INFRASTRUCTURE_ROOT}/plan.json`;

export type DeploymentStepKind =
  'resource-groups' | 'shared' | 'hub' | 'spoke' | 'hub-egress' | 'key-vault' | 'stamp' | 'frontdoor';

/** A certificate `deploy` imports into a step's Key Vault after the step (data plane; ARM cannot create one). */
export interface CertificateImport {
  readonly keyVault: string;
  /** Certificate name in the vault; its backing secret has the same name. */
  readonly name: string;
  readonly contentType: string;
  /** Path of its file under the deploy-time TLS directory: `<cluster>/<name>.<pfx|pem>`. */
  readonly input: string;
}

/** One ARM deployment of the plan. */
export interface DeploymentStep {
  /** Stable id, e.g. `hub/eastus2`, `stamp/bu0001a0042-03`. */
  readonly id: string;
  readonly kind: DeploymentStepKind;
  /** ARM deployment name (≤ 64 characters). */
  readonly deploymentName: string;
  readonly scope: 'subscription' | 'resourceGroup';
  /** Target resource group (resource-group scope only). */
  readonly resourceGroup?: string;
  /** Deployment location: required by subscription-scope deployments; the group's location otherwise. */
  readonly location: string;
  /** Region of a regional step; absent for fleet-wide steps. */
  readonly region?: string;
  readonly cluster?: string;
  readonly templatePath: string;
  readonly parametersPath: string;
  /** Secure parameters to pass at deploy time (never in a file). */
  readonly secureParameters: readonly string[];
  /** Certificates imported into the step's Key Vault once it is deployed. @default - none */
  readonly importCertificates?: readonly CertificateImport[];
}

/** A step with its template and parameters. */
export interface FleetDeployment {
  readonly step: DeploymentStep;
  readonly template: ArmTemplate;
  readonly parameters: ArmParametersFile;
}

function parametersFile(tags: Record<string, string>): ArmParametersFile {
  return {
    $schema: DEPLOYMENT_PARAMETERS_SCHEMA,
    contentVersion: CONTENT_VERSION,
    parameters: { [TAGS_PARAMETER]: { value: tags } },
  };
}

function deployment(
  step: Omit<DeploymentStep, 'templatePath' | 'parametersPath' | 'secureParameters' | 'deploymentName'> & {
    folder: string;
    secureParameters?: readonly string[];
  },
  armTemplate: () => ArmTemplate,
  tags: Record<string, string>,
): FleetDeployment {
  const { folder, secureParameters, importCertificates, ...rest } = step;
  let built: ArmTemplate | undefined;
  return {
    step: {
      ...rest,
      deploymentName: armDeploymentName(step.id),
      templatePath: `${INFRASTRUCTURE_ROOT}/${folder}/template.json`,
      parametersPath: `${INFRASTRUCTURE_ROOT}/${folder}/parameters.json`,
      secureParameters: secureParameters ?? [],
      ...(importCertificates && importCertificates.length > 0 ? { importCertificates } : {}),
    },
    // Built on first use: the plan (and a one-cluster run) needs the steps, not every template.
    get template() {
      return (built ??= armTemplate());
    },
    parameters: parametersFile(tags),
  };
}

/** One cluster's deployments: its spoke (before the hub egress rules), its Key Vault and its stamp (after them). */
export function clusterDeployments(
  fleet: Readonly<Fleet>,
  region: string,
  clusterName: string,
): { spoke: FleetDeployment; keyVault: FleetDeployment; stamp: FleetDeployment } {
  const { spec } = fleet;
  const names = clusterAzureNames(spec, clusterName);
  return {
    spoke: deployment(
      {
        id: `spoke/${clusterName}`,
        kind: 'spoke',
        scope: 'resourceGroup',
        resourceGroup: regionAzureNames(region).spokeResourceGroup,
        location: region,
        region,
        cluster: clusterName,
        folder: `clusters/${clusterName}/spoke`,
      },
      () => spokeTemplate(fleet, clusterName),
      clusterTags(spec, clusterName),
    ),
    keyVault: deployment(
      {
        id: `key-vault/${clusterName}`,
        kind: 'key-vault',
        scope: 'resourceGroup',
        resourceGroup: names.resourceGroup,
        location: region,
        region,
        cluster: clusterName,
        folder: `clusters/${clusterName}/key-vault`,
        secureParameters: Object.keys(KEY_VAULT_SECURE_PARAMETERS),
        importCertificates: importedCertificates().map((object) => ({
          keyVault: names.keyVault,
          name: object.name,
          contentType: TLS_FILE_FORMATS[object.format].contentType,
          input: tlsInputPath(clusterName, object),
        })),
      },
      () => keyVaultTemplate(fleet, clusterName),
      clusterTags(spec, clusterName),
    ),
    stamp: deployment(
      {
        id: `stamp/${clusterName}`,
        kind: 'stamp',
        scope: 'resourceGroup',
        resourceGroup: names.resourceGroup,
        location: region,
        region,
        cluster: clusterName,
        folder: `clusters/${clusterName}/stamp`,
        secureParameters: [gitCredentialParameter(spec.gitSource.auth)?.name].filter(
          (name): name is string => name !== undefined,
        ),
      },
      () => stampTemplate(fleet, clusterName),
      clusterTags(spec, clusterName),
    ),
  };
}

/** Every deployment of the fleet, in order, with templates (each built on first use). */
export function fleetDeployments(fleet: Readonly<Fleet>): FleetDeployment[] {
  const { spec } = fleet;
  const shared = sharedAzureNames(spec);
  const regions = fleetRegions(fleet);
  const clusters = clustersOf(spec).map(({ region, cluster }) => clusterDeployments(fleet, region, cluster.name));
  const regionTags = (region: string) => fleetTags(spec, { 'aks-fleet-region': region });
  return [
    deployment(
      {
        id: 'resource-groups',
        kind: 'resource-groups',
        scope: 'subscription',
        location: shared.location,
        folder: 'resource-groups',
      },
      () => resourceGroupsTemplate(fleet),
      fleetTags(spec),
    ),
    deployment(
      {
        id: 'shared',
        kind: 'shared',
        scope: 'resourceGroup',
        resourceGroup: shared.resourceGroup,
        location: shared.location,
        folder: 'shared',
      },
      () => sharedTemplate(fleet),
      fleetTags(spec),
    ),
    ...regions.map((region) =>
      deployment(
        {
          id: `hub/${region}`,
          kind: 'hub',
          scope: 'resourceGroup',
          resourceGroup: regionAzureNames(region).hubResourceGroup,
          location: region,
          region,
          folder: `regions/${region}/hub`,
        },
        () => hubTemplate(fleet, region),
        regionTags(region),
      ),
    ),
    ...clusters.map(({ spoke }) => spoke),
    ...regions.map((region) =>
      deployment(
        {
          id: `hub-egress/${region}`,
          kind: 'hub-egress',
          scope: 'resourceGroup',
          resourceGroup: regionAzureNames(region).hubResourceGroup,
          location: region,
          region,
          folder: `regions/${region}/hub-egress`,
        },
        () => hubEgressTemplate(fleet, region),
        regionTags(region),
      ),
    ),
    ...clusters.map(({ keyVault }) => keyVault),
    ...clusters.map(({ stamp }) => stamp),
    deployment(
      {
        id: 'frontdoor',
        kind: 'frontdoor',
        scope: 'resourceGroup',
        resourceGroup: shared.resourceGroup,
        location: shared.location,
        folder: 'frontdoor',
      },
      () => frontDoorTemplate(fleet),
      fleetTags(spec),
    ),
  ];
}

export interface PlanOptions {
  /**
   * Only this region's steps, plus the fleet-wide ones (resource groups, shared, Front Door) that a region's
   * rollout also changes (its ACR replica, its origin). @default - every region
   */
  readonly region?: string;
  /** Only the fleet-wide steps (resource groups, shared services, Front Door): what a pipeline deploys first. @default false */
  readonly sharedOnly?: boolean;
}

/** Validates a region filter against the model. */
export function assertRegion(fleet: Readonly<Fleet>, region: string | undefined): void {
  if (region !== undefined && !(region in fleet.spec.regions)) {
    throw new Error(
      `unknown region "${region}"; the fleet has ${Object.keys(fleet.spec.regions).join(', ')} — fix: pass one of these to --region`,
    );
  }
}

/** The deployments to run, in order (with their templates), optionally for one region. */
export function selectDeployments(fleet: Readonly<Fleet>, options: PlanOptions = {}): FleetDeployment[] {
  assertRegion(fleet, options.region);
  return fleetDeployments(fleet).filter(({ step }) =>
    options.sharedOnly
      ? step.region === undefined
      : options.region === undefined || step.region === undefined || step.region === options.region,
  );
}

/** The ordered deployment plan (steps only). */
export function planDeployment(fleet: Readonly<Fleet>, options: PlanOptions = {}): DeploymentStep[] {
  return selectDeployments(fleet, options).map(({ step }) => step);
}
