/** The Flux graph of each cluster: dependsOn targets, cycles, paths, sources, duplicates, CRDs. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import { objectRef, type ClusterTree, type TreeObject } from '../tree.ts';

interface FluxKustomization {
  readonly entry: TreeObject;
  readonly name: string;
  readonly namespace: string;
  readonly dependsOn: ReadonlyArray<{ name: string; namespace?: string }>;
  readonly path?: string;
  readonly sourceRef?: { kind?: string; name?: string; namespace?: string };
}

function kustomizations(cluster: ClusterTree): FluxKustomization[] {
  return cluster.objects
    .filter(
      ({ object }) => object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'),
    )
    .map((entry) => {
      const spec = (entry.object.spec ?? {}) as Omit<FluxKustomization, 'entry' | 'name' | 'namespace'>;
      return {
        entry,
        name: entry.object.metadata.name,
        namespace: entry.object.metadata.namespace ?? 'default',
        dependsOn: spec.dependsOn ?? [],
        path: spec.path,
        sourceRef: spec.sourceRef,
      };
    });
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

/** API groups every AKS cluster serves without any CRD of ours. */
const CORE_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'flowcontrol.apiserver.k8s.io',
]);
/** Groups whose CRDs AKS installs: the Flux extension and the Key Vault Secrets Store CSI add-on. */
const ADD_ON_GROUPS = new Map([
  ['kustomize.toolkit.fluxcd.io', 'the AKS Flux extension'],
  ['source.toolkit.fluxcd.io', 'the AKS Flux extension'],
  ['secrets-store.csi.x-k8s.io', 'the Azure Key Vault Secrets Store CSI add-on'],
]);

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

