import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubernetesObject } from '@aks-fleet/synth';
import { afterEach, describe, expect, it } from 'vitest';
import { openApiToJsonSchema } from './crd-json-schema.ts';
import {
  CLUSTER_CUSTOM_RESOURCES,
  clusterObjectValidators,
  crdObjectValidators,
  gateObjectValidators,
} from './object-validators.ts';

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
    expect(openApiToJsonSchema({ type: 'object', properties: { a: { type: 'string' } } })).toStrictEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    });
    expect(
      openApiToJsonSchema({
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { a: { type: 'string' } },
      }),
    ).toStrictEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(openApiToJsonSchema({ type: 'object', additionalProperties: { type: 'string' } })).toStrictEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(openApiToJsonSchema({ type: 'object' })).toStrictEqual({ type: 'object' });
  });

  it('maps the Kubernetes and OpenAPI 3.0 keywords to JSON Schema and drops the ones it cannot check', () => {
    expect(
      openApiToJsonSchema({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }),
    ).toStrictEqual({ anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(openApiToJsonSchema({ type: 'string', nullable: true })).toStrictEqual({ type: ['string', 'null'] });
    expect(openApiToJsonSchema({ type: 'integer', minimum: 0, exclusiveMinimum: true })).toStrictEqual({
      type: 'integer',
      exclusiveMinimum: 0,
    });
    expect(
      openApiToJsonSchema({ type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } }),
    ).toStrictEqual({ type: 'array', uniqueItems: true, items: { type: 'string' } });
    expect(
      openApiToJsonSchema({ type: 'string', 'x-kubernetes-validations': [{ rule: 'self != ""' }], example: 'x' }),
    ).toStrictEqual({ type: 'string' });
  });
});

describe('crdObjectValidators (SecretProviderClass against its CRD from FLEET_SCHEMA_LOCATION)', () => {
  const validators = crdObjectValidators();
  const validate = validators.get(SPC_KEY)!;

  it('registers a validator for every custom kind the cluster app emits, and only the served v1 of the SecretProviderClass', () => {
    expect([...validators.keys()]).toStrictEqual(CLUSTER_CUSTOM_RESOURCES.map((r) => r.key));
    expect([...validators.keys()]).toStrictEqual([SPC_KEY]);
  });

  it('accepts a valid SecretProviderClass', () => {
    expect(
      validate(spc({ provider: 'azure', parameters: { keyvaultName: 'kv-a', objects: 'array: []' } })),
    ).toStrictEqual([]);
  });

  it('rejects an unknown field (the API server would drop it), a wrong type and a non-string parameter', () => {
    expect(validate(spc({ provider: 'azure', secretObject: [] }))).toStrictEqual([
      'schema (CRD secretproviderclasses.secrets-store.csi.x-k8s.io v1): spec: unknown field "secretObject" (the API server would drop it)',
    ]);
    expect(validate(spc({ provider: 42 }))).toStrictEqual([
      'schema (CRD secretproviderclasses.secrets-store.csi.x-k8s.io v1): spec.provider: must be string',
    ]);
    expect(validate(spc({ provider: 'azure', parameters: { usePodIdentity: false } }))).toStrictEqual([
      'schema (CRD secretproviderclasses.secrets-store.csi.x-k8s.io v1): spec.parameters.usePodIdentity: must be string',
    ]);
  });

  it('says how to fix a schema location without the CRD, for every object of the kind', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'schemas-'));
    scratch.push(empty);
    const [problem] = crdObjectValidators({ schemaLocation: empty }).get(SPC_KEY)!(spc({ provider: 'azure' }));
    expect(problem).toContain(
      `cannot validate ${SPC_KEY}: its CRD schema crds/secrets-store-csi-driver/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml is not in the schema location ${empty}`,
    );
    expect(problem).toContain('fix: run scripts/fetch-schemas.sh');
  });

  it('fails when the file at the location serves no such version and kind', () => {
    const location = mkdtempSync(path.join(tmpdir(), 'schemas-'));
    scratch.push(location);
    const file = path.join(location, CLUSTER_CUSTOM_RESOURCES[0]!.file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: x }\nspec: { group: secrets-store.csi.x-k8s.io, names: { kind: SecretProviderClass }, versions: [] }\n',
    );
    expect(crdObjectValidators({ schemaLocation: location }).get(SPC_KEY)!(spc({}))[0]).toMatch(
      /serves no such version and kind/,
    );
  });
});

/** Objects the CRD accepts and objects it refuses: the typed model must agree on every one. */
const AGREEMENT: ReadonlyArray<{ name: string; spec: Record<string, unknown>; valid: boolean }> = [
  {
    name: 'azure provider with parameters',
    spec: { provider: 'azure', parameters: { keyvaultName: 'kv-a', objects: 'array: []' } },
    valid: true,
  },
  { name: 'empty spec', spec: {}, valid: true },
  {
    name: 'secretObjects with data',
    spec: {
      provider: 'azure',
      secretObjects: [{ secretName: 's', type: 'Opaque', data: [{ key: 'k', objectName: 'o' }] }],
    },
    valid: true,
  },
  {
    name: 'secretObjects labels and annotations',
    spec: { secretObjects: [{ labels: { a: 'b' }, annotations: { c: 'd' } }] },
    valid: true,
  },
  { name: 'unknown spec field', spec: { provider: 'azure', secretObject: [] }, valid: false },
  { name: 'provider not a string', spec: { provider: 42 }, valid: false },
  { name: 'boolean parameter', spec: { parameters: { usePodIdentity: false } }, valid: false },
  { name: 'parameters not a map', spec: { parameters: 'x' }, valid: false },
  { name: 'secretObjects not a list', spec: { secretObjects: {} }, valid: false },
  {
    name: 'unknown field in a secret object',
    spec: { secretObjects: [{ secretName: 's', immutable: true }] },
    valid: false,
  },
  {
    name: 'unknown field in secret object data',
    spec: { secretObjects: [{ data: [{ key: 'k', path: 'p' }] }] },
    valid: false,
  },
  { name: 'numeric label value', spec: { secretObjects: [{ labels: { a: 1 } }] }, valid: false },
];

describe('clusterObjectValidators (the offline typed model synthesis runs)', () => {
  const model = clusterObjectValidators().get(SPC_KEY)!;
  const crd = crdObjectValidators().get(SPC_KEY)!;

  it('needs no schema location', () => {
    expect([...clusterObjectValidators().keys()]).toStrictEqual([SPC_KEY]);
    expect(model(spc({ provider: 'azure' }))).toStrictEqual([]);
  });

  it.each(AGREEMENT)('agrees with the real CRD on: $name', ({ spec, valid }) => {
    expect(model(spc(spec)).length === 0, 'the typed model').toBe(valid);
    expect(crd(spc(spec)).length === 0, 'the CRD').toBe(valid);
  });

  it('refuses an unknown top-level field and names the field path', () => {
    expect(model({ ...spc({}), extra: 1 })).toStrictEqual([
      'schema (SecretProviderClass v1): (object): unknown field "extra" (the API server would drop it)',
    ]);
    expect(model(spc({ provider: 42 }))[0]).toMatch(/^schema \(SecretProviderClass v1\): spec\.provider: /);
  });

  it('the gate runs the typed model, then the CRD', () => {
    const gate = gateObjectValidators().get(SPC_KEY)!;
    expect(gate(spc({ provider: 42 }))).toStrictEqual(model(spc({ provider: 42 })));
    expect(gate(spc({ provider: 'azure' }))).toStrictEqual([]);
  });
});
