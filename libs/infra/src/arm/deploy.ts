/**
 * Running the plan against Azure through the ARM Deployments API (`@azure/arm-resources` 6.1.0 on Node 20; the
 * newer `@azure/arm-resourcesdeployments` needs Node 22): `whatIf` previews every step, `deploy` validates then
 * deploys each step in order and stops at the first failure with ARM's error text. The credential and the HTTP
 * client are injectable, so the request sequence is testable offline.
 *
 * The bodies carry exactly the committed files: the template file's JSON, and the parameters file's values (its
 * marker metadata dropped) plus the secure parameters given at call time: TLS files (`tlsFiles`), the private
 * repository's credential (`gitCredential`) and any other `secureParameters`. After each key-vault step, its
 * certificates are imported (certificate-import.ts) before the stamp that reads them.
 */
// The Azure SDK is imported on first use: loading it costs most of a second, which every `fleet synth` would pay.
import type { Deployment, ResourceManagementClient, WhatIfChange } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { Fleet } from '@aks-fleet/fleet';
import { templateFileContent } from './arm-json.ts';
import { importStepCertificates, missingTlsInputs, principalObjectId } from './certificate-import.ts';
import { selectDeployments, type DeploymentStep, type FleetDeployment, type PlanOptions } from '../deployment-plan.ts';
import { tlsInputPath, type KeyVaultObjectSpec } from '../stamp/key-vault-objects.ts';
import { GIT_CREDENTIAL_PARAMETERS } from '../stamp/stamp-flux.ts';
import { CERTIFICATE_IMPORTER_PARAMETER, KEY_VAULT_SECURE_PARAMETERS } from '../stamp/stamp-key-vault.ts';

export interface AzureOptions extends PlanOptions {
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  /** HTTP client of the SDK pipeline (tests inject a fake). @default - the SDK's default client */
  readonly httpClient?: HttpClient;
  /**
   * Secure parameter values per step id (`stamp/<cluster>` → { appGatewayListenerCertificate: "<base64 PFX>", … }),
   * never read from or written to files. @default - none (steps that need them fail before any request)
   */
  readonly secureParameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * TLS files by path under the deploy-time TLS directory (`<cluster>/<object name>.<pfx|pem|crt>`, see
   * KEY_VAULT_OBJECTS): certificates to import and the trusted root. @default - none (steps that need them fail first)
   */
  readonly tlsFiles?: Readonly<Record<string, Uint8Array>>;
  /** Token or SSH private key of a private fleet repository (`gitSource.auth`). @default - none */
  readonly gitCredential?: string;
  /** Public IP of this machine, let through each vault's firewall while its certificates are imported. @default - none */
  readonly keyVaultAccessIp?: string;
  /** Object id granted Key Vault Certificates Officer to import. @default - the credential's `oid` */
  readonly certificateImporterPrincipalId?: string;
  /** Wait between import attempts while a new role assignment propagates. @default 15000 */
  readonly importRetryDelayMs?: number;
  /** Long-running operation polling interval. @default - the SDK's (server-advised) interval */
  readonly pollIntervalMs?: number;
  /** Progress callback. @default - none */
  readonly onStep?: (event: StepEvent) => void;
}

export interface StepEvent {
  readonly step: DeploymentStep;
  readonly phase: 'validate' | 'deploy' | 'what-if' | 'import-certificates' | 'done';
}

export interface WhatIfStepResult {
  readonly step: DeploymentStep;
  readonly status?: string;
  readonly changes: ReadonlyArray<{ readonly resourceId?: string; readonly changeType: string }>;
}

export interface DeployStepResult {
  readonly step: DeploymentStep;
  readonly provisioningState?: string;
  readonly outputs?: Record<string, unknown>;
}

/** A step failed: names the step and carries ARM's error code and text. */
export class DeploymentStepError extends Error {
  constructor(
    readonly step: DeploymentStep,
    readonly phase: StepEvent['phase'],
    readonly armCode: string | undefined,
    readonly armMessage: string,
  ) {
    super(
      `${phase} of step ${step.id} (deployment ${step.deploymentName}${step.resourceGroup ? ` in ${step.resourceGroup}` : ' at subscription scope'}) failed: ` +
        `${armCode ? `${armCode}: ` : ''}${armMessage} — fix: correct the model or the template (${step.templatePath}) and rerun; steps before it are already deployed and ARM deployments are idempotent`,
    );
    this.name = 'DeploymentStepError';
  }
}

