import type { TokenCredential } from '@azure/core-auth';
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { canAuthenticate, deploy, DeploymentStepError, whatIf, type AzureOptions } from './deploy.ts';
import { planDeployment } from '../deployment-plan.ts';
import { infrastructureFiles } from '../infrastructure-files.ts';
import { defaultFleet } from '../test-fleets.ts';
import { parseFleet } from '@aks-fleet/fleet';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const fleet = defaultFleet();

const credential: TokenCredential = {
  getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly body: {
    location?: string;
    properties: { mode: string; template: Record<string, unknown>; parameters: Record<string, { value: unknown }> };
  };
  readonly authorization: string | undefined;
}

const isKeyVault = (url: string) => new URL(url).hostname.endsWith('.vault.azure.net');

/**
 * An ARM and Key Vault stand-in: records every request and answers from `respond` (default: success). Key Vault
 * first answers an unauthenticated request with its bearer challenge, as the service does.
 */
function fakeArm(
  respond?: (request: PipelineRequest, index: number) => { status: number; body: unknown } | undefined,
): { httpClient: HttpClient; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const httpClient: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const authorization = request.headers.get('authorization');
      requests.push({
        method: request.method,
        url: request.url,
        body: request.body ? JSON.parse(String(request.body)) : undefined,
        authorization,
      });
      if (isKeyVault(request.url) && !authorization) {
        const challenge =
          'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001", resource="https://vault.azure.net"';
        return { request, status: 401, headers: createHttpHeaders({ 'www-authenticate': challenge }), bodyAsText: '' };
      }
      const scripted = respond?.(request, requests.length - 1);
      const name = /\/certificates\/([^/]+)\/import/.exec(request.url)?.[1];
      const success = isKeyVault(request.url)
        ? {
            id: `https://${new URL(request.url).hostname}/certificates/${name}/0123456789abcdef`,
            attributes: { enabled: true },
            policy: {},
          }
        : /\/whatIf\?/.test(request.url)
          ? { status: 'Succeeded', changes: [{ resourceId: '/x', changeType: 'Create' }] }
          : { properties: { provisioningState: 'Succeeded', outputs: {} } };
      return {
        request,
        status: scripted?.status ?? 200,
        headers: createHttpHeaders({ 'content-type': 'application/json' }),
        bodyAsText: JSON.stringify(scripted?.body ?? success),
      };
    },
  };
  return { httpClient, requests };
}

const PFX = new Uint8Array([0x30, 0x82, 0x01, 0x0a, 0xff]);
const PEM =
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const CRT = '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n';
const tlsFiles: Record<string, Uint8Array> = Object.fromEntries(
  planDeployment(fleet)
    .filter((s) => s.kind === 'key-vault')
    .flatMap((s) => [
      [`${s.cluster}/gateway-external-pfx-cert.pfx`, PFX],
      [`${s.cluster}/traefik-ingress-internal-aks-ingress-tls.pem`, new TextEncoder().encode(PEM)],
      [`${s.cluster}/appgw-ingress-internal-aks-ingress-tls.crt`, new TextEncoder().encode(CRT)],
    ]),
);

function options(httpClient: HttpClient, extra: Partial<AzureOptions> = {}): AzureOptions {
  return {
    credential,
    subscriptionId: SUBSCRIPTION,
    httpClient,
    tlsFiles,
    pollIntervalMs: 0,
    importRetryDelayMs: 0,
    certificateImporterPrincipalId: IMPORTER,
    ...extra,
  };
}

const IMPORTER = '99999999-8888-7777-6666-555555555555';
const armRequests = (requests: readonly Recorded[]) => requests.filter((r) => !isKeyVault(r.url));

function deploymentUrl(step: ReturnType<typeof planDeployment>[number], action = ''): string {
  const scope = step.scope === 'subscription' ? '' : `/resourcegroups/${step.resourceGroup}`;
  return `https://management.azure.com/subscriptions/${SUBSCRIPTION}${scope}/providers/Microsoft.Resources/deployments/${step.deploymentName}${action}?api-version=2025-03-01`;
}

