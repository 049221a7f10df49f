/** Front Door origins and the App Gateways that serve them, read from the synthesized templates. */
import { field, json, list, ofType, strings, type FileResource } from '../arm-resources.ts';

export interface Origin {
  readonly file: string;
  readonly profile: string;
  readonly group: string;
  readonly host: string;
}

export function originsOf(resources: readonly FileResource[]): Origin[] {
  return ofType(resources, 'Microsoft.Cdn/profiles/originGroups/origins').map(({ file, resource }) => {
    const [profile = '', group = ''] = (resource.name ?? '').split('/');
    return { file, profile, group, host: String(field(json(resource), 'properties', 'hostName') ?? '') };
  });
}

/** Listener host → the first App Gateway serving it, per resource list (one lookup per origin, not one scan). */
const gatewaysByHost = new WeakMap<readonly FileResource[], ReadonlyMap<unknown, FileResource>>();

/** The App Gateway whose listener serves a host, with its file. */
export function gatewayFor(resources: readonly FileResource[], host: string): FileResource | undefined {
  let byHost = gatewaysByHost.get(resources);
  if (!byHost) {
    const index = new Map<unknown, FileResource>();
    for (const gateway of ofType(resources, 'Microsoft.Network/applicationGateways')) {
      for (const listener of list(json(gateway.resource), 'properties', 'httpListeners')) {
        const names = [field(listener, 'properties', 'hostName'), ...strings(listener, 'properties', 'hostNames')];
        for (const name of names) if (!index.has(name)) index.set(name, gateway);
      }
    }
    gatewaysByHost.set(resources, (byHost = index));
  }
  return byHost.get(host);
}
