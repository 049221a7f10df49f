/**
 * `kustomize build` of every folder, with the real pinned kustomize — one build per root folder
 * (`manifests/<cluster>`, `clusters/<cluster>`), which builds the layer folders it lists too, all roots in parallel.
 * Only when a root fails are its folders built one by one, so each finding still names the folder that fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

/** Why `kustomize build folder` fails (its first error line), or undefined when it builds. */
function build(kustomize: string, root: string, folder: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(kustomize, ['build', path.join(root, folder)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve(error.message.trim().split('\n')[0]!));
    child.on('close', (code) => resolve(code === 0 ? undefined : (stderr || 'failed').trim().split('\n')[0]!));
  });
}

/** The folders a build of `folder` also builds: itself and, recursively, the listed resources that are folders. */
function coveredBy(root: string, folder: string, folders: ReadonlySet<string>): string[] {
  let resources: unknown;
  try {
    resources = (parse(readFileSync(path.join(root, folder, 'kustomization.yaml'), 'utf8')) as { resources?: unknown } | null)?.resources;
  } catch {
    return [folder];
  }
  const children = (Array.isArray(resources) ? resources : [])
    .filter((r): r is string => typeof r === 'string')
    .map((r) => path.posix.join(folder, r))
    .filter((child) => folders.has(child) && existsSync(path.join(root, child)));
  return [folder, ...children.flatMap((child) => coveredBy(root, child, folders))];
}

/** Groups of folders, each built through its first folder; every folder is in exactly one group. */
function buildGroups(root: string, folders: readonly string[]): string[][] {
  const all = new Set(folders);
  const grouped = new Set<string>();
  const groups: string[][] = [];
  for (const top of folders.filter((f) => !all.has(path.posix.dirname(f)))) {
    const group = [...new Set(coveredBy(root, top, all))].filter((f) => !grouped.has(f));
    for (const f of group) grouped.add(f);
    groups.push(group);
  }
  for (const rest of folders.filter((f) => !grouped.has(f))) groups.push([rest]);
  return groups;
}

/** Runs `task` on every item, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export const kustomizeRules: Rule[] = [
  {
    id: 'kustomize/build',
    rationale: 'kustomize-controller builds each path exactly like this; a folder that does not build never reconciles.',
    check: async (context) => {
      const folders = context.clusters.filter((c) => !context.unchanged?.has(c.name)).flatMap((c) => c.folders);
      const kustomize = context.kustomize;
      if (!kustomize) {
        return folders.length === 0 ? [] : [{ severity: 'ERROR', rule: 'kustomize/build', file: folders[0]!, object: '-', message: 'kustomize is not installed', fix: 'run scripts/install-tools.sh' }];
      }
      const failures = new Map<string, string>();
      await eachLimited(buildGroups(context.root, folders), availableParallelism(), async ([top, ...rest]) => {
        const reason = await build(kustomize, context.root, top!);
        if (reason === undefined) return; // the top folder builds, so does every folder it lists
        failures.set(top!, reason);
        for (const folder of rest) {
          const own = await build(kustomize, context.root, folder);
          if (own !== undefined) failures.set(folder, own);
        }
      });
      return folders
        .filter((folder) => failures.has(folder))
        .map((folder): Finding => ({ severity: 'ERROR', rule: 'kustomize/build', file: `${folder}/kustomization.yaml`, object: '-', message: `kustomize build fails: ${failures.get(folder)}`, fix: 'list only existing files in kustomization.yaml (re-synthesize)' }));
    },
  },
];
