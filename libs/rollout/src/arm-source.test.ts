import type { TokenCredential } from '@azure/core-auth';
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { clusterAzureNames, loadFleet } from '@aks-fleet/fleet';
import { describe, expect, it } from 'vitest';
import { readClusterFromArm } from './arm-source.ts';
import { failingLayers, readyAt } from './cluster-status.ts';
import { clusterIdentities } from './fleet-status.ts';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const { spec } = loadFleet().fleet;
const identity = clusterIdentities(spec).find((i) => i.cluster === 'bu0001a0042-04')!;
const names = clusterAzureNames(spec, identity.cluster);
const credential: TokenCredential = {
  getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** What ARM returns for a fluxConfigurations GET (the shape of the 2023-05-01 API), with one failing Kustomization. */
const configuration = {
  id: 'x',
  name: 'aks-fleet',
  type: 'Microsoft.KubernetesConfiguration/fluxConfigurations',
  properties: {
    scope: 'cluster',
    namespace: 'flux-system',
    sourceKind: 'GitRepository',
    gitRepository: { url: 'https://github.com/contoso/aks-fleet', repositoryRef: { branch: 'fleet/wave-centralus' } },
    complianceState: 'Non-Compliant',
    sourceSyncedCommitId: `fleet/wave-centralus@sha1:${COMMIT}`,
    sourceUpdatedAt: '2026-11-29T05:00:00Z',
    statusUpdatedAt: '2026-11-29T05:01:00Z',
    statuses: [
      {
        name: 'aks-fleet',
        namespace: 'flux-system',
        kind: 'GitRepository',
        complianceState: 'Compliant',
        statusConditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Succeeded',
            message: 'stored artifact',
            lastTransitionTime: '2026-11-29T05:00:00Z',
          },
        ],
      },
      {
        name: 'aks-fleet-entrypoint',
        namespace: 'flux-system',
        kind: 'Kustomization',
        complianceState: 'Compliant',
        statusConditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ReconciliationSucceeded',
            message: `Applied revision: fleet/wave-centralus@sha1:${COMMIT}`,
            lastTransitionTime: '2026-11-29T05:00:10Z',
          },
        ],
      },
      {
        name: 'fleet-baseline',
        namespace: 'flux-system',
        kind: 'Kustomization',
        complianceState: 'Non-Compliant',
        statusConditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'HealthCheckFailed',
            message: 'timeout waiting for: [Deployment/a0042/aspnetapp status: InProgress]',
            lastTransitionTime: '2026-11-29T05:02:00Z',
          },
        ],
      },
    ],
  },
};

function fakeArm(respond: (request: PipelineRequest) => { status: number; body: unknown }): {
  httpClient: HttpClient;
  requests: PipelineRequest[];
} {
  const requests: PipelineRequest[] = [];
  const httpClient: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      requests.push(request);
      const { status, body } = respond(request);
      return {
        request,
        status,
        headers: createHttpHeaders({ 'content-type': 'application/json' }),
        bodyAsText: JSON.stringify(body),
      };
    },
  };
  return { httpClient, requests };
}

describe('ARM fluxConfigurations status source', () => {
  it("GETs the cluster's fluxConfigurations resource and maps compliance, the synced commit and per-object conditions", async () => {
    const { httpClient, requests } = fakeArm(() => ({ status: 200, body: configuration }));
    const status = await readClusterFromArm(
      spec,
      identity,
      { credential, subscriptionId: SUBSCRIPTION, httpClient },
      5_000,
    );
    expect(requests.map((r) => `${r.method} ${r.url}`)).toStrictEqual([
      `GET https://management.azure.com/subscriptions/${SUBSCRIPTION}/resourceGroups/${names.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${names.aksCluster}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/aks-fleet?api-version=2023-05-01`,
    ]);
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer fake-token');
    expect(status).toMatchObject({
      cluster: 'bu0001a0042-04',
      wave: 'centralus',
      branch: 'fleet/wave-centralus',
      via: 'arm',
      reachable: true,
    });
    expect(status.source).toStrictEqual({
      branch: 'fleet/wave-centralus',
      revision: `fleet/wave-centralus@sha1:${COMMIT}`,
      ready: 'False',
      message: 'compliance state Non-Compliant',
      updatedAt: '2026-11-29T05:00:00.000Z',
    });
    expect(status.kustomizations.map((k) => [k.name, k.ready, k.reason, k.lastAppliedRevision])).toStrictEqual([
      ['aks-fleet-entrypoint', 'True', 'ReconciliationSucceeded', `fleet/wave-centralus@sha1:${COMMIT}`],
      ['fleet-baseline', 'False', 'HealthCheckFailed', undefined],
    ]);
    expect(failingLayers(status).map((k) => k.message)).toStrictEqual([
      'timeout waiting for: [Deployment/a0042/aspnetapp status: InProgress]',
    ]);
    expect(readyAt(status, COMMIT)).toBe(false);
  });

  it('a compliant configuration is Ready at its synced commit', async () => {
    const compliant = structuredClone(configuration);
    compliant.properties.complianceState = 'Compliant';
    compliant.properties.statuses[2]!.statusConditions[0] = {
      type: 'Ready',
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: fleet/wave-centralus@sha1:${COMMIT}`,
      lastTransitionTime: '2026-11-29T05:03:00Z',
    };
    const { httpClient } = fakeArm(() => ({ status: 200, body: compliant }));
    const status = await readClusterFromArm(
      spec,
      identity,
      { credential, subscriptionId: SUBSCRIPTION, httpClient },
      5_000,
    );
    expect(readyAt(status, COMMIT)).toBe(true);
  });

  it("an ARM error reports the cluster unreachable with ARM's code and message, not a crash", async () => {
    const { httpClient } = fakeArm(() => ({
      status: 404,
      body: { error: { code: 'ResourceNotFound', message: 'The Resource aks-fleet was not found.' } },
    }));
    const status = await readClusterFromArm(
      spec,
      identity,
      { credential, subscriptionId: SUBSCRIPTION, httpClient },
      5_000,
    );
    expect(status.reachable).toBe(false);
    expect(status.error).toBe('ResourceNotFound: The Resource aks-fleet was not found.');
  });

  it('a request that never answers is cut at the timeout', async () => {
    const httpClient: HttpClient = {
      sendRequest: (request) =>
        new Promise((_resolve, reject) => {
          request.abortSignal?.addEventListener('abort', () =>
            reject(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' })),
          );
        }),
    };
    const status = await readClusterFromArm(
      spec,
      identity,
      { credential, subscriptionId: SUBSCRIPTION, httpClient },
      300,
    );
    expect(status.reachable).toBe(false);
    expect(status.error).toBe('no answer within 0.3 s (timeout)');
  });
});
