/**
 * The one test-only change to the synthesized tree, and its proof.
 *
 * The layer Kustomizations under `clusters/<cluster>/` say `wait: true` (and may list `healthChecks`): on AKS
 * kustomize-controller then waits until every Deployment has available replicas. Here no kubelet runs, Pods never
 * start, and such a Kustomization would report `HealthCheckFailed` after its timeout, blocking every layer that
 * `dependsOn` it. So, in the test repository only (a copy of the synthesized tree — the committed manifests are
 * never touched), every Flux Kustomization under `clusters/` gets `spec.wait: false` and loses `spec.healthChecks`.
 * Nothing else changes: `verifyOverlay()` proves every other file byte-identical to the synthesized tree and the
 * patched files equal to it in every other field. Readiness is then checked by what the API server holds.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';

const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io/';

export interface OverlayChange {
  /** Path relative to the tree root. */
  readonly file: string;
  readonly object: string;
  readonly changes: readonly string[];
}

/** Every file under `dir`, relative to `root`, sorted. */
export function listFiles(root: string, dir = ''): string[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute)
    .sort()
    .flatMap((name) => {
      const relative = path.join(dir, name);
      return statSync(path.join(root, relative)).isDirectory() ? listFiles(root, relative) : [relative];
    });
}

function isFluxKustomization(value: unknown): value is { kind: string; apiVersion: string; metadata?: { name?: string }; spec?: Record<string, unknown> } {
  const object = value as { apiVersion?: unknown; kind?: unknown } | null;
  return !!object && typeof object.apiVersion === 'string' && object.apiVersion.startsWith(FLUX_KUSTOMIZE_GROUP) && object.kind === 'Kustomization';
}

/** What the overlay does to one parsed object (also used to check the patched file against the original). */
function overlayObject(value: unknown): unknown {
  if (!isFluxKustomization(value) || !value.spec) return value;
  const { healthChecks: _healthChecks, ...spec } = value.spec;
  return { ...value, spec: { ...spec, ...('wait' in value.spec || 'healthChecks' in value.spec ? { wait: false } : {}) } };
}

/** Applies the overlay in place to `<root>/clusters/**`; returns what changed. */
export function applyNoKubeletOverlay(root: string): OverlayChange[] {
  const changes: OverlayChange[] = [];
  for (const file of listFiles(root, 'clusters').filter((f) => /\.ya?ml$/.test(f))) {
    const absolute = path.join(root, file);
    const docs = parseAllDocuments(readFileSync(absolute, 'utf8'));
    let changed = false;
    for (const doc of docs) {
      const value = doc.toJS() as unknown;
      if (!isFluxKustomization(value) || !value.spec) continue;
      const done: string[] = [];
      if (value.spec.wait === true) {
        doc.setIn(['spec', 'wait'], false);
        done.push('spec.wait: true → false');
      }
      if ('healthChecks' in value.spec) {
        doc.deleteIn(['spec', 'healthChecks']);
        done.push(`spec.healthChecks removed (${Array.isArray(value.spec.healthChecks) ? value.spec.healthChecks.length : 0} entries)`);
        if (value.spec.wait === undefined) doc.setIn(['spec', 'wait'], false);
      }
      if (done.length > 0) {
        changed = true;
        changes.push({ file, object: `Kustomization/${value.metadata?.name ?? '?'}`, changes: done });
      }
    }
    if (changed) writeFileSync(absolute, docs.map((doc) => doc.toString({ lineWidth: 0 })).join(''));
  }
  return changes;
}

/**
 * Proves the overlay changed nothing else: same file list under clusters/ and manifests/, every unpatched file
 * byte-identical, every patched file equal to the original once the overlay is applied to the original's objects.
 * Throws with the offending files.
 */
export function verifyOverlay(originalRoot: string, patchedRoot: string, changes: readonly OverlayChange[]): void {
  const problems: string[] = [];
  const patched = new Set(changes.map((c) => c.file));
  for (const top of ['clusters', 'manifests']) {
    const before = listFiles(originalRoot, top);
    const after = listFiles(patchedRoot, top);
    if (!isDeepStrictEqual(before, after)) problems.push(`${top}/: file lists differ (${before.length} synthesized, ${after.length} in the test repository)`);
    for (const file of before.filter((f) => after.includes(f))) {
      const a = readFileSync(path.join(originalRoot, file));
      const b = readFileSync(path.join(patchedRoot, file));
      if (!patched.has(file)) {
        if (!a.equals(b)) problems.push(`${file}: not byte-identical to the synthesized file`);
        continue;
      }
      const original = parseAllDocuments(a.toString('utf8')).map((d) => overlayObject(d.toJS()));
      const result = parseAllDocuments(b.toString('utf8')).map((d) => d.toJS() as unknown);
      if (!isDeepStrictEqual(original, result)) problems.push(`${file}: differs from the synthesized file beyond spec.wait/spec.healthChecks`);
      const header = (text: string): string => text.split('\n')[0] ?? '';
      if (header(a.toString('utf8')) !== header(b.toString('utf8'))) problems.push(`${file}: first line (generated header) changed`);
    }
  }
  if (problems.length > 0) throw new Error(`the no-kubelet overlay changed more than it may:\n  ${problems.join('\n  ')}`);
}
