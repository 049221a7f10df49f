/**
 * What each cluster's Key Vault holds, how it gets there and who reads it — one table, used by the key-vault
 * template, the deploy step that imports certificates, the stamp's role assignments and the plan (which the
 * `deploy/key-vault-objects` gate rule reads).
 *
 * ARM cannot create a Key Vault certificate, so every certificate with a private key is imported by
 * `fleet infra deploy` through the data plane from files given at deploy time. A certificate's key and chain are
 * then readable as the certificate's backing secret of the same name (`/secrets/<name>`): that is what both the App
 * Gateway (`keyVaultSecretId`) and the Secrets Store CSI provider (`objectType: secret`) read, so both identities need
 * only Key Vault Secrets User. The App Gateway's trusted root is a public CA certificate without a key, which Key
 * Vault cannot import as a certificate: it stays a plain secret the key-vault template writes.
 */
import { KEY_VAULT_SECRETS } from '@aks-fleet/fleet';

/** How an object reaches the vault. */
export type KeyVaultObjectSource = 'import-certificate' | 'template-secret';

/** File formats of the deploy-time TLS inputs. */
export const TLS_FILE_FORMATS = {
  /** PKCS#12 without a password. */
  pfx: { extension: '.pfx', contentType: 'application/x-pkcs12' },
  /** PEM private key + certificate chain. */
  pem: { extension: '.pem', contentType: 'application/x-pem-file' },
  /** PEM or DER public certificate of a CA. */
  crt: { extension: '.crt', contentType: 'application/x-x509-ca-cert' },
} as const;

export type TlsFileFormat = keyof typeof TLS_FILE_FORMATS;

export interface KeyVaultObjectSpec {
  /** Object name in the vault. */
  readonly name: string;
  readonly source: KeyVaultObjectSource;
  readonly format: TlsFileFormat;
  readonly description: string;
}

export const KEY_VAULT_OBJECTS = {
  appGatewayListenerCertificate: {
    name: KEY_VAULT_SECRETS.appGatewayListenerCertificate,
    source: 'import-certificate',
    format: 'pfx',
    description:
      'publicly trusted certificate (PFX, no password) of the App Gateway public FQDN, served by its listener',
  },
  ingressTlsCertificate: {
    name: KEY_VAULT_SECRETS.ingressTlsCertificate,
    source: 'import-certificate',
    format: 'pem',
    description: 'private key + certificate (PEM) of the internal ingress host, served by the ingress controller',
  },
  ingressRootCertificate: {
    name: KEY_VAULT_SECRETS.ingressRootCertificate,
    source: 'template-secret',
    format: 'crt',
    description: 'CA certificate of the internal ingress certificate, trusted by the App Gateway on its HTTPS backend',
  },
} as const satisfies Record<string, KeyVaultObjectSpec>;

export type KeyVaultObjectKey = keyof typeof KEY_VAULT_OBJECTS;

/** The certificates `fleet infra deploy` imports into every cluster vault. */
export function importedCertificates(): KeyVaultObjectSpec[] {
  return Object.values(KEY_VAULT_OBJECTS).filter((o) => o.source === 'import-certificate');
}

/** Where a cluster's TLS input file is expected: `<tls dir>/<cluster>/<object name><extension>`. */
export function tlsInputPath(cluster: string, object: KeyVaultObjectSpec): string {
  return `${cluster}/${object.name}${TLS_FILE_FORMATS[object.format].extension}`;
}