/** The SDK client: one per call, with the injected pipeline pieces. */
async function client(options: AzureOptions): Promise<ResourceManagementClient> {
  const { ResourceManagementClient } = await import('@azure/arm-resources');
  return new ResourceManagementClient(
    options.credential,
    options.subscriptionId,
    options.httpClient ? { httpClient: options.httpClient } : {},
  );
}

/** A step's secure parameter values: from the TLS files, the Git credential, then explicit `secureParameters`. */
export function secureValues(
  step: DeploymentStep,
  options: Pick<AzureOptions, 'tlsFiles' | 'gitCredential' | 'secureParameters'>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, object] of Object.entries(KEY_VAULT_SECURE_PARAMETERS)) {
    const file = step.cluster ? options.tlsFiles?.[tlsInputPath(step.cluster, object)] : undefined;
    if (step.secureParameters.includes(name) && file?.length) values[name] = Buffer.from(file).toString('base64');
  }
  for (const { name } of Object.values(GIT_CREDENTIAL_PARAMETERS)) {
    if (step.secureParameters.includes(name) && options.gitCredential) values[name] = options.gitCredential;
  }
  return { ...values, ...options.secureParameters?.[step.id] };
}

/** Checks every secure parameter and TLS file is given before anything is sent; lists all that are missing. */
function assertSecureInputs(
  deployments: readonly FleetDeployment[],
  options: AzureOptions,
  withImports: boolean,
): void {
  const missing = deployments.flatMap(({ step }) => {
    const given = secureValues(step, options);
    return step.secureParameters
      .filter((name) => !given[name])
      .map((name) => `${step.id}: ${name} (${secureInputHint(step, name)})`);
  });
  const files = withImports
    ? missingTlsInputs(
        deployments.map(({ step }) => step),
        options.tlsFiles ?? {},
      )
    : [];
  if (missing.length + files.length > 0) {
    throw new Error(
      `missing deploy-time input${missing.length + files.length > 1 ? 's' : ''}: ${[...missing, ...files.map((f) => `TLS file ${f}`)].join(', ')}; ` +
        'expected secure values given at deploy time (they are never in git or the parameter files) — fix: put the TLS files under ' +
        'the --tls-dir directory as <cluster>/<name>.<pfx|pem|crt>, set FLEET_GIT_TOKEN or FLEET_GIT_SSH_PRIVATE_KEY_FILE for a private repository',
    );
  }
}

function secureInputHint(step: DeploymentStep, name: string): string {
  const object = (KEY_VAULT_SECURE_PARAMETERS as Record<string, KeyVaultObjectSpec>)[name];
  if (object && step.cluster) return `TLS file ${tlsInputPath(step.cluster, object)}`;
  if (Object.values(GIT_CREDENTIAL_PARAMETERS).some((p) => p.name === name)) return 'the Git credential';
  return 'secureParameters';
}

/** The deployment body: committed template JSON, parameter values, secure values. */
export function deploymentBody(
  deployment: FleetDeployment,
  secure: Readonly<Record<string, string>> = {},
  importer?: string,
): Deployment {
  const { step, template, parameters } = deployment;
  const values: Record<string, { value: unknown }> = {};
  for (const [name, entry] of Object.entries(parameters.parameters)) values[name] = { value: entry.value };
  for (const name of step.secureParameters) values[name] = { value: secure[name] };
  if (importer && step.importCertificates?.length) values[CERTIFICATE_IMPORTER_PARAMETER] = { value: importer };
  return {
    ...(step.scope === 'subscription' ? { location: step.location } : {}),
    properties: {
      mode: 'Incremental',
      template: JSON.parse(templateFileContent(template)) as Record<string, unknown>,
      parameters: values,
    },
  };
}

function armError(error: unknown): { code?: string; message: string } {
  const e = error as {
    code?: string;
    message?: string;
    details?: { error?: { code?: string; message?: string; details?: Array<{ code?: string; message?: string }> } };
  };
  const inner = e.details?.error;
  const details = inner?.details?.map((d) => `${d.code ?? ''} ${d.message ?? ''}`.trim()).join('; ');
  return {
    code: inner?.code ?? e.code,
    message: [inner?.message ?? e.message ?? String(error), details].filter(Boolean).join(' — details: '),
  };
}

async function run<T>(step: DeploymentStep, phase: StepEvent['phase'], action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const { code, message } = armError(error);
    throw new DeploymentStepError(step, phase, code, message);
  }
}

