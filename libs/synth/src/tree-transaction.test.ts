import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { applyTree, planStaged, planTree, recoverInterrupted, Staging, TRANSACTION_DIR } from './tree-transaction.ts';
import { TreeRefusedError } from './tree-errors.ts';
import { GENERATED_HEADER } from './yaml-format.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const generated = (body: string) => `${GENERATED_HEADER}\n${body}\n`;

/** A repository-like tree: two owned files, one stale owned file, one hand-written file. */
function fixture(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fleet-tree-'));
  roots.push(root);
  const files: Record<string, string> = {
    'manifests/c1/baseline/keep.yaml': generated('keep'),
    'manifests/c1/baseline/change.yaml': generated('old'),
    'manifests/c1/old-layer/stale.yaml': generated('stale'),
    'manifests/c1/README.md': 'hand-written notes\n',
    'manifests/gone/baseline/x.yaml': generated('gone cluster'),
    'clusters/c1/kustomization.yaml': generated('entry'),
    'other/untouched.yaml': generated('outside the scope'),
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

/** Every file under root (except the transaction folder) with its content. */
function snapshot(root: string, folder = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, snapshot(root, relative));
    else out[relative] = readFileSync(path.join(root, relative), 'utf8');
  }
  return out;
}

/** Every folder under root, sorted. */
function folders(root: string, folder = ''): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      return [relative, ...folders(root, relative)];
    })
    .sort();
}

const desired = [
  { path: 'manifests/c1/baseline/keep.yaml', content: generated('keep') },
  { path: 'manifests/c1/baseline/change.yaml', content: generated('new') },
  { path: 'manifests/c1/policy/added.yaml', content: generated('added') },
  { path: 'clusters/c1/kustomization.yaml', content: generated('entry') },
];

describe('planTree', () => {
  it('classifies writes, unchanged files, stale owned files and foreign files', () => {
    const root = fixture();
    const plan = planTree(root, ['manifests', 'clusters'], desired);
    expect(plan.write.map((f) => f.path)).toStrictEqual([
      'manifests/c1/baseline/change.yaml',
      'manifests/c1/policy/added.yaml',
    ]);
    expect(plan.created).toStrictEqual(['manifests/c1/policy/added.yaml']);
    expect(plan.unchanged).toStrictEqual(['clusters/c1/kustomization.yaml', 'manifests/c1/baseline/keep.yaml']);
    expect(plan.remove).toStrictEqual(['manifests/c1/old-layer/stale.yaml', 'manifests/gone/baseline/x.yaml']);
    expect(plan.foreign).toStrictEqual(['manifests/c1/README.md']);
  });
});

const planners = {
  planTree: (root: string, want: typeof desired) => planTree(root, ['manifests', 'clusters'], want),
  // Staged while rendering: an unsafe path is never read or staged, and the plan refuses before the tree is touched.
  'Staging + planStaged': (root: string, want: typeof desired) => {
    const staging = Staging.open(root, true);
    try {
      return planStaged(
        root,
        ['manifests', 'clusters'],
        want.map((file) => staging.stage(file)),
      );
    } finally {
      staging.discard();
      if (existsSync(path.join(root, TRANSACTION_DIR))) throw new Error('a refused run left its staging folder');
    }
  },
};

