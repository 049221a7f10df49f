/**
 * A cluster's Key Vault, deployed before its stamp so that `fleet infra deploy` can import the certificates between
 * the two (see key-vault-objects.ts). Same resource group as the stamp.
 */
import type { Fleet } from '@aks-fleet/fleet';
import { template, type ArmTemplate } from '../arm/arm-template.ts';
import { stampContext } from './stamp-context.ts';
import { keyVault, keyVaultParameterDefinitions } from './stamp-key-vault.ts';
import { tagsParameterDefinition } from '../arm/template-helpers.ts';

export function keyVaultTemplate(fleet: Readonly<Fleet>, clusterName: string): ArmTemplate {
  const context = stampContext(fleet, clusterName);
  return template(keyVault(context), {
    parameters: { ...tagsParameterDefinition(), ...keyVaultParameterDefinitions() },
    outputs: { keyVaultName: { type: 'string', value: context.names.keyVault } },
  });
}
