/**
 * A small Kubernetes REST client for the harness. The kubeconfig is read and turned into TLS options and the bearer
 * token by @kubernetes/client-node's `KubeConfig`; requests are sent raw, because the harness needs what the typed
 * client does not offer: objects sent byte-for-byte as synthesized (its serializer drops unknown fields, which would
 * hide exactly what strict validation is meant to catch), `fieldValidation=Strict`, server-side apply with dry-run,
 * and the API server's `Warning` headers.
 */
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string | undefined;
}

export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  /** `Warning` headers of the response (deprecations, unknown fields in Warn mode, Pod Security warnings …). */
  readonly warnings: readonly string[];
}

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

function versionOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[1]! : apiVersion;
}

function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** `Warning: 299 - "text"` → `text`. */
function warningsOf(rawHeaders: readonly string[]): string[] {
  const warnings: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'warning') continue;
    const match = /^\d{3} \S+ "(.*)"/.exec(rawHeaders[i + 1]!);
    warnings.push(match ? match[1]!.replace(/\\"/g, '"') : rawHeaders[i + 1]!);
  }
  return warnings;
}

export class KubeClient {
  private readonly resourceLists = new Map<string, Promise<ResourceInfo[]>>();

  private constructor(
    readonly server: URL,
    private readonly options: https.RequestOptions,
    private readonly timeoutMs: number,
  ) {}

  static async fromKubeconfig(file: string, { timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<KubeClient> {
    const config = new KubeConfig();
    config.loadFromFile(file);
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig ${file} has no current cluster`);
    const options: https.RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: options.ca });
    return new KubeClient(
      new URL(cluster.server),
      { ca: options.ca, headers: { ...(options.headers as Record<string, string>) }, agent },
      timeoutMs,
    );
  }

  /** Closes kept-alive connections (after the API server was stopped, or at the end). */
  close(): void {
    (this.options.agent as https.Agent).destroy();
  }

  request<T = unknown>(
    method: string,
    pathAndQuery: string,
    { body, contentType }: { body?: unknown; contentType?: string } = {},
  ): Promise<ApiResponse<T>> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = https.request(
        new URL(pathAndQuery, this.server),
        {
          ...this.options,
          method,
          headers: {
            ...(this.options.headers as Record<string, string>),
            Accept: 'application/json',
            ...(payload !== undefined
              ? { 'Content-Type': contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (e.g. /readyz): keep the text
            }
            const status = response.statusCode ?? 0;
            if (status >= 400) {
              const statusBody = parsed as { reason?: string; message?: string } | undefined;
              reject(
                new KubeApiError(
                  status,
                  statusBody?.reason ?? String(status),
                  `${method} ${pathAndQuery}: ${status} ${statusBody?.message ?? text}`,
                  parsed,
                ),
              );
              return;
            }
            resolve({ status, body: parsed as T, warnings: warningsOf(response.rawHeaders) });
          });
        },
      );
      request.setTimeout(this.timeoutMs, () =>
        request.destroy(new Error(`${method} ${pathAndQuery}: no answer within ${this.timeoutMs} ms`)),
      );
      request.on('error', reject);
      if (payload !== undefined) request.write(payload);
      request.end();
    });
  }

  /** Forget discovery (after CRDs were installed). */
  resetDiscovery(): void {
    this.resourceLists.clear();
  }

  private resourcesOf(apiVersion: string): Promise<ResourceInfo[]> {
    let list = this.resourceLists.get(apiVersion);
    if (!list) {
      list = this.request<{ resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[] }>(
        'GET',
        groupVersionPath(apiVersion),
      ).then(({ body }) =>
        body.resources
          .filter((r) => !r.name.includes('/'))
          .map((r) => ({
            group: groupOf(apiVersion),
            version: versionOf(apiVersion),
            kind: r.kind,
            plural: r.name,
            namespaced: r.namespaced,
            verbs: r.verbs,
          })),
      );
      list.catch(() => this.resourceLists.delete(apiVersion));
      this.resourceLists.set(apiVersion, list);
    }
    return list;
  }

  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const found = (await this.resourcesOf(apiVersion)).find((r) => r.kind === kind);
    if (!found) throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
    return found;
  }

  /** Every listable resource type, in the preferred version of its group. */
  async listableResources(): Promise<ResourceInfo[]> {
    const { body: core } = await this.request<{ versions: string[] }>('GET', '/api');
    const { body: apis } = await this.request<{ groups: { preferredVersion: { groupVersion: string } }[] }>(
      'GET',
      '/apis',
    );
    const groupVersions = [...core.versions, ...apis.groups.map((g) => g.preferredVersion.groupVersion)];
    const lists = await Promise.all(groupVersions.map((gv) => this.resourcesOf(gv)));
    return lists.flat().filter((r) => r.verbs.includes('list'));
  }

  async path(ref: ObjectRef, { collection = false }: { collection?: boolean } = {}): Promise<string> {
    const resource = await this.resourceFor(ref.apiVersion, ref.kind);
    const namespace = resource.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}` : '';
    return `${groupVersionPath(ref.apiVersion)}${namespace}/${resource.plural}${collection ? '' : `/${encodeURIComponent(ref.name)}`}`;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return (await this.request<KubeObject>('GET', await this.path(ref))).body;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list(resource: ResourceInfo, { labelSelector }: { labelSelector?: string } = {}): Promise<KubeObject[]> {
    const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const { body } = await this.request<{ items: KubeObject[] }>(
      'GET',
      `${groupVersionPath(apiVersion)}/${resource.plural}${query}`,
    );
    return body.items.map((item) => ({ ...item, apiVersion, kind: resource.kind }));
  }

  /** Server-side apply (`application/apply-patch+yaml`, sent as JSON). */
  async apply(
    object: KubeObject,
    { fieldManager, force = false, dryRun = false, fieldValidation }: ApplyOptions,
  ): Promise<ApiResponse<KubeObject>> {
    const query = new URLSearchParams({ fieldManager });
    if (force) query.set('force', 'true');
    if (dryRun) query.set('dryRun', 'All');
    if (fieldValidation) query.set('fieldValidation', fieldValidation);
    return this.request<KubeObject>('PATCH', `${await this.path(refOf(object))}?${query}`, {
      body: object,
      contentType: 'application/apply-patch+yaml',
    });
  }

  async mergePatch(ref: ObjectRef, patch: unknown, { fieldManager }: { fieldManager: string }): Promise<KubeObject> {
    const query = new URLSearchParams({ fieldManager });
    return (
      await this.request<KubeObject>('PATCH', `${await this.path(ref)}?${query}`, {
        body: patch,
        contentType: 'application/merge-patch+json',
      })
    ).body;
  }

  async delete(ref: ObjectRef): Promise<void> {
    try {
      await this.request('DELETE', await this.path(ref));
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 404)) throw error;
    }
  }
}

/** The reference of an object (apiVersion, kind, namespace, name). */
export function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
  };
}

/** Identity independent of the API version: `group/Kind/namespace/name`. */
export function objectKey(object: {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  return `${groupOf(object.apiVersion) || 'core'}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