describe.each(Object.entries(planners))('%s refuses before writing anything', (_name, plan) => {
  const refusal = (root: string, want = desired) => {
    try {
      plan(root, want);
    } catch (error) {
      expect(error).toBeInstanceOf(TreeRefusedError);
      return (error as TreeRefusedError).problems.map((p) => `${p.path}: ${p.problem}`);
    }
    throw new Error('planTree did not refuse');
  };

  it('a hand-written file where synthesis writes (no silent overwrite)', () => {
    const root = fixture();
    writeFileSync(path.join(root, 'manifests/c1/baseline/change.yaml'), 'kind: Mine\n');
    expect(refusal(root)).toStrictEqual([
      'manifests/c1/baseline/change.yaml: was not generated by aks-fleet (no generated header) and synthesis would overwrite it',
    ]);
  });

  it('a symlink out of the repository, as an owned folder, on the way, or inside a folder in scope', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'fleet-outside-'));
    roots.push(outside);
    for (const [link, expected] of [
      ['clusters', 'clusters'],
      ['manifests/c1/baseline', 'manifests/c1/baseline'],
      ['manifests/c1/extra.yaml', 'manifests/c1/extra.yaml'],
    ] as const) {
      const root = fixture();
      const absolute = path.join(root, link);
      rmSync(absolute, { recursive: true, force: true });
      symlinkSync(outside, absolute);
      expect(refusal(root)).toStrictEqual([
        `${expected}: is a symlink to ${outside}, outside the repository ${realpathSync(root)}`,
      ]);
    }
  });

  it('a FIFO, a folder or a file in the way (without blocking on the FIFO)', () => {
    const root = fixture();
    rmSync(path.join(root, 'manifests/c1/baseline/change.yaml'));
    execFileSync('mkfifo', [path.join(root, 'manifests/c1/baseline/change.yaml')]);
    rmSync(path.join(root, 'manifests/c1/baseline/keep.yaml'));
    mkdirSync(path.join(root, 'manifests/c1/baseline/keep.yaml'));
    writeFileSync(path.join(root, 'manifests/c1/policy'), 'a file\n');
    expect(refusal(root)).toStrictEqual([
      'manifests/c1/baseline/change.yaml: is a FIFO where synthesis writes a file',
      'manifests/c1/baseline/keep.yaml: is a folder where synthesis writes a file',
      'manifests/c1/policy: is a file where synthesis needs a folder (on the way to manifests/c1/policy/added.yaml)',
    ]);
  });
});

describe('Staging', () => {
  it('stages only what differs and plans like planTree', () => {
    const root = fixture();
    const staging = Staging.open(root, true);
    const staged = desired.map((file) => staging.stage(file));
    expect(staged.map((file) => file.state)).toStrictEqual(['unchanged', 'changed', 'created', 'unchanged']);
    expect(readdirSync(path.join(staging.dir!, 'new/manifests/c1'), { recursive: true }).sort()).toStrictEqual([
      'baseline',
      'baseline/change.yaml',
      'policy',
      'policy/added.yaml',
    ]);
    const plan = planStaged(root, ['manifests', 'clusters'], staged);
    const expected = planTree(root, ['manifests', 'clusters'], desired);
    expect({ ...plan, write: plan.write.map((f) => f.path) }).toStrictEqual({
      ...expected,
      write: expected.write.map((f) => f.path),
    });

    applyTree(root, plan, { prune: ['manifests', 'clusters'], staging });
    expect(readFileSync(path.join(root, 'manifests/c1/policy/added.yaml'), 'utf8')).toBe(generated('added'));
    expect(readFileSync(path.join(root, 'manifests/c1/baseline/change.yaml'), 'utf8')).toBe(generated('new'));
    expect(existsSync(path.join(root, TRANSACTION_DIR))).toBe(false);
  });

  it('stages several files of a missing folder as created, and tells a file from a missing one in an existing folder', () => {
    // GIVEN a tree without clusters/c9 and a staging that has already looked at that folder
    const root = fixture();
    const staging = Staging.open(root, false);
    const file = (p: string) => ({ path: p, content: generated(p) });
    // WHEN files below the missing folder and beside existing files are staged
    const states = [
      file('clusters/c9/a/one.yaml'),
      file('clusters/c9/a/two.yaml'),
      file('clusters/c9/b/three.yaml'),
      file('manifests/c1/baseline/new-file.yaml'),
      { path: desired[0]!.path, content: desired[0]!.content },
    ].map((f) => staging.stage(f).state);
    // THEN the first four are new; the existing one is still compared
    expect(states).toStrictEqual(['created', 'created', 'created', 'created', 'unchanged']);
  });

  it('writes nothing when only comparing (check mode), and discard leaves no transaction folder', () => {
    const root = fixture();
    const before = snapshot(root);
    const compare = Staging.open(root, false);
    expect(desired.map((file) => compare.stage(file).state)).toStrictEqual([
      'unchanged',
      'changed',
      'created',
      'unchanged',
    ]);
    const staging = Staging.open(root, true);
    for (const file of desired) staging.stage(file);
    staging.discard();
    expect(snapshot(root)).toStrictEqual(before);
  });
});

