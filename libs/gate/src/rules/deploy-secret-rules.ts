/**
 * `deploy/*` rules on secrets delivery: what a pod mounts from Key Vault must exist there as the type it asks for,
 * readable by the identity it uses — or the pod never starts, and every Kustomization that waits for it fails.
 *
 * Works from the synthesized tree only: SecretProviderClasses in manifests/, the vaults, their template-written
 * secrets and role assignments in the ARM templates, and the certificates the plan imports (infrastructure/plan.json).
 * A clientID that is a Flux substitution placeholder is traced to the identity whose client id the cluster's
 * fluxConfiguration substitutes for it. App Gateways' Key Vault references (`keyVaultSecretId` of listener and
 * trusted-root certificates) get the same check: a secret (or a certificate's backing secret) the gateway's
 * user-assigned identity can read.
 */
import { KEY_VAULT_READ_ROLES, type KeyVaultObjectType } from '@aks-fleet/fleet';
import { parse } from 'yaml';
import type { Finding } from '../finding.ts';
import type { GateContext, Rule } from '../rule.ts';
import { objectRef } from '../tree.ts';

const RULE = 'deploy/key-vault-objects';

interface Resource {
  readonly type?: string;
  readonly name?: string;
  readonly scope?: string;
  readonly properties?: Record<string, unknown>;
  readonly resources?: Resource[];
}

/** Every resource of every template (nested deployments included), with its file. */
function allResources(context: GateContext): Array<{ file: string; resource: Resource }> {
  const out: Array<{ file: string; resource: Resource }> = [];
  const walk = (file: string, list: readonly Resource[] | undefined) => {
    for (const resource of list ?? []) {
      out.push({ file, resource });
      walk(file, resource.resources);
      walk(file, (resource.properties?.template as { resources?: Resource[] } | undefined)?.resources);
    }
  };
  for (const [file, template] of context.infrastructure?.templates ?? [])
    walk(file, (template as { resources?: Resource[] }).resources);
  return out;
}

const isType = (resource: Resource, type: string) => resource.type?.toLowerCase() === type.toLowerCase();

/** The literal name after `'<type>', ` inside an ARM expression, e.g. the vault of a role assignment's scope. */
function namedIn(expression: unknown, type: string): string | undefined {
  const match = new RegExp(`'${type.replace(/[./]/g, '\\$&')}',\\s*'([^']+)'`, 'i').exec(String(expression ?? ''));
  return match?.[1];
}

const VAULTS = 'Microsoft.KeyVault/vaults';
const IDENTITIES = 'Microsoft.ManagedIdentity/userAssignedIdentities';
const FLUX_CONFIGURATIONS = 'Microsoft.KubernetesConfiguration/fluxConfigurations';

/** What each vault holds: its secrets, keys and imported certificates. */
interface VaultContents {
  readonly secrets: Set<string>;
  readonly keys: Set<string>;
  readonly certificates: Set<string>;
}

function vaultContents(context: GateContext, resources: ReturnType<typeof allResources>): Map<string, VaultContents> {
  const vaults = new Map<string, VaultContents>();
  const vault = (name: string) => {
    const key = name.toLowerCase();
    if (!vaults.has(key)) vaults.set(key, { secrets: new Set(), keys: new Set(), certificates: new Set() });
    return vaults.get(key)!;
  };
  for (const { resource } of resources) {
    const [vaultName, child] = String(resource.name ?? '').split('/');
    if (isType(resource, VAULTS) && vaultName) vault(vaultName);
    if (isType(resource, `${VAULTS}/secrets`) && vaultName && child) vault(vaultName).secrets.add(child);
    if (isType(resource, `${VAULTS}/keys`) && vaultName && child) vault(vaultName).keys.add(child);
  }
  const steps =
    (
      context.infrastructure?.plan as
        { steps?: Array<{ importCertificates?: Array<{ keyVault?: string; name?: string }> }> } | undefined
    )?.steps ?? [];
  for (const step of steps)
    for (const c of step.importCertificates ?? []) if (c.keyVault && c.name) vault(c.keyVault).certificates.add(c.name);
  return vaults;
}

/** Whether the vault holds `name` readable as `type`: a certificate is also its backing secret and key. */
function holds(contents: VaultContents, name: string, type: KeyVaultObjectType): boolean {
  if (type === 'cert') return contents.certificates.has(name);
  if (type === 'secret') return contents.secrets.has(name) || contents.certificates.has(name);
  return contents.keys.has(name) || contents.certificates.has(name);
}

