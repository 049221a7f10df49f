import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  KeyVaultSecretProviderClass,
  type KeyVaultSecretProviderClassProps,
} from './key-vault-secret-provider-class.ts';

const BASE: KeyVaultSecretProviderClassProps = {
  name: 'tls',
  namespace: 'ingress',
  keyVaultName: 'kv-cluster-1a2b3',
  tenantId: '00000000-0000-0000-0000-000000000001',
  clientId: '00000000-0000-0000-0000-000000000002',
  objects: [
    { objectName: 'ingress-tls', objectType: 'cert', objectAlias: 'tls.crt' },
    { objectName: 'ingress-tls', objectType: 'secret', objectAlias: 'tls.key' },
  ],
};

function render(props: Partial<KeyVaultSecretProviderClassProps> = {}) {
  const chart = Testing.chart();
  new KeyVaultSecretProviderClass(chart, 'Spc', { ...BASE, ...props });
  return Testing.synth(chart);
}

describe('KeyVaultSecretProviderClass', () => {
  it('emits one secrets-store.csi.x-k8s.io/v1 SecretProviderClass for the Azure provider in workload-identity mode', () => {
    const objects = render();
    expect(objects).toHaveLength(1);
    const [spc] = objects;
    expect(spc.apiVersion).toBe('secrets-store.csi.x-k8s.io/v1');
    expect(spc.kind).toBe('SecretProviderClass');
    expect(spc.metadata).toStrictEqual({ name: 'tls', namespace: 'ingress' });
    expect(spc.spec.provider).toBe('azure');
    expect(spc.spec.parameters).toStrictEqual({
      usePodIdentity: 'false',
      useVMManagedIdentity: 'false',
      clientID: '00000000-0000-0000-0000-000000000002',
      keyvaultName: 'kv-cluster-1a2b3',
      tenantId: '00000000-0000-0000-0000-000000000001',
      objects:
        'array:\n  - |\n    objectName: ingress-tls\n    objectType: cert\n    objectAlias: tls.crt\n  - |\n    objectName: ingress-tls\n    objectType: secret\n    objectAlias: tls.key\n',
    });
  });

  it('never syncs vault content into a Kubernetes Secret', () => {
    expect(render()[0].spec.secretObjects).toBeUndefined();
  });

  it('fails on invalid names and ids, no objects and two objects on one file', () => {
    expect(() => render({ keyVaultName: 'kv_bad' })).toThrow(/keyVaultName "kv_bad" is not a Key Vault name/);
    expect(() => render({ clientId: 'traefik' })).toThrow(/clientId "traefik" is not a GUID nor a Flux substitution/);
    expect(() => render({ clientId: '${1NVALID}' })).toThrow(/is not a GUID nor a Flux substitution/);
    expect(() => render({ clientId: '${INGRESS_CLIENT_ID}' })).not.toThrow();
    expect(() => render({ tenantId: 'contoso.com' })).toThrow(/tenantId "contoso.com" is not a GUID/);
    expect(() => render({ objects: [] })).toThrow(/at least one Key Vault object/);
    expect(() =>
      render({
        objects: [
          { objectName: 'a', objectType: 'cert' },
          { objectName: 'a', objectType: 'secret' },
        ],
      }),
    ).toThrow(/two objects are mounted as "a"/);
  });

  it('matches the snapshot', () => {
    expect(render()).toMatchSnapshot();
  });
});