describe('applyTree', () => {
  it('writes changes, removes stale owned files and empty folders, and never touches foreign files', () => {
    const root = fixture();
    applyTree(root, planTree(root, ['manifests', 'clusters'], desired), { prune: ['manifests', 'clusters'] });
    expect(snapshot(root)).toStrictEqual({
      'clusters/c1/kustomization.yaml': generated('entry'),
      'manifests/c1/README.md': 'hand-written notes\n',
      'manifests/c1/baseline/change.yaml': generated('new'),
      'manifests/c1/baseline/keep.yaml': generated('keep'),
      'manifests/c1/policy/added.yaml': generated('added'),
      'other/untouched.yaml': generated('outside the scope'),
    });
    expect(existsSync(path.join(root, 'manifests/gone'))).toBe(false);
    expect(existsSync(path.join(root, TRANSACTION_DIR))).toBe(false);
  });

  it('applies a plan that only removes files (regression: the journal folder was never created)', () => {
    const root = fixture();
    const plan = planTree(root, ['manifests/gone'], []);
    expect(plan.write).toHaveLength(0);
    applyTree(root, plan, { prune: ['manifests/gone'] });
    expect(existsSync(path.join(root, 'manifests/gone'))).toBe(false);
    expect(existsSync(path.join(root, 'manifests/c1/baseline/keep.yaml'))).toBe(true);
  });

  it('is a no-op on a second run', () => {
    const root = fixture();
    applyTree(root, planTree(root, ['manifests', 'clusters'], desired));
    const plan = planTree(root, ['manifests', 'clusters'], desired);
    expect(plan.write).toHaveLength(0);
    expect(plan.remove).toHaveLength(0);
  });

  it.each([0, 1, 2, 3])('fails at operation %i and leaves the previous tree byte-identical', (failAt) => {
    const root = fixture();
    const before = snapshot(root);
    const foldersBefore = folders(root);
    const plan = planTree(root, ['manifests', 'clusters'], desired);
    expect(() =>
      applyTree(root, plan, {
        beforeOperation: (index) => {
          if (index === failAt) throw new Error(`injected failure at ${index}`);
        },
      }),
    ).toThrow(`injected failure at ${failAt}`);
    expect(snapshot(root)).toStrictEqual(before);
    expect(folders(root)).toStrictEqual(foldersBefore);
  });

  it.each([1, 3])(
    'survives a SIGKILL before operation %i: the next run restores the previous tree byte for byte',
    (killAt) => {
      const root = fixture();
      const before = snapshot(root);
      const foldersBefore = folders(root);
      const plan = planTree(root, ['manifests', 'clusters'], desired);
      const planFile = path.join(root, '..', `${path.basename(root)}-plan.json`);
      writeFileSync(planFile, JSON.stringify(plan));
      roots.push(planFile);
      const helper = fileURLToPath(new URL('./testing/crash-during-apply.ts', import.meta.url));
      const child = spawnSync(process.execPath, ['--import', 'tsx', helper, root, planFile, String(killAt)], {
        encoding: 'utf8',
      });
      expect(child.signal).toBe('SIGKILL');
      // The crash left a half-applied tree and a journal behind.
      expect(existsSync(path.join(root, TRANSACTION_DIR))).toBe(true);
      expect(snapshot(root)).not.toStrictEqual(before);

      expect(recoverInterrupted(root)).toBe(1);
      expect(snapshot(root)).toStrictEqual(before);
      // No folder the crashed run created is left behind, empty or not.
      expect(folders(root)).toStrictEqual(foldersBefore);
    },
  );
});
