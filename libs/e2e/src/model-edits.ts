/**
 * Edits of the fleet MODEL used by the change, prune, region-loss and bad-commit scenarios. The cluster content is
 * still growing, so the harness does not assume what an edit produces: it synthesizes candidates and picks the
 * first whose output really changes (or, for pruning, really removes objects from) every cluster.
 */
import path from 'node:path';
import type { Fleet } from '@aks-fleet/fleet';
import { synthesize, synthesizedObjects } from './synth-cli.ts';
import { writeFleetFile } from './test-fleet.ts';

/** A change of the model; `apply(base, step)` gives the model at step 1, 2, 3 …, each different from the previous. */
export interface ChangeEdit {
  readonly name: string;
  readonly description: string;
  apply(base: Readonly<Fleet>, step: number): Fleet;
}

/** `base` adds something optional to every cluster, `prune` takes it away again. */
export interface PruneEdit {
  readonly name: string;
  readonly description: string;
  /** True when `prune` only removes objects; false for a fallback that also creates replacements. */
  readonly pure: boolean;
  base(fleet: Readonly<Fleet>): Fleet;
  prune(fleet: Readonly<Fleet>): Fleet;
}

function eachCluster(
  fleet: Readonly<Fleet>,
  edit: (cluster: Fleet['spec']['regions'][string]['clusters'][number], index: number) => void,
): Fleet {
  const copy = structuredClone(fleet) as Fleet;
  let index = 0;
  for (const region of Object.values(copy.spec.regions)) for (const cluster of region.clusters) edit(cluster, index++);
  return copy;
}

export const CHANGE_EDITS: readonly ChangeEdit[] = [
  {
    // Down, never up: the model ties replicas to node-pool capacity (failover), and fewer replicas always fit.
    name: 'replicas',
    description:
      'workload replicas − 1 on odd steps, the original on even steps (fleet-wide value and every per-cluster override above 1)',
    apply: (base, step) => {
      const lower = (replicas: number): number => (step % 2 === 1 && replicas > 1 ? replicas - 1 : replicas);
      const copy = eachCluster(base, (cluster) => {
        if (cluster.workload.replicas !== undefined) cluster.workload.replicas = lower(cluster.workload.replicas);
      });
      copy.spec.workload.replicas = lower(copy.spec.workload.replicas);
      return copy;
    },
  },
  {
    name: 'image',
    description: 'workload image tag (odd steps: aspnetapp-8.0, even steps: the original tag)',
    apply: (base, step) => {
      const retag = (image: string): string => (step % 2 === 1 ? image.replace(/:[^:@/]+$/, ':aspnetapp-8.0') : image);
      const copy = eachCluster(base, (cluster) => {
        if (cluster.workload.image) cluster.workload.image = retag(cluster.workload.image);
      });
      copy.spec.workload.image = retag(copy.spec.workload.image);
      return copy;
    },
  },
  {
    name: 'fleet-name',
    description: 'fleet metadata.name (the aks-fleet.io/fleet label of every object)',
    apply: (base, step) => ({
      ...(structuredClone(base) as Fleet),
      metadata: { name: `${base.metadata.name}-s${step}` },
    }),
  },
];

const groupId = (kind: number, index: number): string =>
  `00000000-0000-0000-00e2-${String(kind).padStart(4, '0')}${String(index).padStart(8, '0')}`;

export const PRUNE_EDITS: readonly PruneEdit[] = [
  {
    name: 'entra-namespace-roles',
    description: 'operator/reader Entra groups of every cluster (their RoleBindings)',
    pure: true,
    base: (fleet) =>
      eachCluster(fleet, (cluster, index) => {
        cluster.entra.operatorGroupObjectId ??= groupId(1, index);
        cluster.entra.readerGroupObjectId ??= groupId(2, index);
      }),
    prune: (fleet) =>
      eachCluster(fleet, (cluster) => {
        delete cluster.entra.operatorGroupObjectId;
        delete cluster.entra.readerGroupObjectId;
      }),
  },
  {
    name: 'canary',
    description: 'the canary of every cluster (its Deployment)',
    pure: true,
    base: (fleet) =>
      eachCluster(fleet, (cluster) => {
        cluster.workload.canary ??= { replicas: 1 };
      }),
    prune: (fleet) =>
      eachCluster(fleet, (cluster) => {
        delete cluster.workload.canary;
      }),
  },
  {
    name: 'workload-rename',
    description: 'fallback: renames the workload, which removes every object named after the old name',
    pure: false,
    base: (fleet) => structuredClone(fleet) as Fleet,
    prune: (fleet) => ({
      ...(structuredClone(fleet) as Fleet),
      spec: {
        ...structuredClone(fleet.spec),
        workload: { ...fleet.spec.workload, name: `${fleet.spec.workload.name}-v2` },
      },
    }),
  },
];