function describeContents(contents: VaultContents, name: string): string {
  if (contents.certificates.has(name)) return 'a certificate (imported by fleet infra deploy)';
  if (contents.secrets.has(name)) return 'a plain secret (no certificate, so the certificates API does not know it)';
  if (contents.keys.has(name)) return 'a key';
  return 'nothing of that name';
}

/** Key Vault roles per (vault, identity) from the templates' role assignments. */
function vaultRoles(resources: ReturnType<typeof allResources>): Map<string, Set<string>> {
  const roles = new Map<string, Set<string>>();
  for (const { resource } of resources) {
    if (!isType(resource, 'Microsoft.Authorization/roleAssignments')) continue;
    const vault = namedIn(resource.scope, VAULTS);
    const identity = namedIn(resource.properties?.principalId, IDENTITIES);
    const role = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(
      String(resource.properties?.roleDefinitionId ?? ''),
    )?.[1];
    if (!vault || !identity || !role) continue;
    const key = `${vault.toLowerCase()}|${identity.toLowerCase()}`;
    roles.set(key, new Set([...(roles.get(key) ?? []), role.toLowerCase()]));
  }
  return roles;
}

/** `${NAME}` → the identity whose client id the cluster's fluxConfiguration substitutes for NAME. */
function substitutedIdentities(resources: ReturnType<typeof allResources>, cluster: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { file, resource } of resources) {
    if (!isType(resource, FLUX_CONFIGURATIONS) || !file.includes(`/${cluster}/`)) continue;
    const kustomizations = (resource.properties?.kustomizations ?? {}) as Record<
      string,
      { postBuild?: { substitute?: Record<string, string> } }
    >;
    for (const k of Object.values(kustomizations)) {
      for (const [variable, value] of Object.entries(k.postBuild?.substitute ?? {})) {
        const identity = /\.clientId\]$/.test(value) ? namedIn(value, IDENTITIES) : undefined;
        if (identity) out.set(variable, identity);
      }
    }
  }
  return out;
}

interface MountedObject {
  readonly objectName: string;
  readonly objectType: KeyVaultObjectType;
}

/** The provider's `objects` parameter: `array:` of YAML documents, one object each. */
function mountedObjects(parameter: unknown): MountedObject[] {
  const array = (parse(String(parameter ?? '')) as { array?: unknown[] } | null)?.array ?? [];
  return array
    .map((entry) =>
      typeof entry === 'string' ? (parse(entry) as Record<string, unknown>) : (entry as Record<string, unknown>),
    )
    .filter((o): o is Record<string, unknown> => !!o && typeof o.objectName === 'string')
    .map((o) => ({
      objectName: String(o.objectName),
      objectType: String(o.objectType ?? 'secret') as KeyVaultObjectType,
    }));
}

