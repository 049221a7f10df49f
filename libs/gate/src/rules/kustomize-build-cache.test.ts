import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toYaml } from '@aks-fleet/synth';
import { kustomizeLocation } from '@aks-fleet/util';
import { afterEach, describe, expect, it } from 'vitest';
import type { GateContext } from '../rule.ts';
import { readClusterTrees } from '../tree.ts';
import { clusterBuildKey } from './kustomize-build-cache.ts';
import { kustomizeRules } from './kustomize-rules.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const KUSTOMIZE = kustomizeLocation(REPO);
const NAMES = ['c0', 'c1', 'c2'];
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function temporary(prefix: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

const kustomization = (resources: string[], extra: object = {}) =>
  toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...extra, resources });

/** manifests/<c>/{kustomization.yaml, app/…} and clusters/<c>/…, each with a ConfigMap: the shape synthesis writes. */
function writeTree(root: string, cluster: string, name = 'settings'): void {
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  const configMap = (n: string) =>
    toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'app' }, data: { a: '1' } });
  write(`manifests/${cluster}/kustomization.yaml`, kustomization(['app']));
  write(`manifests/${cluster}/app/kustomization.yaml`, kustomization(['configmap.yaml']));
  write(`manifests/${cluster}/app/configmap.yaml`, configMap(name));
  write(`clusters/${cluster}/kustomization.yaml`, kustomization(['entry.yaml']));
  write(`clusters/${cluster}/entry.yaml`, configMap('entry'));
}

async function build(root: string, cache: string): Promise<string[]> {
  const context = {
    root,
    clusters: readClusterTrees(root),
    kustomize: KUSTOMIZE,
    kustomizeCache: cache,
    policy: { maxCpu: 1, maxMemory: 1, allowedRegistries: [] },
    exceptions: [],
  } satisfies GateContext;
  return (await kustomizeRules[0]!.check(context)).map((f) => `${f.file}: ${f.message}`);
}

/** Record files and their modification times. */
function records(cache: string): Map<string, number> {
  return new Map(readdirSync(cache).map((name) => [name, statSync(path.join(cache, name)).mtimeMs]));
}

describe('kustomize/build: passed builds recorded by content', () => {
  it('builds only the cluster whose files changed, and finds its new failure (never served from the record)', async () => {
    // GIVEN three valid clusters, built once: one record each
    const root = temporary('gate-cache-');
    const cache = path.join(temporary('kustomize-builds-'), 'records');
    for (const c of NAMES) writeTree(root, c);
    expect(await build(root, cache)).toStrictEqual([]);
    const first = records(cache);
    expect(first.size).toBe(NAMES.length);
    for (const name of first.keys()) utimesSync(path.join(cache, name), new Date(2000, 0, 1), new Date(2000, 0, 1));

    // WHEN c1 changes (still valid) and everything is validated again
    writeTree(root, 'c1', 'renamed');
    expect(await build(root, cache)).toStrictEqual([]);
    // THEN exactly one new record (c1's), and the others were not rewritten (those clusters were not built)
    const second = records(cache);
    const fresh = [...second].filter(([, mtime]) => mtime > new Date(2001, 0, 1).getTime());
    expect(second.size).toBe(NAMES.length + 1);
    expect(fresh.map(([name]) => first.has(name))).toStrictEqual([false]);

    // WHEN c2 breaks (an empty name): its build runs and fails, whatever the record of its old content says
    writeTree(root, 'c2', '');
    expect(await build(root, cache)).toStrictEqual([
      expect.stringMatching(/^manifests\/c2\/kustomization\.yaml: kustomize build fails: /),
      expect.stringMatching(/^manifests\/c2\/app\/kustomization\.yaml: kustomize build fails: /),
    ]);
    expect(records(cache).size).toBe(NAMES.length + 1);
  });

  it('does not trust a record whose content is not its key (the cluster is built and the record rewritten)', async () => {
    const root = temporary('gate-cache-');
    const cache = temporary('kustomize-builds-');
    writeTree(root, 'c0');
    await build(root, cache);
    const [name] = [...records(cache).keys()];
    writeFileSync(path.join(cache, name!), 'garbage');
    expect(await build(root, cache)).toStrictEqual([]);
    expect(readFileSync(path.join(cache, name!), 'utf8')).toBe(name);
  });

  it('keys a cluster only when the hash covers every input of its build', () => {
    const root = temporary('gate-cache-');
    writeTree(root, 'c0');
    writeTree(root, 'c1');
    const key = () => clusterBuildKey(KUSTOMIZE, readClusterTrees(root)[0]!, ['manifests/c0', 'clusters/c0']);
    const plain = key();
    expect(plain).toMatch(/^[0-9a-f]{64}$/);
    // any file of the cluster, even one no kustomization lists, changes the key
    writeFileSync(path.join(root, 'manifests/c0/app/notes.txt'), 'x');
    expect(key()).not.toBe(plain);
    const app = path.join(root, 'manifests/c0/app/kustomization.yaml');
    for (const [why, content] of [
      [
        'a field other than resources (inputs the check does not follow)',
        kustomization(['configmap.yaml'], { namePrefix: 'x-' }),
      ],
      ['a file of another cluster', kustomization(['configmap.yaml', '../../c1/app/configmap.yaml'])],
      ['a remote resource', kustomization(['configmap.yaml', 'https://example.com/base'])],
      ['a resource that is not a file of the tree', kustomization(['configmap.yaml', 'missing.yaml'])],
    ] as const) {
      writeFileSync(app, content);
      expect(key(), why).toBeUndefined();
    }
  });
});