/** What-if of every step of the plan (in order); returns the predicted changes per step. */
export async function whatIf(fleet: Readonly<Fleet>, options: AzureOptions): Promise<WhatIfStepResult[]> {
  const deployments = selectDeployments(fleet, options);
  assertSecureInputs(deployments, options, false);
  const arm = await client(options);
  const poll = options.pollIntervalMs === undefined ? {} : { updateIntervalInMs: options.pollIntervalMs };
  const results: WhatIfStepResult[] = [];
  for (const deployment of deployments) {
    const { step } = deployment;
    options.onStep?.({ step, phase: 'what-if' });
    const body = deploymentBody(deployment, secureValues(step, options));
    const result = await run(step, 'what-if', () =>
      step.scope === 'subscription'
        ? arm.deployments.beginWhatIfAtSubscriptionScopeAndWait(
            step.deploymentName,
            { location: step.location, properties: body.properties },
            poll,
          )
        : arm.deployments.beginWhatIfAndWait(
            step.resourceGroup!,
            step.deploymentName,
            { properties: body.properties },
            poll,
          ),
    );
    if (result.error)
      throw new DeploymentStepError(step, 'what-if', result.error.code, result.error.message ?? 'what-if failed');
    results.push({
      step,
      status: result.status,
      changes: (result.changes ?? []).map((c: WhatIfChange) => ({
        resourceId: c.resourceId,
        changeType: c.changeType,
      })),
    });
  }
  return results;
}

/** Validates then deploys every step in order; stops at the first failure (DeploymentStepError). */
export async function deploy(fleet: Readonly<Fleet>, options: AzureOptions): Promise<DeployStepResult[]> {
  const deployments = selectDeployments(fleet, options);
  assertSecureInputs(deployments, options, true);
  const arm = await client(options);
  const poll = options.pollIntervalMs === undefined ? {} : { updateIntervalInMs: options.pollIntervalMs };
  const importer = options.certificateImporterPrincipalId ?? (await principalObjectId(options.credential));
  const results: DeployStepResult[] = [];
  for (const deployment of deployments) {
    const { step } = deployment;
    const body = deploymentBody(deployment, secureValues(step, options), importer);
    options.onStep?.({ step, phase: 'validate' });
    const validation = await run(step, 'validate', () =>
      step.scope === 'subscription'
        ? arm.deployments.beginValidateAtSubscriptionScopeAndWait(step.deploymentName, body, poll)
        : arm.deployments.beginValidateAndWait(step.resourceGroup!, step.deploymentName, body, poll),
    );
    if (validation.error)
      throw new DeploymentStepError(
        step,
        'validate',
        validation.error.code,
        validation.error.message ?? 'validation failed',
      );
    options.onStep?.({ step, phase: 'deploy' });
    const created = await run(step, 'deploy', () =>
      step.scope === 'subscription'
        ? arm.deployments.beginCreateOrUpdateAtSubscriptionScopeAndWait(step.deploymentName, body, poll)
        : arm.deployments.beginCreateOrUpdateAndWait(step.resourceGroup!, step.deploymentName, body, poll),
    );
    const state = created.properties?.provisioningState;
    if (state && state !== 'Succeeded') {
      const error = created.properties?.error;
      throw new DeploymentStepError(step, 'deploy', error?.code, error?.message ?? `provisioning state ${state}`);
    }
    if (step.importCertificates?.length) {
      options.onStep?.({ step, phase: 'import-certificates' });
      await run(step, 'import-certificates', () =>
        importStepCertificates(step, {
          credential: options.credential,
          subscriptionId: options.subscriptionId,
          tlsFiles: options.tlsFiles ?? {},
          ...(options.httpClient ? { httpClient: options.httpClient } : {}),
          ...(options.keyVaultAccessIp ? { keyVaultAccessIp: options.keyVaultAccessIp } : {}),
          ...(options.importRetryDelayMs !== undefined ? { retryDelayMs: options.importRetryDelayMs } : {}),
          ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
        }),
      );
    }
    options.onStep?.({ step, phase: 'done' });
    results.push({
      step,
      provisioningState: state,
      outputs: created.properties?.outputs as Record<string, unknown> | undefined,
    });
  }
  return results;
}

/** The credential chain of the Azure CLI/SDK (environment, workload identity, managed identity, az login …). */
export async function defaultAzureCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

/** Whether a credential can get an ARM token (so the CLI can say clearly that it runs offline otherwise). */
export async function canAuthenticate(credential: TokenCredential): Promise<boolean> {
  try {
    return (await credential.getToken('https://management.azure.com/.default')) !== null;
  } catch {
    return false;
  }
}
