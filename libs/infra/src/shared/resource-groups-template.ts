/**
 * The first step, at subscription scope: every resource group of the fleet — shared, one hubs and one spokes group
 * per region, one stamp group per cluster — so each later step deploys into a group that exists.
 */
import { clusterAzureNames, clustersOf, regionAzureNames, sharedAzureNames, type Fleet } from '@aks-fleet/fleet';
import { template, type ArmTemplate } from '../arm/arm-template.ts';
import { fleetRegions } from './shared-template.ts';
import { tagsParameterDefinition, tracked } from '../arm/template-helpers.ts';

export interface ResourceGroupPlacement {
  readonly name: string;
  readonly location: string;
}

/** Every resource group of the fleet with its location, in deployment order. */
export function fleetResourceGroups(fleet: Readonly<Fleet>): ResourceGroupPlacement[] {
  const shared = sharedAzureNames(fleet.spec);
  return [
    { name: shared.resourceGroup, location: shared.location },
    ...fleetRegions(fleet).flatMap((region) => {
      const names = regionAzureNames(region);
      return [
        { name: names.hubResourceGroup, location: region },
        { name: names.spokeResourceGroup, location: region },
      ];
    }),
    ...clustersOf(fleet.spec).map(({ region, cluster }) => ({
      name: clusterAzureNames(fleet.spec, cluster.name).resourceGroup,
      location: region,
    })),
  ];
}

export function resourceGroupsTemplate(fleet: Readonly<Fleet>): ArmTemplate {
  return template(
    fleetResourceGroups(fleet).map((group) =>
      tracked('Microsoft.Resources/resourceGroups', group.name, group.location, { properties: {} }),
    ),
    { parameters: tagsParameterDefinition(), scope: 'subscription' },
  );
}