export const fluxRules: Rule[] = [
  {
    id: 'flux/depends-on',
    rationale: 'A dependsOn naming a Kustomization that does not exist blocks the dependent layer forever.',
    check: ({ clusters }) =>
      clusters.flatMap((cluster) => {
        const all = kustomizations(cluster);
        const names = new Set(all.map((k) => key(k.namespace, k.name)));
        return all.flatMap((k) =>
          k.dependsOn
            .filter((d) => !names.has(key(d.namespace ?? k.namespace, d.name)))
            .map((d) => ({
              severity: 'ERROR' as const,
              rule: 'flux/depends-on',
              file: k.entry.file,
              object: objectRef(k.entry.object),
              message: `dependsOn ${d.namespace ?? k.namespace}/${d.name} does not exist in cluster ${cluster.name}`,
              fix: 'depend on an existing layer Kustomization',
            })),
        );
      }),
  },
  {
    id: 'flux/cycle',
    rationale: 'Flux does not detect dependsOn cycles: Kustomizations in a cycle silently never apply.',
    check: ({ clusters }) =>
      clusters.flatMap((cluster) => {
        const all = kustomizations(cluster);
        const edges = new Map(
          all.map((k) => [key(k.namespace, k.name), k.dependsOn.map((d) => key(d.namespace ?? k.namespace, d.name))]),
        );
        const findings: Finding[] = [];
        const state = new Map<string, 'visiting' | 'done'>();
        const visit = (node: string, trail: string[]): void => {
          if (state.get(node) === 'done') return;
          if (state.get(node) === 'visiting') {
            const cycle = [...trail.slice(trail.indexOf(node)), node];
            const k = all.find((x) => key(x.namespace, x.name) === node)!;
            findings.push({
              severity: 'ERROR',
              rule: 'flux/cycle',
              file: k.entry.file,
              object: objectRef(k.entry.object),
              message: `dependsOn cycle ${cycle.join(' → ')}`,
              fix: 'remove one dependsOn so the layers form a chain',
            });
            return;
          }
          state.set(node, 'visiting');
          for (const next of edges.get(node) ?? []) if (edges.has(next)) visit(next, [...trail, node]);
          state.set(node, 'done');
        };
        for (const node of [...edges.keys()].sort()) visit(node, []);
        return findings;
      }),
  },
  {
    id: 'flux/path',
    rationale: 'A Kustomization whose path does not exist fails to build on every reconcile.',
    check: ({ clusters, root }) =>
      clusters.flatMap((cluster) =>
        kustomizations(cluster)
          .filter((k) => !k.path || !existsSync(path.join(root, k.path, 'kustomization.yaml')))
          .map((k) => ({
            severity: 'ERROR' as const,
            rule: 'flux/path',
            file: k.entry.file,
            object: objectRef(k.entry.object),
            message: `path ${k.path ?? '(none)'} has no kustomization.yaml in the repository`,
            fix: 'point spec.path at a synthesized layer folder and re-synthesize',
          })),
      ),
  },
  {
    id: 'flux/source-ref',
    rationale: `Only the GitRepository the AKS Flux extension creates (${FLUX_BOOTSTRAP.namespace}/${FLUX_BOOTSTRAP.configurationName}) exists in every cluster.`,
    check: ({ clusters }) =>
      clusters.flatMap((cluster) =>
        kustomizations(cluster)
          .filter(
            (k) =>
              k.sourceRef?.kind !== 'GitRepository' ||
              k.sourceRef?.name !== FLUX_BOOTSTRAP.configurationName ||
              (k.sourceRef?.namespace ?? k.namespace) !== FLUX_BOOTSTRAP.namespace,
          )
          .map((k) => ({
            severity: 'ERROR' as const,
            rule: 'flux/source-ref',
            file: k.entry.file,
            object: objectRef(k.entry.object),
            message: `sourceRef ${k.sourceRef?.kind}/${k.sourceRef?.namespace ?? k.namespace}/${k.sourceRef?.name} is not the bootstrap GitRepository`,
            fix: `use sourceRef GitRepository ${FLUX_BOOTSTRAP.namespace}/${FLUX_BOOTSTRAP.configurationName}`,
          })),
      ),
  },
  {
    id: 'flux/duplicate-object',
    rationale:
      'Two Kustomizations applying the same object fight over it on every reconcile, and pruning one deletes it.',
    check: ({ clusters }) =>
      clusters.flatMap((cluster) => {
        const seen = new Map<string, string>();
        const findings: Finding[] = [];
        for (const { file, object } of cluster.objects) {
          const id = `${object.apiVersion.split('/')[0]}:${objectRef(object)}`;
          const first = seen.get(id);
          if (first)
            findings.push({
              severity: 'ERROR',
              rule: 'flux/duplicate-object',
              file,
              object: objectRef(object),
              message: `also emitted in ${first}`,
              fix: 'emit each object from exactly one layer',
            });
          else seen.set(id, file);
        }
        return findings;
      }),
  },
  {
    id: 'flux/crd-provided',
    rationale:
      'A custom resource whose CRD the cluster does not serve fails the apply; CRDs must come from AKS or an earlier layer.',
    check: ({ clusters }) =>
      clusters.flatMap((cluster) => {
        const layerOrder = [...new Set(cluster.objects.map((o) => o.layer))];
        const crdLayer = new Map<string, string>();
        for (const { object, layer } of cluster.objects) {
          if (object.kind === 'CustomResourceDefinition') {
            const spec = object.spec as { group?: string; names?: { kind?: string } } | undefined;
            crdLayer.set(`${spec?.group}/${spec?.names?.kind}`, layer);
          }
        }
        return cluster.objects.flatMap(({ file, object, layer }) => {
          const group = groupOf(object.apiVersion);
          if (CORE_GROUPS.has(group) || ADD_ON_GROUPS.has(group)) return [];
          const provider = crdLayer.get(`${group}/${object.kind}`);
          if (
            provider !== undefined &&
            (provider === layer || layerOrder.indexOf(provider) < layerOrder.indexOf(layer))
          )
            return [];
          return [
            {
              severity: 'ERROR' as const,
              rule: 'flux/crd-provided',
              file,
              object: objectRef(object),
              message: `no CRD for ${group}/${object.kind} is served by AKS or an earlier layer`,
              fix: 'install its CRD in an earlier layer, or use a built-in kind',
            },
          ];
        });
      }),
  },
];
