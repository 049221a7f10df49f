/**
 * Region-specific values of each cluster, derived from the model: the cluster's labels (aks-fleet.io/region,
 * aks-fleet.io/cluster) and the free-text values only that cluster has — ILB IP, spoke and hub ranges, Key Vault
 * name, App Gateway FQDN, cluster name. Used to prove a cluster holds its own region's values and none of another's.
 */
import { clusterAzureNames, clustersOf, type Fleet } from '@aks-fleet/fleet';
import type { KubeObject } from './kube-client.ts';

export const REGION_LABEL = 'aks-fleet.io/region';
export const CLUSTER_LABEL = 'aks-fleet.io/cluster';

export interface ClusterValues {
  readonly region: string;
  readonly cluster: string;
  /** label → value, e.g. "ILB IP" → "10.243.4.4"; only values no other cluster of the fleet shares. */
  readonly tokens: ReadonlyMap<string, string>;
}

/** Every string of the cluster's model of at least 6 characters (ids, ranges …), labelled by its path. */
function modelStrings(value: unknown, path = 'model'): [string, string][] {
  if (typeof value === 'string') return value.length >= 6 ? [[path, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => modelStrings(item, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => modelStrings(v, `${path}.${k}`));
  return [];
}

export function clusterValues(fleet: Readonly<Fleet>): ClusterValues[] {
  const all = clustersOf(fleet.spec).map(({ region, cluster }) => {
    const hub = fleet.spec.regions[region]!.hub;
    const names = clusterAzureNames(fleet.spec, cluster.name);
    const tokens = new Map<string, string>([
      ['cluster name', cluster.name],
      ['ILB IP', cluster.ingress.internalLoadBalancerIp],
      ['spoke address space', cluster.spoke.addressSpace],
      ...Object.entries(cluster.spoke.subnets).map(([k, v]) => [`spoke subnet ${k}`, v] as [string, string]),
      ['hub address space', hub.addressSpace],
      ...Object.entries(hub.subnets).map(([k, v]) => [`hub subnet ${k}`, v] as [string, string]),
      ['Key Vault', names.keyVault],
      ['App Gateway FQDN', names.appGatewayFqdn],
      ...modelStrings(cluster),
    ]);
    return { region, cluster: cluster.name, tokens };
  });
  const count = new Map<string, number>();
  for (const { tokens } of all)
    for (const value of new Set(tokens.values())) count.set(value, (count.get(value) ?? 0) + 1);
  return all.map(({ region, cluster, tokens }) => ({
    region,
    cluster,
    tokens: new Map([...tokens].filter(([, v]) => count.get(v) === 1)),
  }));
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Does `text` contain `value` as a whole token (not as part of a longer name, number or address)? */
export function containsToken(text: string, value: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9_.-])${escape(value)}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`).test(text);
}

/** The content of objects as text, without server bookkeeping (managedFields, status). */
export function objectsText(objects: Iterable<KubeObject>): string {
  return [...objects]
    .map((object) => {
      const { status: _status, ...rest } = object;
      const { managedFields: _managedFields, ...metadata } = object.metadata;
      return JSON.stringify({ ...rest, metadata });
    })
    .join('\n');
}
