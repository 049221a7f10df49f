/**
 * Which kubeconfig context reads which cluster. Derived from the model — the AKS cluster name, which is what
 * `az aks get-credentials` names the context — and overridable by a mapping file (YAML: `<cluster>: <context>`)
 * and by `--context <cluster>=<context>` flags (flags win).
 */
import { existsSync, readFileSync } from 'node:fs';
import { clusterAzureNames, clustersOf, type FleetSpec } from '@aks-fleet/fleet';
import { parse } from 'yaml';
import { RolloutInputError } from './errors.ts';

export function defaultContext(spec: FleetSpec, cluster: string): string {
  return clusterAzureNames(spec, cluster).aksCluster;
}

export interface ContextOverrides {
  /** A YAML/JSON file mapping cluster names to context names. */
  readonly file?: string | undefined;
  /** `<cluster>=<context>` pairs. */
  readonly pairs?: readonly string[] | undefined;
}

export function resolveContexts(spec: FleetSpec, { file, pairs = [] }: ContextOverrides = {}): Map<string, string> {
  const clusters = clustersOf(spec).map(({ cluster }) => cluster.name);
  const contexts = new Map(clusters.map((c) => [c, defaultContext(spec, c)]));
  const problems: string[] = [];
  const set = (cluster: string, context: unknown, where: string) => {
    if (!contexts.has(cluster))
      problems.push(`${where}: "${cluster}" is not a cluster of the fleet (expected one of ${clusters.join(', ')})`);
    else if (typeof context !== 'string' || context === '')
      problems.push(`${where}: the context of ${cluster} must be a non-empty string, got ${JSON.stringify(context)}`);
    else contexts.set(cluster, context);
  };
  if (file) {
    if (!existsSync(file))
      throw new RolloutInputError(
        `--contexts ${file}: no such file; expected a YAML file of "<cluster>: <context>" lines`,
        'check the path',
      );
    let mapping: unknown;
    try {
      mapping = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new RolloutInputError(
        `--contexts ${file}: not valid YAML (${(error as Error).message.split('\n')[0]}); expected "<cluster>: <context>" lines`,
        'correct the YAML: one "<cluster>: <context>" line per cluster',
      );
    }
    if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping))
      throw new RolloutInputError(
        `--contexts ${file}: expected a mapping of "<cluster>: <context>", got ${JSON.stringify(mapping)}`,
        `write one "<cluster>: <context>" line per cluster, e.g. "${clusters[0]}: my-context"`,
      );
    for (const [cluster, context] of Object.entries(mapping)) set(cluster, context, `--contexts ${file}`);
  }
  for (const pair of pairs) {
    const match = /^([^=]+)=(.+)$/.exec(pair);
    if (!match)
      problems.push(`--context ${pair}: expected <cluster>=<context>, e.g. --context ${clusters[0]}=my-context`);
    else set(match[1]!, match[2]!, `--context ${pair}`);
  }
  if (problems.length > 0)
    throw new RolloutInputError(
      problems.join('; '),
      `map each cluster of the fleet (${clusters.join(', ')}) to a context of the kubeconfig (kubectl config get-contexts)`,
    );
  return contexts;
}
