export * from './arm/api-versions.ts';
export * from './arm/arm-template.ts';
export * from './arm/arm-json.ts';
export * from './arm/arm-schema-files.ts';
export * from './arm/arm-schema-validator.ts';
export * from './deployment-plan.ts';
export * from './infrastructure-files.ts';
export { sharedTemplate, fleetRegions, registryReplicaRegions } from './shared/shared-template.ts';
export { hubTemplate } from './region-hub/hub-template.ts';
export { spokeTemplate } from './spoke/spoke-template.ts';
export { hubEgressTemplate } from './region-hub/hub-egress-template.ts';
export { stampTemplate } from './stamp/stamp-template.ts';
export { frontDoorTemplate } from './frontdoor/frontdoor-template.ts';
export { resourceGroupsTemplate, fleetResourceGroups } from './shared/resource-groups-template.ts';
export { KEY_VAULT_SECURE_PARAMETERS, CERTIFICATE_IMPORTER_PARAMETER } from './stamp/stamp-key-vault.ts';
export { keyVaultTemplate } from './stamp/key-vault-template.ts';
export * from './stamp/key-vault-objects.ts';
export { GIT_CREDENTIAL_PARAMETERS, gitCredentialParameter } from './stamp/stamp-flux.ts';
export * from './arm/deploy.ts';
export {
  parseResourceId,
  parseParameterReference,
  DeclaredResources,
  type ResourceReference,
} from './arm/arm-references.ts';
export * from './topology/fleet-topology.ts';
export * from './topology/render-topology.ts';
export { SYSTEM_POOL, USER_POOL, SYSTEM_POOL_TAINT } from './stamp/stamp-aks.ts';
