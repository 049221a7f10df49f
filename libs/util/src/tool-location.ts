/**
 * Where the pinned command-line tools live: scripts/install-tools.sh installs them into
 * `<repository>/.cache/tools/bin`; FLEET_KUSTOMIZE points at another kustomize.
 */
import path from 'node:path';

export const TOOLS_BIN = '.cache/tools/bin';

/** The kustomize binary to run for the repository at `root` (it may not exist yet: callers check). */
export function kustomizeLocation(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.FLEET_KUSTOMIZE ?? path.join(root, TOOLS_BIN, 'kustomize');
}
