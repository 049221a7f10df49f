/**
 * Where the harness finds its real binaries and CRDs. Nothing here is downloaded or copied into the repo:
 * binaries come from scripts/build-e2e-tools.sh (Go modules, pinned by tools/e2e/<tool>/go.mod), the Flux CRDs from
 * the pinned controller modules in the Go module cache, and the SecretProviderClass CRD from the schema location.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { schemaLocation } from '@aks-fleet/util';

const execFileAsync = promisify(execFile);

/** The workspace root (this file is libs/e2e/src/tools.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The processes of one region's control plane, in start order. */
export const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'source-controller',
  'kustomize-controller',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Every binary scripts/build-e2e-tools.sh builds: the components, and kustomize for the desired state. */
export const BINARIES = [...COMPONENTS, 'kustomize'] as const;
export type Binary = (typeof BINARIES)[number];

/** The AKS Key Vault CSI add-on installs this CRD; the cluster content emits SecretProviderClass objects. */
const SECRET_PROVIDER_CLASS_CRD = 'crds/secrets-store-csi-driver/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml';

export interface E2ETools {
  readonly binDir: string;
  bin(name: Binary): string;
  /** Directories holding the Flux CRDs of the pinned source-controller and kustomize-controller modules. */
  readonly fluxCrdDirs: readonly string[];
  /** CRD files applied to every region besides the Flux CRDs (what AKS add-ons provide). */
  readonly addOnCrdFiles: readonly string[];
}

export function binDir(): string {
  return process.env.E2E_TOOLS_BIN ?? path.join(REPO_ROOT, '.cache/tools/e2e/bin');
}

export { schemaLocation };

/** Directory of a Go module as pinned by one of the tools/e2e wrapper modules (read from the module cache). */
async function pinnedModuleDir(wrapper: string, module: string): Promise<string> {
  const cwd = path.join(REPO_ROOT, 'tools/e2e', wrapper);
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('go', ['list', '-m', '-f', '{{.Dir}}', module], { cwd, timeout: 60_000 }));
  } catch (error) {
    throw new Error(
      `cannot locate ${module} pinned by tools/e2e/${wrapper}: ${(error as Error).message.split('\n')[0]} — fix: run scripts/build-e2e-tools.sh (it downloads the pinned modules)`,
    );
  }
  const dir = stdout.trim();
  if (!dir || !existsSync(dir)) {
    throw new Error(
      `module ${module} (pinned by tools/e2e/${wrapper}) is not in the Go module cache — fix: run scripts/build-e2e-tools.sh`,
    );
  }
  return dir;
}

export async function locateTools(): Promise<E2ETools> {
  const dir = binDir();
  const missing = BINARIES.filter((name) => {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(
      `missing e2e binaries in ${dir}: ${missing.join(', ')} — fix: run scripts/build-e2e-tools.sh (cold build about 20 min)`,
    );
  }
  const [source, kustomize] = await Promise.all([
    pinnedModuleDir('source-controller', 'github.com/fluxcd/source-controller'),
    pinnedModuleDir('kustomize-controller', 'github.com/fluxcd/kustomize-controller'),
  ]);
  const fluxCrdDirs = [source, kustomize].map((moduleDir) => path.join(moduleDir, 'config/crd/bases'));
  for (const crdDir of fluxCrdDirs) {
    if (!existsSync(crdDir)) throw new Error(`no Flux CRDs at ${crdDir}`);
  }
  const spc = path.join(schemaLocation(), SECRET_PROVIDER_CLASS_CRD);
  if (!existsSync(spc)) {
    throw new Error(
      `SecretProviderClass CRD not found at ${spc} — fix: set FLEET_SCHEMA_LOCATION to the schema location (CI: ../shared/schemas)`,
    );
  }
  return { binDir: dir, bin: (name) => path.join(dir, name), fluxCrdDirs, addOnCrdFiles: [spc] };
}