export interface ObjectDelta {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export function delta(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ObjectDelta {
  return {
    added: [...after.keys()].filter((k) => !before.has(k)),
    removed: [...before.keys()].filter((k) => !after.has(k)),
    changed: [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)),
  };
}

/** Synthesizes `fleet` into `<scratch>/<label>` and returns every cluster's objects. */
async function synthObjects(
  fleet: Readonly<Fleet>,
  scratch: string,
  label: string,
  clusters: readonly string[],
): Promise<Map<string, Map<string, string>>> {
  const root = path.join(scratch, label);
  const file = path.join(scratch, `${label}.fleet.yaml`);
  writeFleetFile(fleet, file);
  await synthesize(file, root);
  return new Map(clusters.map((c) => [c, synthesizedObjects(root, c)]));
}

export interface EditSelection {
  readonly change: ChangeEdit;
  readonly prune: PruneEdit;
  /** Per cluster: what the prune edit removes (and, for a fallback, adds). */
  readonly pruneDelta: ReadonlyMap<string, ObjectDelta>;
  /** Per cluster: what the change edit changes at step 1. */
  readonly changeDelta: ReadonlyMap<string, ObjectDelta>;
  /** Candidates that were tried and why they were skipped. */
  readonly skipped: readonly string[];
}

export async function selectEdits(
  fleet: Readonly<Fleet>,
  clusters: readonly string[],
  scratch: string,
): Promise<EditSelection> {
  const skipped: string[] = [];
  let chosenPrune:
    { edit: PruneEdit; deltas: Map<string, ObjectDelta>; base: Map<string, Map<string, string>> } | undefined;
  for (const edit of PRUNE_EDITS) {
    const base = await synthObjects(edit.base(fleet), scratch, `prune-${edit.name}-base`, clusters);
    const pruned = await synthObjects(edit.prune(edit.base(fleet)), scratch, `prune-${edit.name}-pruned`, clusters);
    const deltas = new Map(clusters.map((c) => [c, delta(base.get(c)!, pruned.get(c)!)]));
    const bad = clusters.filter(
      (c) => deltas.get(c)!.removed.length === 0 || (edit.pure && deltas.get(c)!.added.length > 0),
    );
    if (bad.length === 0) {
      chosenPrune = { edit, deltas, base };
      break;
    }
    skipped.push(
      `prune "${edit.name}": removes nothing${edit.pure ? ' (or also adds objects)' : ''} in ${bad.join(', ')}`,
    );
  }
  if (!chosenPrune) throw new Error(`no model edit removes an object from every cluster: ${skipped.join('; ')}`);

  const baseModel = chosenPrune.edit.base(fleet);
  for (const edit of CHANGE_EDITS) {
    const changed = await synthObjects(edit.apply(baseModel, 1), scratch, `change-${edit.name}`, clusters);
    const deltas = new Map(clusters.map((c) => [c, delta(chosenPrune.base.get(c)!, changed.get(c)!)]));
    const bad = clusters.filter(
      (c) => deltas.get(c)!.changed.length === 0 || deltas.get(c)!.added.length + deltas.get(c)!.removed.length > 0,
    );
    if (bad.length === 0)
      return { change: edit, prune: chosenPrune.edit, pruneDelta: chosenPrune.deltas, changeDelta: deltas, skipped };
    skipped.push(`change "${edit.name}": changes nothing (or adds/removes objects) in ${bad.join(', ')}`);
  }
  throw new Error(`no model edit changes every cluster in place: ${skipped.join('; ')}`);
}
