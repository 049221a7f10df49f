/**
 * Staged rollout on the real control planes: the test fleet (three regions) in two waves — `canary` (eastus2)
 * follows the model's branch, `rest` (centralus, westus3) follows `fleet/wave-rest` — with real Flux in every
 * region, and the real `fleet status` / `fleet rollout` commands reading the clusters through a kubeconfig and moving
 * refs with plain git in a clone of the served repository. Scenarios (the issue's numbering) build on each other:
 * 1 a commit reaches wave 1 only; 2 promote waits for the soak; 3 a bad revision is held in wave 1 and its fix
 * travels both waves; 4 fleet status --json equals what the harness observes, a stopped region included; 5 pause
 * blocks promote, resume lets it through. Every cluster × scenario lands in the results table.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { rolloutWaves, type Fleet } from '@aks-fleet/fleet';
import { parse, parseDocument, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fluxStatus, gitRepositoryRef, kustomizationRef, readFluxStatuses, waitForRevision } from './convergence.ts';
import type { DesiredState } from './desired-state.ts';
import { E2E_STATE_DIR, FleetEnvironment, type RegionHandle } from './fleet-environment.ts';
import { fingerprints } from './fingerprints.ts';
import { CHANGE_EDITS } from './model-edits.ts';
import { ResultTable } from './results.ts';
import { FLEET_CLI } from './synth-cli.ts';
import type { Commit } from './test-repository.ts';
import { loadTestFleet, writeFleetFile } from './test-fleet.ts';
import { REPO_ROOT } from './tools.ts';
import { pollUntil, secondsSince } from './wait.ts';

const execFileAsync = promisify(execFile);

/** Long enough that a promote right after wave 1 converged is inside it; short enough for the suite. */
const SOAK = '30s';
const CONVERGE_TIMEOUT_MS = 120_000;
const RESULTS_FILE = process.env.E2E_ROLLOUT_RESULTS_FILE ?? path.join(E2E_STATE_DIR, 'rollout-results.json');
/** Every object of every cluster carries the fleet name (label aks-fleet.io/fleet): each step changes them all. */
const EVERY_OBJECT = CHANGE_EDITS.find((e) => e.name === 'fleet-name')!;

const results = new ResultTable(RESULTS_FILE);
const log = (line: string): void => {
  process.stdout.write(`[e2e rollout] ${line}\n`);
};

let env: FleetEnvironment;
let fleet: Fleet;
let files: { fleet: string; kubeconfig: string; contexts: string };
/** Desired state of every cluster per commit sha (wave 2 runs an older commit than the work tree). */
const desiredAt = new Map<string, Map<string, DesiredState>>();
/** The commit each wave runs now. */
const running = new Map<string, Commit>();
let step = 0;
/** `fleet rollout promote rest` right after wave 1 converged (scenario 1), judged in scenario 2. */
let early: CliResult;

function waveFleet(): Fleet {
  const base = loadTestFleet();
  const [first, ...rest] = Object.keys(base.spec.regions);
  base.spec.rollout = {
    waves: [
      { name: 'canary', regions: [first!], clusters: [], soak: SOAK, approval: false },
      { name: 'rest', regions: rest, clusters: [], soak: SOAK, approval: true },
    ],
  };
  return base;
}

const waves = (): ReturnType<typeof rolloutWaves> => rolloutWaves(fleet.spec);
const regionsOf = (wave: string): RegionHandle[] =>
  env.regions.filter((r) =>
    waves()
      .find((w) => w.name === wave)!
      .clusters.includes(r.cluster),
  );
