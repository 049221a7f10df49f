/**
 * Issue 15: every `fleet` command evaluated @kubernetes/client-node (≈1 MB of the 5.4 MB bundle, with its HTTP stack)
 * at startup, although only the commands that talk to clusters use it: `fleet --version` 100 MB RSS, 78 without.
 * The CLI runs as users run it (apps/fleet-cli/bin/fleet.js, bundled) in a child process whose module loader records
 * every resolution (testing/record-resolve.mjs): a command that does not talk to clusters never resolves the
 * library — inlined into the bundle or imported statically, it would be evaluated at startup — and one that does
 * resolves it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanScratch, REPO_ROOT, scratchDir } from './testing/run-cli.ts';

afterEach(cleanScratch);

const FLEET = path.join(REPO_ROOT, 'apps/fleet-cli/bin/fleet.js');
const RECORDER = path.join(REPO_ROOT, 'apps/fleet-cli/src/testing/record-resolve.mjs');
const KUBERNETES_CLIENT = '@kubernetes/client-node';
// The first run may bundle the sources (esbuild, a few seconds on a loaded machine).
const CHILD = { timeout: 120_000 };

/** Runs `fleet <args>` and returns its exit code and every `<specifier>\t<url>` its module loader resolved. */
function fleetResolving(args: readonly string[]): { code: number | null; stderr: string; resolved: string[] } {
  const record = path.join(scratchDir('fleet-resolve-'), 'resolved.txt');
  const env: NodeJS.ProcessEnv = { ...process.env, RECORD_RESOLVE: record };
  delete env.FLEET_NO_BUNDLE; // the bundle, as users run it
  const result = spawnSync(process.execPath, ['--import', RECORDER, FLEET, ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
  });
  const resolved = existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [];
  return { code: result.status, stderr: result.stderr, resolved };
}

const kubernetesClient = (resolved: readonly string[]) => resolved.filter((line) => line.includes(KUBERNETES_CLIENT));

describe('fleet startup loads the Kubernetes client only for commands that talk to clusters (issue 15)', () => {
  it('fleet --version does not load @kubernetes/client-node', CHILD, () => {
    const { code, stderr, resolved } = fleetResolving(['--version']);
    expect(code, stderr).toBe(0);
    // The recorder saw the CLI load (negative control: an empty record would prove nothing).
    expect(resolved.some((line) => /\/\.cache\/fleet-cli\/[0-9a-f]+\.mjs$/.test(line))).toBe(true);
    expect(kubernetesClient(resolved)).toStrictEqual([]);
  });

  it('fleet synth --check does not load @kubernetes/client-node', CHILD, () => {
    const { code, stderr, resolved } = fleetResolving(['synth', '--check']);
    expect(code, stderr).toBe(0);
    expect(resolved.length).toBeGreaterThan(0);
    expect(kubernetesClient(resolved)).toStrictEqual([]);
  });

  it('fleet status loads it, from node_modules (not inlined into the bundle)', CHILD, () => {
    const kubeconfig = path.join(scratchDir('fleet-kubeconfig-'), 'config');
    // One context that names no cluster of the fleet: every cluster is reported unreachable without a connection.
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]\n' +
        'users: [{ name: u, user: { token: t } }]\ncontexts: [{ name: ctx, context: { cluster: c, user: u } }]\n' +
        'current-context: ctx\n',
    );
    const { code, stderr, resolved } = fleetResolving(['status', '--kubeconfig', kubeconfig, '--timeout', '5s']);
    expect(stderr).toContain('no cluster could be read');
    expect(code).toBe(1);
    expect(kubernetesClient(resolved)).toContainEqual(
      expect.stringMatching(
        /^@kubernetes\/client-node\tfile:.*\/node_modules\/@kubernetes\/client-node\/dist\/index\.js$/,
      ),
    );
  });
});