describe('deploy', () => {
  it('validates then deploys every step in plan order, sending the committed template and parameter values', async () => {
    const { httpClient, requests: all } = fakeArm();
    const results = await deploy(fleet, options(httpClient));
    const plan = planDeployment(fleet);
    const requests = armRequests(all);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toStrictEqual(
      plan.flatMap((step) => [`POST ${deploymentUrl(step, '/validate')}`, `PUT ${deploymentUrl(step)}`]),
    );
    expect(results.map((r) => [r.step.id, r.provisioningState])).toStrictEqual(plan.map((s) => [s.id, 'Succeeded']));
    expect(new Set(requests.map((r) => r.authorization))).toStrictEqual(new Set(['Bearer fake-token']));

    const files = new Map(infrastructureFiles(fleet).map((f) => [f.path, JSON.parse(f.content)]));
    plan.forEach((step, index) => {
      const put = requests[2 * index + 1]!;
      expect(put.body.properties.mode).toBe('Incremental');
      expect(put.body.properties.template).toStrictEqual(files.get(step.templatePath));
      expect(put.body.properties.parameters.tags).toStrictEqual({
        value: files.get(step.parametersPath).parameters.tags.value,
      });
      expect(put.body.location).toBe(step.scope === 'subscription' ? step.location : undefined);
    });
    const keyVault = requests[2 * plan.findIndex((s) => s.kind === 'key-vault') + 1]!;
    expect(keyVault.body.properties.parameters.ingressRootCertificate).toStrictEqual({
      value: Buffer.from(CRT).toString('base64'),
    });
    expect(keyVault.body.properties.parameters.certificateImporterPrincipalId).toStrictEqual({ value: IMPORTER });
  });

  it("imports each vault's certificates right after its key-vault step and before any stamp", async () => {
    const { httpClient, requests } = fakeArm();
    await deploy(fleet, options(httpClient));
    const sequence = requests.filter((r) => r.method === 'PUT' || (isKeyVault(r.url) && r.authorization));
    const names = sequence.map((r) =>
      isKeyVault(r.url)
        ? `import ${new URL(r.url).hostname.split('.')[0]}/${r.url.split('/')[4]}`
        : r.url.replace(/.*\/deployments\/|\?.*/g, ''),
    );
    const plan = planDeployment(fleet);
    const vaults = plan.filter((s) => s.kind === 'key-vault').map((s) => s.importCertificates![0]!.keyVault);
    const firstStamp = names.findIndex((n) => n.startsWith('aks-fleet-stamp-'));
    expect(names.slice(firstStamp - 6, firstStamp)).toStrictEqual([
      'aks-fleet-key-vault-bu0001a0042-03',
      `import ${vaults[0]}/gateway-external-pfx-cert`,
      `import ${vaults[0]}/traefik-ingress-internal-aks-ingress-tls`,
      'aks-fleet-key-vault-bu0001a0042-04',
      `import ${vaults[1]}/gateway-external-pfx-cert`,
      `import ${vaults[1]}/traefik-ingress-internal-aks-ingress-tls`,
    ]);
    const imports = sequence.filter((r) => isKeyVault(r.url)) as unknown as Array<{
      url: string;
      authorization: string;
      body: { value: string; policy: { secret_props: { contentType: string } } };
    }>;
    expect(imports.map((r) => [new URL(r.url).pathname.split('/').at(-1), r.authorization])).toStrictEqual(
      imports.map(() => ['import', 'Bearer fake-token']),
    );
    expect(imports[0]!.body.value).toBe(Buffer.from(PFX).toString('base64'));
    expect(imports[0]!.body.policy.secret_props.contentType).toBe('application/x-pkcs12');
    expect(imports[1]!.body.value).toBe(PEM);
    expect(imports[1]!.body.policy.secret_props.contentType).toBe('application/x-pem-file');
  });

  it('opens the vault firewall to the given IP only while importing, then closes it', async () => {
    const { httpClient, requests } = fakeArm();
    await deploy(fleet, options(httpClient, { region: 'eastus2', keyVaultAccessIp: '203.0.113.7' }));
    const vault = planDeployment(fleet).find((s) => s.id === 'key-vault/bu0001a0042-03')!.importCertificates![0]!
      .keyVault;
    const around = requests.filter((r) => r.method === 'PATCH' || (isKeyVault(r.url) && r.authorization));
    expect(around.map((r) => `${r.method} ${new URL(r.url).pathname.split('/').slice(-2).join('/')}`)).toStrictEqual([
      `PATCH vaults/${vault}`,
      'POST gateway-external-pfx-cert/import',
      'POST traefik-ingress-internal-aks-ingress-tls/import',
      `PATCH vaults/${vault}`,
    ]);
    const [open, , , close] = around as unknown as Array<{
      body: { properties: { publicNetworkAccess: string; networkAcls: { ipRules: unknown[]; defaultAction: string } } };
    }>;
    expect(open!.body.properties).toMatchObject({
      publicNetworkAccess: 'Enabled',
      networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.7' }] },
    });
    expect(close!.body.properties).toMatchObject({
      publicNetworkAccess: 'Disabled',
      networkAcls: { defaultAction: 'Deny', ipRules: [] },
    });
  });

  it('retries an import refused while the importer role propagates (403), and closes the firewall when it fails', async () => {
    let refusals = 0;
    const { httpClient } = fakeArm((request) =>
      isKeyVault(request.url) && refusals++ < 2
        ? { status: 403, body: { error: { code: 'Forbidden', message: 'Caller is not authorized' } } }
        : undefined,
    );
    await deploy(fleet, options(httpClient, { region: 'eastus2' }));
    expect(refusals).toBeGreaterThan(2);

    const { httpClient: refusing, requests } = fakeArm((request) =>
      isKeyVault(request.url)
        ? { status: 403, body: { error: { code: 'Forbidden', message: 'Caller is not authorized' } } }
        : undefined,
    );
    const error = await deploy(fleet, options(refusing, { region: 'eastus2', keyVaultAccessIp: '203.0.113.7' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeploymentStepError);
    expect((error as Error).message).toMatch(
      /^import-certificates of step key-vault\/bu0001a0042-03 .* failed: .*not authorized/,
    );
    const patches = requests.filter((r) => r.method === 'PATCH') as unknown as Array<{
      body: { properties: { publicNetworkAccess: string } };
    }>;
    expect(patches.map((p) => p.body.properties.publicNetworkAccess)).toStrictEqual(['Enabled', 'Disabled']);
    expect(requests.some((r) => r.url.includes('aks-fleet-stamp-'))).toBe(false);
  });

  it('stops at the first failure with the ARM error text and the step', async () => {
    const plan = planDeployment(fleet);
    const failing = plan.findIndex((s) => s.id === 'hub/eastus2');
    const { httpClient, requests } = fakeArm((request) =>
      request.method === 'PUT' && request.url.includes('/deployments/aks-fleet-hub-eastus2?')
        ? {
            status: 400,
            body: {
              error: {
                code: 'InvalidTemplateDeployment',
                message: 'The template deployment is not valid.',
                details: [{ code: 'SubnetIsFull', message: 'Subnet AzureFirewallSubnet is full.' }],
              },
            },
          }
        : undefined,
    );
    const error = await deploy(fleet, options(httpClient)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentStepError);
    expect((error as DeploymentStepError).step.id).toBe('hub/eastus2');
    expect((error as Error).message).toMatch(
      /^deploy of step hub\/eastus2 \(deployment aks-fleet-hub-eastus2 in rg-enterprise-networking-hubs-eastus2\) failed: InvalidTemplateDeployment: The template deployment is not valid\..*SubnetIsFull/,
    );
    expect(requests).toHaveLength(2 * failing + 2);
  });

  it('fails before any request when a deploy-time input is missing, listing every one', async () => {
    const { httpClient, requests } = fakeArm();
    const missingPem = Object.fromEntries(
      Object.entries(tlsFiles).filter(([path]) => !path.endsWith('.pem') && !path.startsWith('bu0001a0042-04/appgw')),
    );
    await expect(deploy(fleet, options(httpClient, { tlsFiles: missingPem }))).rejects.toThrow(
      /^missing deploy-time inputs: key-vault\/bu0001a0042-04: ingressRootCertificate \(TLS file bu0001a0042-04\/appgw-ingress-internal-aks-ingress-tls\.crt\), TLS file bu0001a0042-03\/traefik-ingress-internal-aks-ingress-tls\.pem, TLS file bu0001a0042-04\/traefik-ingress-internal-aks-ingress-tls\.pem; .* — fix: put the TLS files under the --tls-dir/,
    );
    const privateFleet = parseFleet({
      ...structuredClone(fleet),
      spec: { ...structuredClone(fleet.spec), gitSource: { ...fleet.spec.gitSource, auth: { kind: 'https-token' } } },
    });
    await expect(deploy(privateFleet, options(httpClient))).rejects.toThrow(
      /stamp\/bu0001a0042-03: gitHttpsToken \(the Git credential\).* FLEET_GIT_TOKEN/,
    );
    expect(requests).toStrictEqual([]);
  });

  it('passes the Git credential only in the stamp deployment body, as its secure parameter', async () => {
    const { httpClient, requests } = fakeArm();
    const privateFleet = parseFleet({
      ...structuredClone(fleet),
      spec: { ...structuredClone(fleet.spec), gitSource: { ...fleet.spec.gitSource, auth: { kind: 'https-token' } } },
    });
    await deploy(privateFleet, options(httpClient, { region: 'eastus2', gitCredential: 'ghp_token' }));
    const carrying = requests.filter((r) => JSON.stringify(r.body ?? {}).includes('ghp_token'));
    expect(carrying.map((r) => `${r.method} ${r.url.replace(/.*\/deployments\/|\?.*/g, '')}`)).toStrictEqual([
      'POST aks-fleet-stamp-bu0001a0042-03/validate',
      'PUT aks-fleet-stamp-bu0001a0042-03',
    ]);
    expect(carrying[1]!.body.properties.parameters.gitHttpsToken).toStrictEqual({ value: 'ghp_token' });
  });

  it('deploys one region plus the fleet-wide steps', async () => {
    const { httpClient, requests } = fakeArm();
    await deploy(fleet, options(httpClient, { region: 'centralus' }));
    expect(
      requests.filter((r) => r.method === 'PUT').map((r) => r.url.replace(/.*\/deployments\/|\?.*/g, '')),
    ).toStrictEqual([
      'aks-fleet-resource-groups',
      'aks-fleet-shared',
      'aks-fleet-hub-centralus',
      'aks-fleet-spoke-bu0001a0042-04',
      'aks-fleet-hub-egress-centralus',
      'aks-fleet-key-vault-bu0001a0042-04',
      'aks-fleet-stamp-bu0001a0042-04',
      'aks-fleet-frontdoor',
    ]);
  });
});

describe('whatIf', () => {
  it('posts a what-if per step in order and returns the predicted changes', async () => {
    const { httpClient, requests } = fakeArm();
    const results = await whatIf(fleet, options(httpClient));
    expect(requests.map((r) => `${r.method} ${r.url}`)).toStrictEqual(
      planDeployment(fleet).map((step) => `POST ${deploymentUrl(step, '/whatIf')}`),
    );
    expect(results[0]!.changes).toStrictEqual([{ resourceId: '/x', changeType: 'Create' }]);
    expect(requests[0]!.body.location).toBe('eastus2');
  });
});

describe('canAuthenticate', () => {
  it('is false when the credential cannot get a token, true otherwise', async () => {
    expect(await canAuthenticate(credential)).toBe(true);
    expect(
      await canAuthenticate({ getToken: async () => Promise.reject(new Error('CredentialUnavailableError')) }),
    ).toBe(false);
  });
});
