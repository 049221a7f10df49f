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

/** The App Gateway whose listener serves a host, with its file. */
export function gatewayFor(resources: readonly FileResource[], host: string): FileResource | undefined {
  return ofType(resources, 'Microsoft.Network/applicationGateways').find(({ resource }) =>
    list(json(resource), 'properties', 'httpListeners').some((listener) => {
      const names = [field(listener, 'properties', 'hostName'), ...strings(listener, 'properties', 'hostNames')];
      return names.includes(host);
    }),
  );
}
