/**
 * The data-plane part of `fleet infra deploy`: importing each cluster's certificates (KEY_VAULT_OBJECTS) into its
 * Key Vault right after the key-vault deployment, through `@azure/keyvault-certificates` on the same credential and
 * HTTP client as the ARM calls. The files come from a directory given at deploy time (never git, never a parameters
 * file). The vault has no public network access: from outside the virtual network, name the deploying machine's
 * public IP and the step opens the vault's firewall to that IP alone for the import and closes it again.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { API_VERSIONS } from './api-versions.ts';
import type { CertificateImport, DeploymentStep } from '../deployment-plan.ts';

export interface CertificateImportOptions {
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  readonly httpClient?: HttpClient;
  /** TLS input files by `CertificateImport.input` (`<cluster>/<name>.<pfx|pem>`). */
  readonly tlsFiles: Readonly<Record<string, Uint8Array>>;
  /** Public IP of the deploying machine, let through the vault's firewall during the import. @default - none (private network) */
  readonly keyVaultAccessIp?: string;
  /** Wait between attempts while a fresh role assignment propagates (403). @default 15000 */
  readonly retryDelayMs?: number;
  /** Attempts per certificate. @default 8 */
  readonly attempts?: number;
  /** Long-running operation polling interval of the firewall updates. @default - the SDK's */
  readonly pollIntervalMs?: number;
}

/** The `https://<vault>.vault.azure.net` URL (Azure public cloud). */
export function keyVaultUrl(keyVault: string): string {
  return `https://${keyVault}.vault.azure.net`;
}

/** Which declared inputs are missing, as `<input>` paths. */
export function missingTlsInputs(
  steps: readonly DeploymentStep[],
  files: Readonly<Record<string, Uint8Array>>,
): string[] {
  return steps.flatMap((step) =>
    (step.importCertificates ?? []).filter((c) => !files[c.input]?.length).map((c) => c.input),
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries while Azure RBAC has not yet propagated the importer's role (403 Forbidden). */
async function withRoleRetry<T>(action: () => Promise<T>, attempts: number, delayMs: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 403 || attempt >= attempts) throw error;
      await sleep(delayMs);
    }
  }
}

function vaultResourceId(subscriptionId: string, step: DeploymentStep, keyVault: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${step.resourceGroup}/providers/Microsoft.KeyVault/vaults/${keyVault}`;
}

/** Imports the step's certificates; returns the imported certificate ids. */
export async function importStepCertificates(
  step: DeploymentStep,
  options: CertificateImportOptions,
): Promise<string[]> {
  const imports = step.importCertificates ?? [];
  if (imports.length === 0) return [];
  const { CertificateClient } = await import('@azure/keyvault-certificates');
  const pipeline = options.httpClient ? { httpClient: options.httpClient } : {};
  const byVault = new Map<string, CertificateImport[]>();
  for (const c of imports) byVault.set(c.keyVault, [...(byVault.get(c.keyVault) ?? []), c]);
  const ids: string[] = [];
  for (const [keyVault, certificates] of byVault) {
    const restoreFirewall = options.keyVaultAccessIp ? await openFirewall(step, keyVault, options) : undefined;
    try {
      const client = new CertificateClient(keyVaultUrl(keyVault), options.credential, {
        ...pipeline,
        retryOptions: { maxRetries: 2 },
      });
      for (const certificate of certificates) {
        // `policy.contentType` tells the SDK how to encode the bytes (PEM as text, PFX as base64), but 4.10.3 drops
        // the public `policy` from the request body; its serializer reads `certificatePolicy`, which we set too, so
        // Key Vault stores the backing secret with the content type the readers expect.
        const importOptions = {
          policy: { contentType: certificate.contentType as 'application/x-pem-file' },
          certificatePolicy: { secretProperties: { contentType: certificate.contentType } },
        };
        const imported = await withRoleRetry(
          () => client.importCertificate(certificate.name, options.tlsFiles[certificate.input]!, importOptions),
          options.attempts ?? 8,
          options.retryDelayMs ?? 15_000,
        );
        ids.push(imported.id ?? `${keyVaultUrl(keyVault)}/certificates/${certificate.name}`);
      }
    } finally {
      await restoreFirewall?.();
    }
  }
  return ids;
}

/** Lets `keyVaultAccessIp` through the vault's firewall; returns how to close it again (the template's state). */
async function openFirewall(
  step: DeploymentStep,
  keyVault: string,
  options: CertificateImportOptions,
): Promise<() => Promise<void>> {
  const { ResourceManagementClient } = await import('@azure/arm-resources');
  const arm = new ResourceManagementClient(
    options.credential,
    options.subscriptionId,
    options.httpClient ? { httpClient: options.httpClient } : {},
  );
  const id = vaultResourceId(options.subscriptionId, step, keyVault);
  const apiVersion = API_VERSIONS['Microsoft.KeyVault/vaults'];
  const acls = (ipRules: Array<{ value: string }>) => ({
    defaultAction: 'Deny',
    bypass: 'AzureServices',
    ipRules,
    virtualNetworkRules: [],
  });
  const poll = options.pollIntervalMs === undefined ? {} : { updateIntervalInMs: options.pollIntervalMs };
  await arm.resources.beginUpdateByIdAndWait(
    id,
    apiVersion,
    { properties: { publicNetworkAccess: 'Enabled', networkAcls: acls([{ value: options.keyVaultAccessIp! }]) } },
    poll,
  );
  return async () => {
    await arm.resources.beginUpdateByIdAndWait(
      id,
      apiVersion,
      { properties: { publicNetworkAccess: 'Disabled', networkAcls: acls([]) } },
      poll,
    );
  };
}

/** The object id (`oid` claim) of the principal behind a credential, from its ARM token. @returns undefined if unknown */
export async function principalObjectId(credential: TokenCredential): Promise<string | undefined> {
  try {
    const token = await credential.getToken('https://management.azure.com/.default');
    const payload = token?.token.split('.')[1];
    if (!payload) return undefined;
    const oid = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { oid?: unknown }).oid;
    return typeof oid === 'string' ? oid : undefined;
  } catch {
    return undefined;
  }
}
