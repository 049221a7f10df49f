import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from './kubernetes-object.ts';
import { validateObject } from './validate-objects.ts';

const namespace: KubernetesObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a0042' } };
const deployment = (spec: Record<string, unknown>): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'a0042' },
  spec,
});
const validSpec = {
  selector: { matchLabels: { app: 'web' } },
  template: {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'mcr.microsoft.com/x:1' }] },
  },
};

describe('validateObject', () => {
  it('accepts valid objects', () => {
    expect(validateObject(namespace)).toStrictEqual([]);
    expect(validateObject(deployment(validSpec))).toStrictEqual([]);
  });

  it('fails on a wrong type through the kubernetes-models schema', () => {
    expect(validateObject(deployment({ ...validSpec, replicas: 'three' })).join()).toMatch(
      /schema: .*replicas must be integer/,
    );
  });

  it('fails on a missing required field', () => {
    expect(validateObject(deployment({ template: validSpec.template })).join()).toMatch(/required property selector/);
  });

  it('fails on names that are not DNS-1123, which the models do not check', () => {
    expect(validateObject({ ...namespace, metadata: { name: 'Web_App' } })).toStrictEqual([
      'metadata.name "Web_App" is not a valid name (DNS-1123: lowercase letters, digits, "-" and ".")',
    ]);
  });

  it('fails on the namespaced / cluster-scoped contract', () => {
    expect(validateObject({ ...namespace, metadata: { name: 'a', namespace: 'b' } })).toStrictEqual([
      'Namespace is cluster-scoped but has metadata.namespace "b"',
    ]);
    expect(validateObject({ ...deployment(validSpec), metadata: { name: 'web' } })).toStrictEqual([
      'Deployment is namespaced but has no metadata.namespace',
    ]);
  });

  it('fails on a kind without a registered schema instead of skipping it', () => {
    expect(
      validateObject({
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name: 'r', namespace: 'a' },
      }),
    ).toStrictEqual([
      'no schema registered for traefik.io/v1alpha1/IngressRoute; register its model in libs/synth/src/validate-objects.ts',
    ]);
  });

  it('validates Flux Kustomizations (interval pattern, sourceRef kind enum)', () => {
    const kustomization = (spec: Record<string, unknown>): KubernetesObject => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'k', namespace: 'flux-system' },
      spec,
    });
    const spec = { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'aks-fleet' } };
    expect(validateObject(kustomization(spec))).toStrictEqual([]);
    expect(validateObject(kustomization({ ...spec, interval: '10 minutes' })).join()).toMatch(
      /interval must match pattern/,
    );
    expect(validateObject(kustomization({ ...spec, sourceRef: { kind: 'Foo', name: 'x' } })).join()).toMatch(
      /must be equal to one of the allowed values/,
    );
  });

  it('uses a registered custom validator for kinds outside kubernetes-models', () => {
    const object: KubernetesObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'a' },
    };
    expect(validateObject(object, new Map([['example.com/v1/Widget', () => ['size must be >= 1']]]))).toStrictEqual([
      'size must be >= 1',
    ]);
  });
});
