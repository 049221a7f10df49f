import { describe, expect, it } from 'vitest';
import { differences, normalizeLive } from './live-state.ts';
import type { KubeObject } from './kube-client.ts';

// Regression: CI failed "5 drift" when a Deployment's status moved (pods of a reverted replica count going away)
// between the harness's GET and its server-side apply dry-run; status is the controllers' field, not drift.
describe('normalizeLive', () => {
  const deployment = (replicas: number, readyReplicas: number): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'aspnetapp', namespace: 'a0042', resourceVersion: String(readyReplicas), managedFields: [] },
    spec: { replicas },
    status: { replicas: readyReplicas, readyReplicas },
  });

  it('ignores status and bookkeeping written between two reads', () => {
    expect(differences(normalizeLive(deployment(2, 7)), normalizeLive(deployment(2, 2)))).toEqual([]);
  });

  it('still reports a spec the apply would change', () => {
    expect(differences(normalizeLive(deployment(7, 7)), normalizeLive(deployment(2, 7)))).toEqual([
      'spec.replicas: 7 → 2',
    ]);
  });
});
