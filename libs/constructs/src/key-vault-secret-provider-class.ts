import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** One Key Vault object mounted as a file. */
export interface KeyVaultObject {
  /** Name of the secret, key or certificate in the vault. */
  readonly objectName: string;
  /**
   * What to fetch: `cert` is a certificate's public part (PEM), `secret` a secret — for a certificate, its PEM with
   * the private key — and `key` a key's public part.
   */
  readonly objectType: 'secret' | 'key' | 'cert';
  /** File name in the mount. @default - the object name */
  readonly objectAlias?: string;
  /** Pinned object version. @default - the current version */
  readonly objectVersion?: string;
}

export interface KeyVaultSecretProviderClassProps {
  readonly name: string;
  readonly namespace: string;
  /** Key Vault name (3–24 characters). */
  readonly keyVaultName: string;
  /** Entra tenant of the vault and the identity. */
  readonly tenantId: string;
  /**
   * Client id of the user-assigned identity the pods' ServiceAccount federates with (Microsoft Entra workload
   * identity): the CSI driver exchanges the pod's ServiceAccount token for a token of this identity. A GUID, or a Flux
   * post-build substitution placeholder (`${NAME}`) when Azure assigns the id at deploy time.
   */
  readonly clientId: string;
  /** Objects to mount, at least one. */
  readonly objects: readonly KeyVaultObject[];
}

/** The custom resource's group and version (its CRD comes with the AKS Key Vault Secrets Store CSI add-on). */
export const SECRET_PROVIDER_CLASS_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const KEY_VAULT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
/** A Flux post-build substitution placeholder: `${NAME}` (Flux's variable name syntax). */
const SUBSTITUTION = /^\$\{[_a-zA-Z][_a-zA-Z0-9]*\}$/;
const OBJECT_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const FILE_NAME = /^[A-Za-z0-9._-]{1,253}$/;

/**
 * A `secrets-store.csi.x-k8s.io/v1` SecretProviderClass for the Azure Key Vault provider in workload-identity mode:
 * pods that mount it through the `secrets-store.csi.k8s.io` CSI driver get the listed vault objects as files.
 *
 * It deliberately offers no `secretObjects`: syncing vault content into Kubernetes Secrets would put the data back
 * into etcd and within reach of anyone who can read Secrets. The objects reach the pod's file system only.
 * @see https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access
 */
export class KeyVaultSecretProviderClass extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: KeyVaultSecretProviderClassProps) {
    super(scope, id);
    const owner = `KeyVaultSecretProviderClass ${props.namespace}/${props.name}`;
    if (!KEY_VAULT_NAME.test(props.keyVaultName))
      throw new Error(
        `${owner}: keyVaultName "${props.keyVaultName}" is not a Key Vault name (3–24 letters, digits and hyphens, starting with a letter)`,
      );
    if (!GUID.test(props.tenantId)) throw new Error(`${owner}: tenantId "${props.tenantId}" is not a GUID`);
    if (!GUID.test(props.clientId) && !SUBSTITUTION.test(props.clientId)) {
      throw new Error(
        `${owner}: clientId "${props.clientId}" is not a GUID nor a Flux substitution placeholder like \${CLIENT_ID}`,
      );
    }
    if (props.objects.length === 0) throw new Error(`${owner}: list at least one Key Vault object to mount`);
    const files = new Set<string>();
    for (const object of props.objects) {
      if (!OBJECT_NAME.test(object.objectName))
        throw new Error(
          `${owner}: objectName "${object.objectName}" is not a Key Vault object name (letters, digits and hyphens)`,
        );
      const file = object.objectAlias ?? object.objectName;
      if (!FILE_NAME.test(file)) throw new Error(`${owner}: objectAlias "${file}" is not a plain file name`);
      if (files.has(file))
        throw new Error(`${owner}: two objects are mounted as "${file}"; give each its own objectAlias`);
      files.add(file);
    }
    this.name = props.name;
    new ApiObject(this, 'Resource', {
      apiVersion: SECRET_PROVIDER_CLASS_API_VERSION,
      kind: 'SecretProviderClass',
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          useVMManagedIdentity: 'false',
          clientID: props.clientId,
          keyvaultName: props.keyVaultName,
          tenantId: props.tenantId,
          objects: objectsParameter(props.objects),
        },
      },
    });
  }
}

/** The provider's `objects` parameter: a YAML document `array:` of YAML strings, one per object. */
function objectsParameter(objects: readonly KeyVaultObject[]): string {
  const lines = ['array:'];
  for (const object of objects) {
    lines.push('  - |');
    lines.push(`    objectName: ${object.objectName}`);
    lines.push(`    objectType: ${object.objectType}`);
    if (object.objectAlias) lines.push(`    objectAlias: ${object.objectAlias}`);
    if (object.objectVersion) lines.push(`    objectVersion: ${object.objectVersion}`);
  }
  return `${lines.join('\n')}\n`;
}
