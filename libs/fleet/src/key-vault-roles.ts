/**
 * Azure built-in Key Vault data-plane roles (RBAC authorization), by role definition GUID, and which Secrets Store
 * CSI object types each lets an identity read. The provider reads `secret` through the secrets API (a
 * certificate's key + chain is its backing secret), `cert` through the certificates API (the public certificate),
 * `key` through the keys API (the public key).
 * @see https://learn.microsoft.com/azure/key-vault/general/rbac-guide
 */
export const KEY_VAULT_ROLES = {
  administrator: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  reader: '21090545-7ca7-4776-b22c-e363652d74d2',
  secretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  secretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  certificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
  certificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985',
  cryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424',
  cryptoOfficer: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
} as const;

export type KeyVaultObjectType = 'secret' | 'cert' | 'key';

/** Roles whose data actions read each object type's content. */
export const KEY_VAULT_READ_ROLES: Readonly<Record<KeyVaultObjectType, readonly string[]>> = {
  secret: [KEY_VAULT_ROLES.secretsUser, KEY_VAULT_ROLES.secretsOfficer, KEY_VAULT_ROLES.administrator],
  cert: [
    KEY_VAULT_ROLES.certificateUser,
    KEY_VAULT_ROLES.certificatesOfficer,
    KEY_VAULT_ROLES.administrator,
    KEY_VAULT_ROLES.reader,
  ],
  key: [
    KEY_VAULT_ROLES.cryptoUser,
    KEY_VAULT_ROLES.cryptoOfficer,
    KEY_VAULT_ROLES.administrator,
    KEY_VAULT_ROLES.reader,
  ],
};
