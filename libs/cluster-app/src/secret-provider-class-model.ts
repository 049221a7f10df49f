/**
 * A typed model of `secrets-store.csi.x-k8s.io/v1` SecretProviderClass, so synthesis validates it offline.
 *
 * Its facts are those of the CRD's v1 `openAPIV3Schema` (secrets-store-csi-driver v1.6.0, shipped by the AKS Key
 * Vault Secrets Store CSI add-on), written as zod: every object that lists properties is closed, because the API
 * server prunes unknown fields (a silently dropped field is worse than a failed synthesis). The CRD itself is never
 * copied: the gate and the tests check the same objects against the real CRD when a schema location exists, and a
 * test asserts both refuse the same objects.
 */
import type { ObjectValidator } from '@aks-fleet/synth';
import { z } from 'zod';

const stringMap = z.record(z.string(), z.string());

const secretObject = z.strictObject({
  annotations: stringMap.optional(),
  data: z.array(z.strictObject({ key: z.string().optional(), objectName: z.string().optional() })).optional(),
  labels: stringMap.optional(),
  secretName: z.string().optional(),
  type: z.string().optional(),
});

export const SECRET_PROVIDER_CLASS_V1 = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  spec: z
    .strictObject({
      parameters: stringMap.optional(),
      provider: z.string().optional(),
      secretObjects: z.array(secretObject).optional(),
    })
    .optional(),
  status: z.record(z.string(), z.unknown()).optional(),
});

/** One message per problem, `field.path: what is wrong`, in the CRD validator's words. */
export const validateSecretProviderClass: ObjectValidator = (object) => {
  const result = SECRET_PROVIDER_CLASS_V1.safeParse(object);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    const at = issue.path.length === 0 ? '(object)' : issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (key) => `schema (SecretProviderClass v1): ${at}: unknown field "${key}" (the API server would drop it)`,
      );
    }
    return [`schema (SecretProviderClass v1): ${at}: ${issue.message}`];
  });
};
