/** Rules on the synthesized infrastructure/ (when present): official ARM schemas and fleet-wide invariants. */
import { clusterAzureNames, clustersOf } from '@aks-fleet/fleet';
import type { Finding } from '../finding.ts';
import type { GateContext, Rule } from '../rule.ts';

interface ArmResource {
  readonly type?: string;
  readonly name?: string;
  readonly location?: string;
  readonly properties?: { readonly hostName?: string; readonly template?: { resources?: ArmResource[] } };
  readonly resources?: ArmResource[];
}

/** Every resource of every template, nested deployments included. */
function resources(context: GateContext): Array<{ file: string; resource: ArmResource }> {
  const out: Array<{ file: string; resource: ArmResource }> = [];
  const walk = (file: string, list: readonly ArmResource[] | undefined) => {
    for (const resource of list ?? []) {
      out.push({ file, resource });
      walk(file, resource.resources);
      walk(file, resource.properties?.template?.resources);
    }
  };
  for (const [file, template] of context.infrastructure?.templates ?? [])
    walk(file, (template as { resources?: ArmResource[] }).resources);
  return out;
}

const is = (resource: ArmResource, type: string) => resource.type?.toLowerCase() === type.toLowerCase();

function setDifference(expected: readonly string[], actual: readonly string[]): { missing: string[]; extra: string[] } {
  return {
    missing: expected.filter((x) => !actual.includes(x)).sort(),
    extra: actual.filter((x) => !expected.includes(x)).sort(),
  };
}

export const infrastructureRules: Rule[] = [
  {
    id: 'infrastructure/schema',
    rationale:
      'A template the official ARM schema rejects (misspelled property, bad enum, unknown apiVersion) fails its deployment half-way through a rollout.',
    check: (context) => {
      const infra = context.infrastructure;
      if (!infra) return [];
      return [...infra.templates].flatMap(([file, template]) =>
        infra.validateTemplate(file, template).map((message) => ({
          severity: 'ERROR' as const,
          rule: 'infrastructure/schema',
          file,
          object: '-',
          message,
          fix: 'correct the infra lib builder that emits it, then re-synthesize',
        })),
      );
    },
  },
  {
    id: 'fleet/frontdoor-origins',
    rationale:
      'Front Door must send traffic to exactly the clusters of the model: a missing origin is a region that never serves, an extra one a black hole.',
    check: (context) => {
      if (!context.infrastructure || !context.fleet) return [];
      const spec = context.fleet.spec;
      const origins = resources(context).filter(({ resource }) =>
        is(resource, 'Microsoft.Cdn/profiles/originGroups/origins'),
      );
      const expected = clustersOf(spec).map(({ cluster }) => clusterAzureNames(spec, cluster.name).appGatewayFqdn);
      const { missing, extra } = setDifference(
        expected,
        origins.map(({ resource }) => resource.properties?.hostName ?? ''),
      );
      const file = origins[0]?.file ?? 'infrastructure';
      return [
        ...missing.map((host) => ({
          severity: 'ERROR' as const,
          rule: 'fleet/frontdoor-origins',
          file,
          object: '-',
          message: `no Front Door origin for ${host}`,
          fix: 'run `npm run synth`: every cluster gets an origin',
        })),
        ...extra.map((host) => ({
          severity: 'ERROR' as const,
          rule: 'fleet/frontdoor-origins',
          file,
          object: '-',
          message: `origin ${host} is not a cluster of the model`,
          fix: 'run `npm run synth` to drop it',
        })),
      ];
    },
  },
  {
    id: 'fleet/acr-replicas',
    rationale:
      'Each region pulls images from its own ACR replica; a region without one depends on another region to start pods.',
    check: (context) => {
      if (!context.infrastructure || !context.fleet) return [];
      const spec = context.fleet.spec;
      const replicas = resources(context).filter(({ resource }) =>
        is(resource, 'Microsoft.ContainerRegistry/registries/replications'),
      );
      const expected = Object.keys(spec.regions).filter((r) => r !== spec.sharedServices.location);
      const { missing, extra } = setDifference(
        expected,
        replicas.map(({ resource }) => (resource.location ?? '').toLowerCase()),
      );
      const file = replicas[0]?.file ?? 'infrastructure/shared/template.json';
      const findings: Finding[] = [
        ...missing.map((region) => ({
          severity: 'ERROR' as const,
          rule: 'fleet/acr-replicas',
          file,
          object: '-',
          message: `no ACR replica in ${region}`,
          fix: 'run `npm run synth`: every region except the home region gets a replica',
        })),
        ...extra.map((region) => ({
          severity: 'ERROR' as const,
          rule: 'fleet/acr-replicas',
          file,
          object: '-',
          message: `ACR replica in ${region}, which is not a region of the model (or is the home region)`,
          fix: 'run `npm run synth`',
        })),
      ];
      return findings;
    },
  },
];
