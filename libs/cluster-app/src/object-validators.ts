/**
 * Validators for the custom resources the cluster app emits. kubernetes-models covers the built-in kinds; each custom
 * kind has two checks:
 * - `clusterObjectValidators()`: a typed model of our own (zod), offline — what synthesis runs, so `npm run synth`
 *   needs no network and no schema location;
 * - `crdObjectValidators()`: the kind's real CRD schema, read from the schema location (never copied into the
 *   repository) — what the gate (`fleet validate`) and the tests run on top of the typed model.
 *
 * Schema location: `$FLEET_SCHEMA_LOCATION` (a folder laid out like the reference schemas: `crds/<project>/<file>`),
 * else `<repository>/.cache/schemas`, which `scripts/fetch-schemas.sh` fills from the pinned upstream URLs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_LOCATION_ENV, schemaLocation } from '@aks-fleet/util';
import type { KubernetesObject, ObjectValidator } from '@aks-fleet/synth';
import { compileCrdSchema, crdVersionSchemas } from './crd-json-schema.ts';
import { validateSecretProviderClass } from './secret-provider-class-model.ts';

export interface ClusterCustomResource {
  /** `<group>/<version>/<kind>`, the key `synthesize({ validators })` uses. */
  readonly key: string;
  /** The CRD file, relative to the schema location. */
  readonly file: string;
  readonly providedBy: string;
  /** The offline typed model synthesis checks. */
  readonly model: ObjectValidator;
}

/** Each custom kind the cluster app emits, with its typed model and the CRD file that defines it. */
export const CLUSTER_CUSTOM_RESOURCES: readonly ClusterCustomResource[] = [
  {
    key: 'secrets-store.csi.x-k8s.io/v1/SecretProviderClass',
    file: 'crds/secrets-store-csi-driver/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml',
    providedBy: 'the AKS Key Vault Secrets Store CSI add-on (secrets-store-csi-driver v1.6.0)',
    model: validateSecretProviderClass,
  },
];

/** The typed-model validator of every custom kind: offline, for synthesis. */
export function clusterObjectValidators(): ReadonlyMap<string, ObjectValidator> {
  return new Map(CLUSTER_CUSTOM_RESOURCES.map((resource) => [resource.key, resource.model]));
}

/** Typed model first, then the real CRD: for the gate, which runs where a schema location exists. */
export function gateObjectValidators(
  options: ClusterObjectValidatorOptions = {},
): ReadonlyMap<string, ObjectValidator> {
  const crd = crdObjectValidators(options);
  return new Map(
    CLUSTER_CUSTOM_RESOURCES.map((resource) => [
      resource.key,
      (object: KubernetesObject) => {
        const problems = resource.model(object);
        return problems.length > 0 ? problems : crd.get(resource.key)!(object);
      },
    ]),
  );
}

export interface ClusterObjectValidatorOptions {
  /** Folder with the `crds/` tree. @default - `$FLEET_SCHEMA_LOCATION`, else `<repository>/.cache/schemas` (the infrastructure's schemaLocation()) */
  readonly schemaLocation?: string;
}

/**
 * One validator per custom kind of CLUSTER_CUSTOM_RESOURCES, keyed `apiVersion/kind`. Each loads its CRD on first use;
 * when the file is missing or unusable, every object of that kind gets a problem that says how to fix the location —
 * a missing schema never passes silently.
 */
export function crdObjectValidators(options: ClusterObjectValidatorOptions = {}): ReadonlyMap<string, ObjectValidator> {
  const location = options.schemaLocation ?? schemaLocation();
  const validators = new Map<string, ObjectValidator>();
  for (const resource of CLUSTER_CUSTOM_RESOURCES) {
    let check: ((object: unknown) => string[]) | undefined;
    let failure: string | undefined;
    validators.set(resource.key, (object: KubernetesObject) => {
      if (!check && failure === undefined) {
        try {
          check = loadValidator(location, resource);
        } catch (error) {
          failure = (error as Error).message;
        }
      }
      return check ? check(object) : [failure!];
    });
  }
  return validators;
}

function loadValidator(location: string, resource: ClusterCustomResource): (object: unknown) => string[] {
  const file = path.join(location, resource.file);
  if (!existsSync(file)) {
    throw new Error(
      `cannot validate ${resource.key}: its CRD schema ${resource.file} is not in the schema location ${location} — ` +
        `fix: run scripts/fetch-schemas.sh (fills .cache/schemas) or set ${SCHEMA_LOCATION_ENV} to a folder laid out like it`,
    );
  }
  const version = crdVersionSchemas(readFileSync(file, 'utf8'), file).find((v) => v.key === resource.key);
  if (!version)
    throw new Error(
      `cannot validate ${resource.key}: ${file} serves no such version and kind (expected the CRD from ${resource.providedBy})`,
    );
  return compileCrdSchema(version);
}
