import fc from 'fast-check';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
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

  it('reports a namespace that is not a string (null crashed the validator, a number passed)', () => {
    const withNamespace = (value: unknown) =>
      validateObject({ ...deployment(validSpec), metadata: { name: 'web', namespace: value as string } });
    expect(withNamespace(null)).toContain('metadata.namespace null is not a DNS-1123 label');
    expect(withNamespace(5)).toContain('metadata.namespace 5 is not a DNS-1123 label');
    expect(withNamespace('Team_A')).toContain('metadata.namespace "Team_A" is not a DNS-1123 label');
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

  it('finds what validating a constructed model finds (generated mutations of valid objects)', () => {
    /** The models' own way: construct (a copy without undefined members), then validate. */
    const viaModel = (object: KubernetesObject): string[] => {
      const Model = object.kind === 'Deployment' ? Deployment : Kustomization;
      try {
        new Model(object as never).validate();
        return [];
      } catch (error) {
        return [`schema: ${(error as Error).message}`];
      }
    };
    const kustomization: KubernetesObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'k', namespace: 'flux-system' },
      spec: { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'aks-fleet' }, path: './x' },
    };
    const json = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    );
    /** Every path to a member of `value`. */
    const paths = (value: unknown, prefix: string[] = []): string[][] =>
      value && typeof value === 'object'
        ? Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])])
        : [];
    const mutated = fc
      .tuple(fc.constantFrom(deployment(validSpec), kustomization), fc.nat(), json)
      .map(([object, pick, value]) => {
        const copy = structuredClone(object) as Record<string, unknown>;
        const all = paths(copy).filter((path) => path[0] !== 'apiVersion' && path[0] !== 'kind');
        const path = all[pick % all.length]!;
        let target = copy;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
        target[path.at(-1)!] = value;
        return copy as unknown as KubernetesObject;
      });
    fc.assert(
      fc.property(mutated, (object) => {
        const schemaProblems = validateObject(object).filter((problem) => problem.startsWith('schema: '));
        expect(schemaProblems).toStrictEqual(viaModel(object));
      }),
      { numRuns: 300 },
    );
  });
});
