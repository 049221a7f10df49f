/**
 * Test helpers: run the CLI in-process capturing its output, make scratch repository roots, and find the real
 * kustomize installed by scripts/install-tools.sh.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kustomizeLocation } from '@aks-fleet/util';
import { stringify } from 'yaml';
import { main } from '../main.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const scratch: string[] = [];

/** A new empty folder (removed by `cleanScratch`). */
export function scratchDir(prefix = 'fleet-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export function cleanScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes a fleet document to a scratch file and returns its path. */
export function writeFleetFile(document: unknown): string {
  const file = path.join(scratchDir('fleet-file-'), 'fleet.yaml');
  writeFileSync(file, stringify(document));
  return file;
}

/** Every file below `root` with its content, keyed by forward-slash relative path. */
export function readTree(root: string, folder = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const absolute = path.join(root, folder);
  if (!existsSync(absolute)) return out;
  for (const entry of readdirSync(absolute, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, readTree(root, relative));
    else out[relative] = readFileSync(path.join(root, relative), 'utf8');
  }
  return out;
}

/** The pinned kustomize from the tools cache; fails loudly (never skips) when it is missing. */
export function kustomizeBinary(): string {
  const binary = kustomizeLocation(REPO_ROOT);
  if (!existsSync(binary)) {
    throw new Error(`kustomize not found at ${binary}: run scripts/install-tools.sh (npm test does it for you)`);
  }
  return binary;
}
