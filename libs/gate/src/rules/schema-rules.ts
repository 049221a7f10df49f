/** Every object against its schema; every file readable. */
import { validateObject } from '@aks-fleet/synth';
import type { Rule } from '../rule.ts';
import { objectRef } from '../tree.ts';

export const schemaRules: Rule[] = [
  {
    id: 'schema/object',
    rationale:
      'An object the API server rejects stops the whole Flux Kustomization; catch it before merge (kubernetes-models, Flux models, CRD schemas).',
    check: (context) =>
      context.clusters.flatMap((cluster) =>
        cluster.objects.flatMap(({ file, object }) =>
          validateObject(object, context.validators).map((message) => ({
            severity: 'ERROR' as const,
            rule: 'schema/object',
            file,
            object: objectRef(object),
            message,
            fix: 'correct the construct or model value that produced it, then re-synthesize',
          })),
        ),
      ),
  },
  {
    id: 'schema/yaml',
    rationale: 'A file that is not valid YAML breaks kustomize build for its folder.',
    check: (context) =>
      context.clusters.flatMap((cluster) =>
        cluster.unreadable.map(({ file, error }) => ({
          severity: 'ERROR' as const,
          rule: 'schema/yaml',
          file,
          object: '-',
          message: `not valid YAML: ${error}`,
          fix: 'regenerate the file with `npm run synth`',
        })),
      ),
  },
];