export const deploySecretRules: Rule[] = [
  {
    id: RULE,
    rationale:
      'A SecretProviderClass object missing from its Key Vault, of another type, or unreadable by its identity keeps the pod from starting and every Kustomization that waits on it.',
    check: (context) => {
      if (!context.infrastructure) return [];
      const resources = allResources(context);
      const vaults = vaultContents(context, resources);
      const roles = vaultRoles(resources);
      const findings: Finding[] = [];
      // Once, not once per cluster: the scan of every resource per cluster was quadratic at 1000 clusters.
      const fluxConfigurations = resources.filter(({ resource }) => isType(resource, FLUX_CONFIGURATIONS));
      for (const tree of context.clusters) {
        const identities = substitutedIdentities(fluxConfigurations, tree.name);
        for (const { file, object } of tree.objects) {
          if (
            object.kind !== 'SecretProviderClass' ||
            !String(object.apiVersion).startsWith('secrets-store.csi.x-k8s.io/')
          )
            continue;
          const spec = (object as { spec?: { provider?: string; parameters?: Record<string, unknown> } }).spec;
          if (spec?.provider !== 'azure') continue;
          const parameters = spec.parameters ?? {};
          const vaultName = String(parameters.keyvaultName ?? '');
          const ref = objectRef(object);
          const error = (message: string, fix: string) =>
            findings.push({ severity: 'ERROR', rule: RULE, file, object: ref, message, fix });
          const contents = vaults.get(vaultName.toLowerCase());
          if (!contents) {
            error(
              `Key Vault "${vaultName}" is not declared by any template`,
              "name the cluster's vault (the model derives it) or declare the vault in the infrastructure",
            );
            continue;
          }
          const clientId = String(parameters.clientID ?? '');
          const variable = /^\$\{([_a-zA-Z][_a-zA-Z0-9]*)\}$/.exec(clientId)?.[1];
          const identity = variable ? identities.get(variable) : undefined;
          if (!identity) {
            error(
              `clientID "${clientId}" is not traceable to a user-assigned identity of the stamp`,
              "use a Flux substitution placeholder that the cluster's fluxConfiguration sets to the identity's reference(...).clientId",
            );
          }
          const held = identity
            ? (roles.get(`${vaultName.toLowerCase()}|${identity.toLowerCase()}`) ?? new Set<string>())
            : undefined;
          for (const { objectName, objectType } of mountedObjects(parameters.objects)) {
            if (!holds(contents, objectName, objectType)) {
              error(
                `objectType ${objectType} "${objectName}": Key Vault ${vaultName} holds ${describeContents(contents, objectName)}`,
                objectType === 'cert'
                  ? "import it as a certificate (fleet infra deploy) or ask for objectType secret, which returns a certificate's key and chain"
                  : 'create it in the vault (key-vault template secret or an imported certificate) or fix the object name',
              );
            }
            if (identity && held && !KEY_VAULT_READ_ROLES[objectType]?.some((role) => held.has(role))) {
              error(
                `identity ${identity} holds no Key Vault role on ${vaultName} that reads ${objectType} objects (it holds ${held.size > 0 ? [...held].join(', ') : 'none'})`,
                objectType === 'secret'
                  ? 'assign it Key Vault Secrets User on the vault'
                  : `assign it the least role that reads ${objectType} objects (${objectType === 'cert' ? 'Key Vault Certificate User' : 'Key Vault Crypto User'})`,
              );
            }
          }
        }
      }
      findings.push(...appGatewayFindings(resources, vaults, roles));
      return findings;
    },
  },
];

/** The same bar for App Gateways: every `keyVaultSecretId` names a secret its identity can read. */
function appGatewayFindings(
  resources: ReturnType<typeof allResources>,
  vaults: Map<string, VaultContents>,
  roles: Map<string, Set<string>>,
): Finding[] {
  const findings: Finding[] = [];
  for (const { file, resource } of resources) {
    if (!isType(resource, 'Microsoft.Network/applicationGateways')) continue;
    const identityIds = Object.keys(
      (resource as { identity?: { userAssignedIdentities?: Record<string, unknown> } }).identity
        ?.userAssignedIdentities ?? {},
    );
    const identity = identityIds.map((id) => namedIn(id, IDENTITIES)).find((name): name is string => !!name);
    const references = ['sslCertificates', 'trustedRootCertificates'].flatMap((part) =>
      ((resource.properties?.[part] ?? []) as Array<{ name?: string; properties?: { keyVaultSecretId?: string } }>)
        .filter((c) => c.properties?.keyVaultSecretId)
        .map((c) => ({ part, name: c.name ?? '?', uri: String(c.properties!.keyVaultSecretId) })),
    );
    for (const { part, name, uri } of references) {
      const object = `ApplicationGateway/${resource.name}/${part}/${name}`;
      const error = (message: string, fix: string) =>
        findings.push({ severity: 'ERROR', rule: RULE, file, object, message, fix });
      const match = /^https:\/\/([^.]+)\.vault\.azure\.net\/secrets\/([^/]+)/.exec(uri);
      if (!match) continue;
      const [, vault, secret] = match as unknown as [string, string, string];
      const contents = vaults.get(vault.toLowerCase());
      if (!contents || !holds(contents, secret, 'secret')) {
        error(
          `keyVaultSecretId ${uri}: Key Vault ${vault} holds ${contents ? describeContents(contents, secret) : 'nothing (no such vault in the templates)'}`,
          'import the certificate (fleet infra deploy) or write the secret in the key-vault template',
        );
      }
      const held = identity ? roles.get(`${vault.toLowerCase()}|${identity.toLowerCase()}`) : undefined;
      if (!identity || !KEY_VAULT_READ_ROLES.secret.some((role) => held?.has(role))) {
        error(
          `the gateway's identity ${identity ?? '(none)'} holds no Key Vault role on ${vault} that reads secrets`,
          'give the gateway a user-assigned identity with Key Vault Secrets User on the vault',
        );
      }
    }
  }
  return findings;
}