const branchOf = (wave: string): string => waves().find((w) => w.name === wave)!.branch;
const revisionOf = (wave: string, commit: Commit): string => `${branchOf(wave)}@sha1:${commit.sha}`;

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real `fleet` command, against the test repository's clone and the regions' kubeconfig. */
async function fleetCli(args: readonly string[]): Promise<CliResult> {
  const git = {
    GIT_AUTHOR_NAME: 'aks-fleet e2e',
    GIT_AUTHOR_EMAIL: 'e2e@aks-fleet.invalid',
    GIT_COMMITTER_NAME: 'aks-fleet e2e',
    GIT_COMMITTER_EMAIL: 'e2e@aks-fleet.invalid',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [FLEET_CLI, ...args], {
      cwd: REPO_ROOT,
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, ...git },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const sourceArgs = (): string[] => [
  '--fleet',
  files.fleet,
  '--kubeconfig',
  files.kubeconfig,
  '--contexts',
  files.contexts,
  '--timeout',
  '5s',
];
const rolloutArgs = (): string[] => [...sourceArgs(), '--root', env.repository.workTree, '--remote', 'origin'];

async function git(args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', [...args], {
    cwd: env.repository.workTree,
    env: { PATH: process.env.PATH, HOME: env.repository.dir, GIT_CONFIG_NOSYSTEM: '1' },
  });
  return stdout.trim();
}

