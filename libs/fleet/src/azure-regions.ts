/**
 * Azure public-cloud region names (the `location` values ARM accepts), used to catch typos such as `eastus-2`.
 * Extend the list when Azure opens a region.
 */
export const AZURE_REGIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral',
  'brazilsouth', 'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'chilecentral',
  'denmarkeast', 'eastasia', 'eastus', 'eastus2', 'francecentral', 'francesouth', 'germanynorth',
  'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth', 'japaneast', 'japanwest', 'jioindiacentral',
  'jioindiawest', 'koreacentral', 'koreasouth', 'malaysiawest', 'mexicocentral', 'newzealandnorth', 'northcentralus',
  'northeurope', 'norwayeast', 'norwaywest', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest',
  'southcentralus', 'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'swedensouth',
  'switzerlandnorth', 'switzerlandwest', 'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus',
  'westeurope', 'westindia', 'westus', 'westus2', 'westus3',
];

/** The closest known region names to a typo, for the "how to fix" part of an error. */
export function suggestRegions(name: string): string[] {
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (AZURE_REGIONS.includes(normalized)) return [normalized];
  return AZURE_REGIONS.filter((region) => region.startsWith(normalized.slice(0, 4))).slice(0, 3);
}
