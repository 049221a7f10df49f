/** Fleet invariants: every cluster of the model has every layer, and nothing else is in the tree. */
import { clustersOf, LAYERS } from '@aks-fleet/fleet';
import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import { objectRef } from '../tree.ts';

export const fleetRules: Rule[] = [
  {
    id: 'fleet/clusters-match-model',
    rationale:
      'A folder without a cluster in the model is never pruned by anyone; a model cluster without folders gets no manifests.',
    check: ({ clusters, fleet }) => {
      if (!fleet) return [];
      const model = new Set(clustersOf(fleet.spec).map(({ cluster }) => cluster.name));
      const tree = new Set(clusters.map((c) => c.name));
      return [
        ...[...tree]
          .filter((c) => !model.has(c))
          .map((c) => ({
            severity: 'ERROR' as const,
            rule: 'fleet/clusters-match-model',
            file: `manifests/${c}`,
            object: '-',
            message: `cluster ${c} is not in the fleet model`,
            fix: 'run `npm run synth` to remove stale clusters',
          })),
        ...[...model]
          .filter((c) => !tree.has(c))
          .map((c) => ({
            severity: 'ERROR' as const,
            rule: 'fleet/clusters-match-model',
            file: `manifests/${c}`,
            object: '-',
            message: `cluster ${c} of the model has no synthesized folders`,
            fix: 'run `npm run synth` and commit the result',
          })),
      ];
    },
  },
  {
    id: 'fleet/every-layer',
    rationale:
      'Every cluster runs the same layers; a missing layer means a region silently lacks policy, ingress or workload.',
    check: ({ clusters }) => {
      const findings: Finding[] = [];
      for (const cluster of clusters) {
        const own = new Set(cluster.folders.map((f) => f.split('/')[2]).filter(Boolean));
        for (const layer of LAYERS.filter((l) => !own.has(l))) {
          findings.push({
            severity: 'ERROR',
            rule: 'fleet/every-layer',
            file: `manifests/${cluster.name}`,
            object: '-',
            message: `layer ${layer} is missing`,
            fix: 'synthesize every cluster from the same layer charts',
          });
        }
        if (!cluster.folders.includes(`clusters/${cluster.name}`)) {
          findings.push({
            severity: 'ERROR',
            rule: 'fleet/every-layer',
            file: `clusters/${cluster.name}`,
            object: '-',
            message: 'the Flux entrypoint folder is missing',
            fix: 'run `npm run synth`',
          });
        }
      }
      return findings;
    },
  },
  {
    id: 'fleet/unique-hosts',
    rationale: 'Two Ingresses claiming the same host and path in one cluster route traffic unpredictably.',
    check: ({ clusters }) =>
      clusters.flatMap((cluster) => {
        const seen = new Map<string, string>();
        const findings: Finding[] = [];
        for (const { file, object } of cluster.objects.filter((o) => o.object.kind === 'Ingress')) {
          const rules =
            (object.spec as { rules?: Array<{ host?: string; http?: { paths?: Array<{ path?: string }> } }> })?.rules ??
            [];
          for (const rule of rules) {
            for (const p of rule.http?.paths ?? [{ path: '/' }]) {
              const key = `${rule.host ?? '*'}${p.path ?? '/'}`;
              const first = seen.get(key);
              if (first)
                findings.push({
                  severity: 'ERROR',
                  rule: 'fleet/unique-hosts',
                  file,
                  object: objectRef(object),
                  message: `host ${key} is also claimed by ${first}`,
                  fix: 'route each host and path from one Ingress',
                });
              else seen.set(key, objectRef(object));
            }
          }
        }
        return findings;
      }),
  },
];