const remoteHead = async (branch: string): Promise<string | undefined> =>
  (await git(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`])).split('\t')[0] || undefined;

/** One kubeconfig with a context per region (`e2e-<region>`) and the cluster → context mapping file. */
function writeClusterAccess(dir: string): { kubeconfig: string; contexts: string } {
  const merged = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [] as unknown[],
    users: [] as unknown[],
    contexts: [] as unknown[],
    'current-context': '',
  };
  const mapping: Record<string, string> = {};
  for (const region of env.regions) {
    const config = parse(readFileSync(region.controlPlane.kubeconfig, 'utf8')) as {
      clusters: Array<{ cluster: unknown }>;
      users: Array<{ user: unknown }>;
    };
    const name = `e2e-${region.region}`;
    merged.clusters.push({ name, cluster: config.clusters[0]!.cluster });
    merged.users.push({ name, user: config.users[0]!.user });
    merged.contexts.push({ name, context: { cluster: name, user: name } });
    mapping[region.cluster] = name;
  }
  merged['current-context'] = String((merged.contexts[0] as { name: string }).name);
  const kubeconfig = path.join(dir, 'kubeconfig');
  const contexts = path.join(dir, 'contexts.yaml');
  writeFileSync(kubeconfig, stringify(merged), { mode: 0o600 });
  writeFileSync(contexts, stringify(mapping));
  return { kubeconfig, contexts };
}

/** Commits the fleet at the next step of the every-object edit (optionally damaged) and records what it holds. */
async function commitStep(message: string, mutate?: (workTree: string) => void): Promise<Commit> {
  step++;
  const commit = await env.commitModel(EVERY_OBJECT.apply(fleet, step), message, mutate ? { mutate } : {});
  // A damaged commit does not build for the damaged cluster: it has no desired state there (it must keep the last one).
  const states = await Promise.all(
    env.regions.map(async (r) => [r.cluster, await env.desiredState(r.cluster).catch(() => undefined)] as const),
  );
  desiredAt.set(commit.sha, new Map(states.filter((e): e is readonly [string, DesiredState] => e[1] !== undefined)));
  if (!mutate && states.some(([, d]) => !d))
    throw new Error(`commit ${commit.sha}: the synthesized tree does not build for every cluster`);
  return commit;
}

/** A reconcile request on the regions' GitRepository, answered: returns once source-controller handled it. */
async function fetchNow(regions: readonly RegionHandle[]): Promise<void> {
  const token = new Date().toISOString();
  await Promise.all(
    regions.map(async (r) => {
      await r.client.mergePatch(
        gitRepositoryRef,
        { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token } } },
        { fieldManager: 'aks-fleet-e2e-reconcile-request' },
      );
      await pollUntil(
        `${r.region}: GitRepository handled the reconcile request`,
        async () => {
          const handled = (
            (await r.client.get(gitRepositoryRef))?.status as { lastHandledReconcileAt?: string } | undefined
          )?.lastHandledReconcileAt;
          return handled === token
            ? { done: true, value: undefined }
            : { done: false, state: `lastHandledReconcileAt=${handled}` };
        },
        { timeoutMs: 60_000 },
      );
    }),
  );
}

async function converge(wave: string, commit: Commit, since: number): Promise<Map<string, number>> {
  const seconds = new Map<string, number>();
  await Promise.all(
    regionsOf(wave).map(async (r) => {
      const desired = desiredAt.get(commit.sha)!.get(r.cluster)!;
      seconds.set(
        r.cluster,
        await waitForRevision(r.client, desired, revisionOf(wave, commit), {
          timeoutMs: CONVERGE_TIMEOUT_MS,
          nudge: true,
          since,
        }),
      );
    }),
  );
  running.set(wave, commit);
  return seconds;
}

/** Wave `rest` untouched since `before`: its source still serves, and every layer still applies, the commit it runs. */
async function expectWaveUntouched(wave: string, before: ReadonlyMap<string, Map<string, string>>): Promise<string[]> {
  const problems: string[] = [];
  const commit = running.get(wave)!;
  await fetchNow(regionsOf(wave));
  for (const r of regionsOf(wave)) {
    const { source, kustomizations } = await readFluxStatuses(r.client, desiredAt.get(commit.sha)!.get(r.cluster)!);
    if (source.artifactRevision !== revisionOf(wave, commit))
      problems.push(`${r.cluster}: source at ${source.artifactRevision}, expected ${revisionOf(wave, commit)}`);
    for (const k of kustomizations)
      if (k.lastAppliedRevision !== revisionOf(wave, commit))
        problems.push(`${r.cluster}: ${k.name} applied ${k.lastAppliedRevision}`);
    const after = await fingerprints(r);
    const changed = [...before.get(r.cluster)!].filter(([key, print]) => after.get(key) !== print).map(([key]) => key);
    if (changed.length > 0)
      problems.push(`${r.cluster}: ${changed.length} objects changed, e.g. ${changed.slice(0, 3).join(', ')}`);
  }
  return problems;
}

/** `fleet rollout promote rest`, waiting for the soak. */
const promoteRest = (): Promise<CliResult> =>
  fleetCli(['rollout', 'promote', 'rest', '--wait', '2m', '--interval', '2s', ...rolloutArgs()]);

/** After wave `rest`'s branch moved to `commit`: a reconcile request, then its convergence (seconds per cluster). */
async function followRest(commit: Commit): Promise<Map<string, number>> {
  const movedAt = performance.now();
  await fetchNow(regionsOf('rest'));
  return converge('rest', commit, movedAt);
}

/** One row per region of wave `rest`: untouched since `before` (see expectWaveUntouched), or its problems. */
async function rowsUntouched(
  scenario: string,
  before: ReadonlyMap<string, Map<string, string>>,
  note: (region: RegionHandle) => string,
): Promise<void> {
  const problems = await expectWaveUntouched('rest', before);
  await results.perRegion(scenario, regionsOf('rest'), async (r) => {
    const own = problems.filter((p) => p.startsWith(`${r.cluster}:`));
    if (own.length > 0) throw new Error(own.join('; '));
    return { note: note(r) };
  });
}

async function waveFingerprints(wave: string): Promise<Map<string, Map<string, string>>> {
  return new Map(await Promise.all(regionsOf(wave).map(async (r) => [r.cluster, await fingerprints(r)] as const)));
}

beforeAll(async () => {
  fleet = waveFleet();
  log(
    `waves: ${waves()
      .map((w) => `${w.name} [${w.clusters.join(', ')}] → ${w.branch}, soak ${w.soak}`)
      .join('; ')}`,
  );
  env = await FleetEnvironment.start(fleet, { log });
  const dir = path.join(env.runDir, 'rollout');
  mkdirSync(dir, { recursive: true });
  files = { fleet: path.join(dir, 'fleet.yaml'), ...writeClusterAccess(dir) };
  writeFleetFile(fleet, files.fleet);
  results.info(
    'waves',
    waves().map((w) => ({ name: w.name, clusters: w.clusters, branch: w.branch, soak: w.soak })),
  );
});

afterAll(async () => {
  if (env) await env.stop();
});

describe.sequential('staged rollout across waves on the regional control planes', () => {
  it('0 bootstrap: every wave at the first commit (wave 1 on the model branch, wave 2 on fleet/wave-rest)', async () => {
    const commit = await commitStep('bootstrap: the wave fleet');
    // Day one: the wave branches start where the model branch is (README: "create the wave branches once").
    await git(['push', '-q', 'origin', `${commit.sha}:refs/heads/${branchOf('rest')}`]);
    await results.perRegion('0 bootstrap', env.regions, async (region) => {
      const since = performance.now();
      await env.bootstrap(region);
      const wave = waves().find((w) => w.clusters.includes(region.cluster))!;
      const desired = desiredAt.get(commit.sha)!.get(region.cluster)!;
      const seconds = await waitForRevision(region.client, desired, revisionOf(wave.name, commit), {
        timeoutMs: CONVERGE_TIMEOUT_MS,
        nudge: true,
        since,
      });
      return {
        seconds,
        note: `wave ${wave.name}: GitRepository follows ${wave.branch}; Ready at ${commit.sha.slice(0, 8)}`,
      };
    });
    running.set('canary', commit);
    running.set('rest', commit);
    expect(await remoteHead(branchOf('rest'))).toBe(commit.sha);
  });

  it('1 a commit reaches wave 1 only; wave 2 stays at the previous revision, its objects untouched', async () => {
    const before = await waveFingerprints('rest');
    const commit = await commitStep('change 1: every object of every cluster');
    await fetchNow(regionsOf('canary'));
    const seconds = await converge('canary', commit, commit.pushedAt);
    // Inside the soak by construction: the canary has just become Ready at the commit.
    early = await fleetCli(['rollout', 'promote', 'rest', ...rolloutArgs()]);
    await results.perRegion('1 wave 1 only (wave 1)', regionsOf('canary'), async (r) => ({
      seconds: seconds.get(r.cluster),
      note: `commit→converged at ${commit.sha.slice(0, 8)}`,
    }));
    await rowsUntouched(
      '1 wave 1 only (wave 2)',
      before,
      (r) =>
        `after a reconcile request: still at ${running.get('rest')!.sha.slice(0, 8)}; uid and content (status aside) of ${before.get(r.cluster)!.size} objects unchanged`,
    );
    expect(await remoteHead(branchOf('rest'))).toBe(running.get('rest')!.sha);
  });

  it('2 promote before the soak is refused with that reason; after it, wave 2 converges to the revision', async () => {
    const commit = running.get('canary')!;
    expect(early.code, early.stderr).toBe(1);
    expect(early.stderr).toMatch(
      /REFUSED promoting wave rest .*\n.*the soak of wave canary has not passed: Ready at \w{8} for \d+ s of 30s/,
    );
    expect(await remoteHead(branchOf('rest'))).toBe(running.get('rest')!.sha);
    results.add({
      scenario: '2 soak (refused)',
      region: '-',
      cluster: '-',
      result: 'pass',
      note: early.stderr.split('\n')[1]!.trim(),
    });

    const promoted = await promoteRest();
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain(
      `promoted wave rest: ${branchOf('rest')}: ${running.get('rest')!.sha.slice(0, 8)} → ${commit.sha.slice(0, 8)}`,
    );
    expect(await remoteHead(branchOf('rest'))).toBe(commit.sha);
    const seconds = await followRest(commit);
    const total = secondsSince(commit.pushedAt);
    results.info('commitToLastWaveSeconds', total);
    await results.perRegion('2 soak (promoted)', regionsOf('rest'), async (r) => ({
      seconds: seconds.get(r.cluster),
      note: `ref move→converged; commit→last wave converged ${total.toFixed(1)} s (soak ${SOAK} included)`,
    }));
    const again = await fleetCli(['rollout', 'promote', 'rest', ...rolloutArgs()]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already at/);
  });

  let broken: { layer: string; missing: string; commit: Commit };

  it('3 a bad revision that fails in wave 1 makes promote refuse; wave 2 is untouched', async () => {
    const canary = regionsOf('canary')[0]!;
    const desired = desiredAt.get(running.get('canary')!.sha)!.get(canary.cluster)!;
    const layer = desired.layers.find((l) => l.dependsOn.length === 0) ?? desired.layers[0]!;
    const missing = 'e2e-missing-object.yaml';
    const before = await waveFingerprints('rest');
    const commit = await commitStep(
      `bad commit: ${layer.path} of ${canary.cluster} references a missing file`,
      (workTree) => {
        const file = path.join(workTree, layer.path, 'kustomization.yaml');
        const doc = parseDocument(readFileSync(file, 'utf8'));
        doc.addIn(['resources'], missing);
        writeFileSync(file, doc.toString({ lineWidth: 0 }));
      },
    );
    broken = { layer: layer.name, missing, commit };
    await fetchNow([canary]);
    const seconds = await pollUntil(
      `${canary.region}: ${layer.name} reports the failed build`,
      async () => {
        const s = fluxStatus(await canary.client.get(kustomizationRef(layer.name, layer.namespace)), layer.name);
        const failed =
          s.ready?.status === 'False' &&
          s.lastAttemptedRevision === revisionOf('canary', commit) &&
          (s.ready.message ?? '').includes(missing);
        return failed
          ? { done: true, value: secondsSince(commit.pushedAt) }
          : { done: false, state: `${s.ready?.status} ${s.lastAttemptedRevision}` };
      },
      { timeoutMs: 90_000 },
    );
    const refused = await fleetCli(['rollout', 'promote', 'rest', ...rolloutArgs()]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain(
      `${canary.cluster} (wave canary): Kustomization ${layer.name} is failing at ${commit.sha.slice(0, 8)}: BuildFailed`,
    );
    expect(refused.stderr).toContain(missing);
    expect(await remoteHead(branchOf('rest'))).toBe(running.get('rest')!.sha);
    await results.perRegion('3 bad revision (wave 1)', [canary], async () => ({
      seconds,
      note: `${layer.name} Ready=False BuildFailed; promote refused: ${refused.stderr.split('\n')[1]!.trim().slice(0, 90)}…`,
    }));
    await rowsUntouched(
      '3 bad revision (wave 2)',
      before,
      () =>
        `untouched: still at ${running.get('rest')!.sha.slice(0, 8)}, every object's uid and content (status aside) unchanged`,
    );
  });

  it('4 fleet status --json reports what the harness observes: revisions, Ready, the failing layer, a stopped region', async () => {
    const stopped = regionsOf('rest').at(-1)!;
    await stopped.controlPlane.stop({ abrupt: true });
    try {
      const observe = async () =>
        new Map(
          await Promise.all(
            env.regions
              .filter((r) => r !== stopped)
              .map(async (r) => {
                const wave = waves().find((w) => w.clusters.includes(r.cluster))!;
                return [
                  r.cluster,
                  await readFluxStatuses(r.client, desiredAt.get(running.get(wave.name)!.sha)!.get(r.cluster)!),
                ] as const;
              }),
          ),
        );
      const before = await observe();
      const status = await fleetCli(['status', '--json', ...sourceArgs()]);
      const after = await observe();
      expect(status.code, `exit 1: a cluster is unreachable or failing\n${status.stderr}`).toBe(1);
      expect(status.stderr).toBe('');
      const report = JSON.parse(status.stdout) as {
        clusters: Array<{
          cluster: string;
          wave: string;
          branch: string;
          reachable: boolean;
          error?: string;
          source?: { revision?: string };
          kustomizations: Array<{
            name: string;
            ready: string;
            reason?: string;
            message?: string;
            lastAppliedRevision?: string;
          }>;
        }>;
      };
      await results.perRegion('4 status --json', env.regions, async (r) => {
        const reported = report.clusters.find((c) => c.cluster === r.cluster)!;
        const wave = waves().find((w) => w.clusters.includes(r.cluster))!;
        expect([reported.wave, reported.branch]).toStrictEqual([wave.name, wave.branch]);
        if (r === stopped) {
          check(
            !reported.reachable && (reported.error ?? '') !== '',
            `the stopped region is reported ${JSON.stringify(reported).slice(0, 200)}`,
          );
          return { note: `stopped region reported unreachable (${reported.error!.slice(0, 60)})` };
        }
        // What fleet status printed equals what the harness read just before or just after it (statuses may move).
        const seen = [before.get(r.cluster)!, after.get(r.cluster)!];
        expect(reported.reachable).toBe(true);
        expect(seen.map((s) => s.source.artifactRevision)).toContain(reported.source?.revision);
        const fields = (k: {
          ready?: { status: string; reason?: string; message?: string } | undefined;
          lastAppliedRevision?: string | undefined;
        }) => JSON.stringify([k.ready?.status, k.lastAppliedRevision, k.ready?.reason, k.ready?.message]);
        for (const k of seen[0]!.kustomizations) {
          const got = reported.kustomizations.find((x) => x.name === k.name);
          expect(got, k.name).toBeDefined();
          const observed = seen.map((s) => fields(s.kustomizations.find((x) => x.name === k.name)!));
          expect(observed, k.name).toContain(
            JSON.stringify([got!.ready, got!.lastAppliedRevision, got!.reason, got!.message]),
          );
        }
        const failing = reported.kustomizations.filter((k) => k.ready === 'False');
        if (wave.name === 'canary') {
          const layer = failing.find((k) => k.name === broken.layer);
          check(
            !!layer?.message?.includes(broken.missing),
            `${broken.layer} is reported failing with "${broken.missing}" (got ${JSON.stringify(layer)})`,
          );
          // The layers after it wait for it: failing only as DependencyNotReady.
          const others = failing.filter((k) => k !== layer);
          check(
            others.every((k) => k.reason === 'DependencyNotReady'),
            `other failing layers: ${JSON.stringify(others)}`,
          );
          return {
            note: `${reported.kustomizations.length} Kustomizations as observed; failing: ${broken.layer} (${layer!.reason}: …${broken.missing}…)${failing.length > 1 ? ` + ${failing.length - 1} waiting on it` : ''}`,
          };
        }
        expect(failing).toStrictEqual([]);
        return {
          note: `${reported.kustomizations.length} Kustomizations as observed, Ready at ${reported.source?.revision?.slice(-40, -32)}`,
        };
      });
      const table = await fleetCli(['status', ...sourceArgs()]);
      expect(table.stdout).toMatch(new RegExp(`${stopped.cluster}\\s+${branchOf('rest')}\\s+UNREACHABLE`));
    } finally {
      await stopped.controlPlane.start();
    }
    // Back on the same ports and data: it still runs what its wave runs.
    await converge('rest', running.get('rest')!, performance.now());
  });

  it('3 (fix) the fix travels both waves', async () => {
    const fix = await commitStep('fix the bad commit');
    await fetchNow(regionsOf('canary'));
    const first = await converge('canary', fix, fix.pushedAt);
    const promoted = await promoteRest();
    expect(promoted.code, promoted.stderr).toBe(0);
    const second = await followRest(fix);
    const total = secondsSince(fix.pushedAt);
    results.info('fixToLastWaveSeconds', total);
    await results.perRegion('3 fix (wave 1)', regionsOf('canary'), async (r) => ({
      seconds: first.get(r.cluster),
      note: 'fix commit→converged; the failing layer Ready again',
    }));
    await results.perRegion('3 fix (wave 2)', regionsOf('rest'), async (r) => ({
      seconds: second.get(r.cluster),
      note: `promoted after the soak; fix commit→last wave converged ${total.toFixed(1)} s`,
    }));
    expect(broken.commit.sha).not.toBe(fix.sha);
  });

  it('5 pause blocks promote; resume lets it through', async () => {
    const paused = await fleetCli([
      'rollout',
      'pause',
      'rest',
      '--reason',
      'e2e: hold the wave',
      '--push',
      ...rolloutArgs(),
    ]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/^paused wave rest: commit \w{8} adds rollout\/paused\/rest\.yaml, pushed to main/);
    const pauseCommit = await git(['rev-parse', 'HEAD']);
    expect(await remoteHead(fleet.spec.gitSource.branch)).toBe(pauseCommit);
    const pauseStep: Commit = {
      sha: pauseCommit,
      revision: `${fleet.spec.gitSource.branch}@sha1:${pauseCommit}`,
      message: 'pause',
      files: 0,
      pushedAt: performance.now(),
    };
    desiredAt.set(pauseCommit, desiredAt.get(running.get('canary')!.sha)!);
    await fetchNow(regionsOf('canary'));
    await converge('canary', pauseStep, pauseStep.pushedAt);

    const blocked = await fleetCli(['rollout', 'promote', 'rest', '--wait', '1m', ...rolloutArgs()]);
    expect(blocked.code, blocked.stderr).toBe(1);
    expect(blocked.stderr).toMatch(
      /wave rest is paused \(rollout\/paused\/rest\.yaml: e2e: hold the wave\); fix: fleet rollout resume rest/,
    );
    expect(await remoteHead(branchOf('rest'))).toBe(running.get('rest')!.sha);
    const status = await fleetCli(['rollout', 'status', ...rolloutArgs()]);
    expect(status.stdout).toMatch(/wave 2 rest: .*PAUSED/);

    const resumed = await fleetCli(['rollout', 'resume', 'rest', '--push', ...rolloutArgs()]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const resumeCommit = await git(['rev-parse', 'HEAD']);
    const resumeStep: Commit = {
      ...pauseStep,
      sha: resumeCommit,
      revision: `${fleet.spec.gitSource.branch}@sha1:${resumeCommit}`,
      pushedAt: performance.now(),
    };
    desiredAt.set(resumeCommit, desiredAt.get(pauseCommit)!);
    await fetchNow(regionsOf('canary'));
    await converge('canary', resumeStep, resumeStep.pushedAt);
    const through = await promoteRest();
    expect(through.code, through.stderr).toBe(0);
    expect(await remoteHead(branchOf('rest'))).toBe(resumeCommit);
    const seconds = await followRest(resumeStep);
    await results.perRegion('5 pause/resume', regionsOf('rest'), async (r) => ({
      seconds: seconds.get(r.cluster),
      note: `paused: promote refused ("${blocked.stderr.split('\n')[1]!.trim().slice(2, 40)}…"); resumed: promoted and converged`,
    }));

    const final = await fleetCli(['rollout', 'status', '--json', ...rolloutArgs()]);
    const reports = (
      JSON.parse(final.stdout) as {
        waves: Array<{ wave: string; commit: string; healthySeconds?: number; paused?: unknown }>;
      }
    ).waves;
    expect(reports.map((w) => [w.wave, w.commit, w.paused])).toStrictEqual([
      ['canary', resumeCommit, undefined],
      ['rest', resumeCommit, undefined],
    ]);
    expect(reports.every((w) => typeof w.healthySeconds === 'number')).toBe(true);
  });
});
