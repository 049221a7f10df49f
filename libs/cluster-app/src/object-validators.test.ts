import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubernetesObject } from '@aks-fleet/synth';
import { afterEach, describe, expect, it } from 'vitest';
import { openApiToJsonSchema } from './crd-json-schema.ts';
import { CLUSTER_CUSTOM_RESOURCES, clusterObjectValidators } from './object-validators.ts';

const SPC_KEY = 'secrets-store.csi.x-k8s.io/v1/SecretProviderClass';

function spc(spec: Record<string, unknown>, apiVersion = 'secrets-store.csi.x-k8s.io/v1'): KubernetesObject {
  return { apiVersion, kind: 'SecretProviderClass', metadata: { name: 'tls', namespace: 'traefik-ingress' }, spec };
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openApiToJsonSchema', () => {
  it('closes objects that list properties, unless they preserve unknown fields or set additionalProperties', () => {
    expect(openApiToJsonSchema({ type: 'object', properties: { a: { type: 'string' } } })).toStrictEqual({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false });
    expect(openApiToJsonSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } })).toStrictEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(openApiToJsonSchema({ type: 'object', additionalProperties: { type: 'string' } })).toStrictEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(openApiToJsonSchema({ type: 'object' })).toStrictEqual({ type: 'object' });
  });

  it('maps the Kubernetes and OpenAPI 3.0 keywords to JSON Schema and drops the ones it cannot check', () => {
    expect(openApiToJsonSchema({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] })).toStrictEqual({ anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(openApiToJsonSchema({ type: 'string', nullable: true })).toStrictEqual({ type: ['string', 'null'] });
    expect(openApiToJsonSchema({ type: 'integer', minimum: 0, exclusiveMinimum: true })).toStrictEqual({ type: 'integer', exclusiveMinimum: 0 });
    expect(openApiToJsonSchema({ type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } })).toStrictEqual({ type: 'array', uniqueItems: true, items: { type: 'string' } });
    expect(openApiToJsonSchema({ type: 'string', 'x-kubernetes-validations': [{ rule: 'self != ""' }], example: 'x' })).toStrictEqual({ type: 'string' });
  });
});

describe('clusterObjectValidators (SecretProviderClass against its CRD from FLEET_SCHEMA_LOCATION)', () => {
  const validators = clusterObjectValidators();
  const validate = validators.get(SPC_KEY)!;

  it('registers a validator for every custom kind the cluster app emits, and only the served v1 of the SecretProviderClass', () => {
    expect([...validators.keys()]).toStrictEqual(CLUSTER_CUSTOM_RESOURCES.map((r) => r.key));
    expect([...validators.keys()]).toStrictEqual([SPC_KEY]);
  });

  it('accepts a valid SecretProviderClass', () => {
    expect(validate(spc({ provider: 'azure', parameters: { keyvaultName: 'kv-a', objects: 'array: []' } }))).toStrictEqual([]);
  });

  it('rejects an unknown field (the API server would drop it), a wrong type and a non-string parameter', () => {
    expect(validate(spc({ provider: 'azure', secretObject: [] }))).toStrictEqual([
      'schema (CRD secretproviderclasses.secrets-store.csi.x-k8s.io v1): spec: unknown field "secretObject" (the API server would drop it)',
    ]);
    expect(validate(spc({ provider: 42 }))).toStrictEqual(['schema (CRD secretproviderclasses.secrets-store.csi.x-k8s.io v1): spec.provider: must be string']);
    expect(validate(spc({ provider: 'azure', parameters: { usePodIdentity: false } }))).toStrictEqual([
      'schema (CRD secretproviderclasses.secrets-store.csi.x-k8s.io v1): spec.parameters.usePodIdentity: must be string',
    ]);
  });

  it('says how to fix a schema location without the CRD, for every object of the kind', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'schemas-'));
    scratch.push(empty);
    const [problem] = clusterObjectValidators({ schemaLocation: empty }).get(SPC_KEY)!(spc({ provider: 'azure' }));
    expect(problem).toContain(`cannot validate ${SPC_KEY}: its CRD schema crds/secrets-store-csi-driver/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml is not in the schema location ${empty}`);
    expect(problem).toContain('fix: run scripts/fetch-schemas.sh');
  });

  it('fails when the file at the location serves no such version and kind', () => {
    const location = mkdtempSync(path.join(tmpdir(), 'schemas-'));
    scratch.push(location);
    const file = path.join(location, CLUSTER_CUSTOM_RESOURCES[0]!.file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: x }\nspec: { group: secrets-store.csi.x-k8s.io, names: { kind: SecretProviderClass }, versions: [] }\n');
    expect(clusterObjectValidators({ schemaLocation: location }).get(SPC_KEY)!(spc({}))[0]).toMatch(/serves no such version and kind/);
  });
});
