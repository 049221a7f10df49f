import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { canAuthenticate, deploy, DeploymentStepError, whatIf, type AzureOptions } from './deploy.ts';
import { planDeployment } from '../deployment-plan.ts';
import { infrastructureFiles } from '../infrastructure-files.ts';
import { defaultFleet } from '../test-fleets.ts';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const fleet = defaultFleet();

const credential: TokenCredential = { getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly body: { location?: string; properties: { mode: string; template: Record<string, unknown>; parameters: Record<string, { value: unknown }> } };
  readonly authorization: string | undefined;
}

/** An ARM stand-in: records every request and answers from `respond` (default: success). */
function fakeArm(respond?: (request: PipelineRequest, index: number) => { status: number; body: unknown } | undefined): { httpClient: HttpClient; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const httpClient: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      requests.push({ method: request.method, url: request.url, body: JSON.parse(String(request.body)), authorization: request.headers.get('authorization') });
      const scripted = respond?.(request, requests.length - 1);
      const body = scripted?.body ?? (/\/whatIf\?/.test(request.url) ? { status: 'Succeeded', changes: [{ resourceId: '/x', changeType: 'Create' }] } : { properties: { provisioningState: 'Succeeded', outputs: {} } });
      return { request, status: scripted?.status ?? 200, headers: createHttpHeaders({ 'content-type': 'application/json' }), bodyAsText: JSON.stringify(body) };
    },
  };
  return { httpClient, requests };
}

const certificates = { appGatewayListenerCertificate: 'UEZY', ingressRootCertificate: 'Q1JU', ingressTlsCertificate: 'UEVN' };
const secureParameters = Object.fromEntries(planDeployment(fleet).filter((s) => s.kind === 'stamp').map((s) => [s.id, certificates]));

function options(httpClient: HttpClient, extra: Partial<AzureOptions> = {}): AzureOptions {
  return { credential, subscriptionId: SUBSCRIPTION, httpClient, secureParameters, pollIntervalMs: 0, ...extra };
}

function deploymentUrl(step: ReturnType<typeof planDeployment>[number], action = ''): string {
  const scope = step.scope === 'subscription' ? '' : `/resourcegroups/${step.resourceGroup}`;
  return `https://management.azure.com/subscriptions/${SUBSCRIPTION}${scope}/providers/Microsoft.Resources/deployments/${step.deploymentName}${action}?api-version=2025-03-01`;
}

describe('deploy', () => {
  it('validates then deploys every step in plan order, sending the committed template and parameter values', async () => {
    const { httpClient, requests } = fakeArm();
    const results = await deploy(fleet, options(httpClient));
    const plan = planDeployment(fleet);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toStrictEqual(plan.flatMap((step) => [`POST ${deploymentUrl(step, '/validate')}`, `PUT ${deploymentUrl(step)}`]));
    expect(results.map((r) => [r.step.id, r.provisioningState])).toStrictEqual(plan.map((s) => [s.id, 'Succeeded']));
    expect(new Set(requests.map((r) => r.authorization))).toStrictEqual(new Set(['Bearer fake-token']));

    const files = new Map(infrastructureFiles(fleet).map((f) => [f.path, JSON.parse(f.content)]));
    plan.forEach((step, index) => {
      const put = requests[2 * index + 1]!;
      expect(put.body.properties.mode).toBe('Incremental');
      expect(put.body.properties.template).toStrictEqual(files.get(step.templatePath));
      expect(put.body.properties.parameters.tags).toStrictEqual({ value: files.get(step.parametersPath).parameters.tags.value });
      expect(put.body.location).toBe(step.scope === 'subscription' ? step.location : undefined);
    });
    const stamp = requests[2 * plan.findIndex((s) => s.kind === 'stamp') + 1]!;
    expect(stamp.body.properties.parameters.appGatewayListenerCertificate).toStrictEqual({ value: 'UEZY' });
  });

  it('stops at the first failure with the ARM error text and the step', async () => {
    const plan = planDeployment(fleet);
    const failing = plan.findIndex((s) => s.id === 'hub/eastus2');
    const { httpClient, requests } = fakeArm((_request, index) =>
      index === 2 * failing + 1
        ? { status: 400, body: { error: { code: 'InvalidTemplateDeployment', message: 'The template deployment is not valid.', details: [{ code: 'SubnetIsFull', message: 'Subnet AzureFirewallSubnet is full.' }] } } }
        : undefined,
    );
    const error = await deploy(fleet, options(httpClient)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentStepError);
    expect((error as DeploymentStepError).step.id).toBe('hub/eastus2');
    expect((error as Error).message).toMatch(/^deploy of step hub\/eastus2 \(deployment aks-fleet-hub-eastus2 in rg-enterprise-networking-hubs-eastus2\) failed: InvalidTemplateDeployment: The template deployment is not valid\..*SubnetIsFull/);
    expect(requests).toHaveLength(2 * failing + 2);
  });

  it('fails before any request when a secure parameter is missing', async () => {
    const { httpClient, requests } = fakeArm();
    await expect(deploy(fleet, options(httpClient, { secureParameters: {} }))).rejects.toThrow(/missing secure parameters stamp\/bu0001a0042-03: appGatewayListenerCertificate, .* — fix: pass secureParameters/);
    expect(requests).toStrictEqual([]);
  });

  it('deploys one region plus the fleet-wide steps', async () => {
    const { httpClient, requests } = fakeArm();
    await deploy(fleet, options(httpClient, { region: 'centralus' }));
    expect(requests.filter((r) => r.method === 'PUT').map((r) => r.url.replace(/.*\/deployments\/|\?.*/g, ''))).toStrictEqual([
      'aks-fleet-resource-groups',
      'aks-fleet-shared',
      'aks-fleet-hub-centralus',
      'aks-fleet-spoke-bu0001a0042-04',
      'aks-fleet-hub-egress-centralus',
      'aks-fleet-stamp-bu0001a0042-04',
      'aks-fleet-frontdoor',
    ]);
  });
});

describe('whatIf', () => {
  it('posts a what-if per step in order and returns the predicted changes', async () => {
    const { httpClient, requests } = fakeArm();
    const results = await whatIf(fleet, options(httpClient));
    expect(requests.map((r) => `${r.method} ${r.url}`)).toStrictEqual(planDeployment(fleet).map((step) => `POST ${deploymentUrl(step, '/whatIf')}`));
    expect(results[0]!.changes).toStrictEqual([{ resourceId: '/x', changeType: 'Create' }]);
    expect(requests[0]!.body.location).toBe('eastus2');
  });
});

describe('canAuthenticate', () => {
  it('is false when the credential cannot get a token, true otherwise', async () => {
    expect(await canAuthenticate(credential)).toBe(true);
    expect(await canAuthenticate({ getToken: async () => Promise.reject(new Error('CredentialUnavailableError')) })).toBe(false);
  });
});
