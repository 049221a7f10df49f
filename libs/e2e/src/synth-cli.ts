/**
 * Synthesis through the real command line (`fleet synth --fleet FILE --root DIR`), re-run from the current code of
 * the workspace at every step, plus a plain reader of what it wrote.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { objectKey, type KubeObject } from './kube-client.ts';
import { listFiles } from './tree-files.ts';
import { REPO_ROOT } from './tools.ts';

const execFileAsync = promisify(execFile);

export const FLEET_CLI = path.join(REPO_ROOT, 'apps/fleet-cli/bin/fleet.js');

export async function synthesize(fleetFile: string, root: string): Promise<void> {
  mkdirSync(root, { recursive: true }); // fleet synth refuses a --root that does not exist
  try {
    await execFileAsync(process.execPath, [FLEET_CLI, 'synth', '--fleet', fleetFile, '--root', root], {
      cwd: REPO_ROOT,
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`fleet synth --fleet ${fleetFile} failed: ${message.split('\n')[0]}\n${stdout}${stderr}`);
  }
}

/**
 * The objects synthesized for one cluster (`manifests/<cluster>/**` and `clusters/<cluster>/**`, kustomize's own
 * kustomization.yaml files left out), keyed by `objectKey()`, valued by their canonical JSON.
 */
export function synthesizedObjects(root: string, cluster: string): Map<string, string> {
  const objects = new Map<string, string>();
  for (const top of ['manifests', 'clusters']) {
    for (const file of listFiles(root, path.join(top, cluster)).filter((f) => /\.ya?ml$/.test(f))) {
      for (const doc of parseAllDocuments(readFileSync(path.join(root, file), 'utf8'))) {
        const object = doc.toJS() as KubeObject | null;
        if (
          !object ||
          typeof object !== 'object' ||
          !object.apiVersion ||
          object.apiVersion.startsWith('kustomize.config.k8s.io/')
        )
          continue;
        objects.set(objectKey(object), JSON.stringify(object));
      }
    }
  }
  return objects;
}
