/**
 * `fleet synth` under faults — in-process where the CLI's own reporting is under test, as real processes for locks,
 * concurrency and other users: one run at a time (a held lock, a stale lock, two concurrent
 * runs), never writing or deleting outside the repository through a symlink, never overwriting a hand-written file,
 * and file-system errors (EISDIR, ENOTDIR, a FIFO, EACCES, ENOSPC, EROFS) ending in one line that names the path and
 * the fix — no stack trace, the tree intact.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultFleetDocument } from '@aks-fleet/fleet/testing';
import { RUN_LOCK_FILE, type RunLockHolder } from '@aks-fleet/synth';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanScratch, REPO_ROOT, runCli, scratchDir, writeFleetFile } from '../testing/run-cli.ts';

const BIN = path.join(REPO_ROOT, 'apps/fleet-cli/bin/fleet.js');
const HOLD_LOCK = path.join(REPO_ROOT, 'libs/synth/src/testing/hold-run-lock.ts');
const UNPRIVILEGED = 65534; // nobody

const children: ChildProcess[] = [];
const mounts: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const mount of mounts.splice(0).reverse()) execFileSync('umount', [mount]);
  cleanScratch();
});

/** Fleet files every test can read, also as an unprivileged user. */
function fleetFile(mutate: (f: ReturnType<typeof defaultFleetDocument>) => void): string {
  const document = defaultFleetDocument();
  mutate(document);
  const file = writeFleetFile(document);
  chmodSync(path.dirname(file), 0o755);
  chmodSync(file, 0o644);
  return file;
}
const FLEETS = {
  renamed: () =>
    fleetFile((f) => {
      f.metadata.name = 'contoso-fleet';
    }),
  regionRemoved: () =>
    fleetFile((f) => {
      delete f.spec.regions.centralus;
    }),
};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function fleet(args: readonly string[], options: { uid?: number; env?: Record<string, string> } = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: tmpdir(),
    env: { ...process.env, ...options.env },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fleetAsync(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tmpdir(), env: { ...process.env, ...env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Every entry under root, without following links or reading FIFOs: files by content, others by kind. */
function snapshot(root: string, folder = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    const absolute = path.join(root, relative);
    if (entry.isDirectory()) {
      out[`${relative}/`] = 'folder';
      Object.assign(out, snapshot(root, relative));
    } else if (entry.isSymbolicLink()) out[relative] = `-> ${readlinkSync(absolute)}`;
    else if (entry.isFile()) out[relative] = readFileSync(absolute, 'utf8');
    else out[relative] = `special ${lstatSync(absolute).mode.toString(8)}`;
  }
  return out;
}

/** A repository root holding the synthesized default fleet. */
function synthesizedRoot(parent?: string): string {
  const root = parent ?? scratchDir('fleet-faults-');
  const run = fleet(['synth', '--root', root]);
  expect(run.code, run.stderr).toBe(0);
  return root;
}

/** One error line naming the path and a fix, then nothing else: no stack trace. */
function expectOneCleanError(run: Run, line: string | RegExp): void {
  expect(run.code).toBe(1);
  const lines = run.stderr.trim().split('\n');
  const errors = lines.filter((l) => l.startsWith('ERROR '));
  expect(errors, run.stderr).toHaveLength(1);
  if (typeof line === 'string') expect(errors[0]).toBe(line);
  else expect(errors[0]).toMatch(line);
  expect(errors[0]).toContain(' — fix: ');
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(lines.length).toBeLessThanOrEqual(2);
}

describe('fleet synth never writes or deletes outside the repository', () => {
  const OWNED = [
    'manifests',
    'clusters',
    'infrastructure',
    '.fleet-tx',
    'manifests/bu0001a0042-04',
    'infrastructure/clusters',
  ];
  const cases = OWNED.flatMap((folder) =>
    (['renamed', 'regionRemoved'] as const).map((change) => ({ folder, change })),
  );

  it.each(cases)('refuses when $folder is a symlink out of it ($change fleet)', async ({ folder, change }) => {
    const root = synthesizedRoot();
    const outside = scratchDir('fleet-outside-');
    const target = path.join(outside, 'elsewhere');
    const precious = readFileSync(path.join(root, 'clusters/bu0001a0042-03/kustomization.yaml'));
    if (folder === '.fleet-tx') mkdirSync(target);
    else renameSync(path.join(root, folder), target);
    writeFileSync(path.join(target, 'precious.yaml'), precious); // generated content: synthesis would own it
    symlinkSync(target, path.join(root, folder));
    const before = { inside: snapshot(root), outside: snapshot(outside) };

    const run = await runCli(['synth', '--root', root, '--fleet', FLEETS[change]()]);
    expect(run.stderr).toContain(`ERROR ${folder}: is a symlink to ${target}, outside the repository `);
    expect(run.stderr).toContain('nothing was written');
    expect(run.code).toBe(1);
    expect(snapshot(outside)).toStrictEqual(before.outside);
    expect(snapshot(root)).toStrictEqual(before.inside);
  });
});

describe('fleet synth never overwrites a hand-written file', () => {
  it('refuses, naming the file, and writes nothing', async () => {
    const root = synthesizedRoot();
    const file = 'manifests/bu0001a0042-03/workload/service-aspnetapp.yaml';
    writeFileSync(path.join(root, file), 'apiVersion: v1\nkind: Service # tuned by hand\n');
    const before = snapshot(root);
    const run = await runCli(['synth', '--root', root, '--fleet', FLEETS.renamed()]);
    expectOneCleanError(
      run,
      `ERROR ${file}: was not generated by aks-fleet (no generated header) and synthesis would overwrite it — fix: move your file elsewhere, or delete it to let synthesis write ${file}`,
    );
    expect(snapshot(root)).toStrictEqual(before);
  });
});

describe('fleet synth on file-system errors: one line with the path and the fix, the tree intact', () => {
  const file = 'manifests/bu0001a0042-03/baseline/namespace-a0042.yaml';
  const FAULTS: ReadonlyArray<{ name: string; make: (root: string) => void; line: string }> = [
    {
      name: 'EISDIR: a folder where a file goes',
      make: (root) => {
        rmSync(path.join(root, file));
        mkdirSync(path.join(root, file));
      },
      line: `ERROR ${file}: is a folder where synthesis writes a file — fix: move the folder ${file} out of the way`,
    },
    {
      name: 'ENOTDIR: a file where a folder goes',
      make: (root) => {
        rmSync(path.join(root, 'manifests/bu0001a0042-03/policy'), { recursive: true });
        writeFileSync(path.join(root, 'manifests/bu0001a0042-03/policy'), 'notes\n');
      },
      line: 'ERROR manifests/bu0001a0042-03/policy: is a file where synthesis needs a folder (on the way to manifests/bu0001a0042-03/policy/kustomization.yaml) — fix: move the file manifests/bu0001a0042-03/policy out of the way',
    },
    {
      name: 'a FIFO where a file goes (read, it would block forever)',
      make: (root) => {
        rmSync(path.join(root, file));
        execFileSync('mkfifo', [path.join(root, file)]);
      },
      line: `ERROR ${file}: is a FIFO where synthesis writes a file — fix: delete or move ${file}`,
    },
  ];

  it.each(FAULTS)('$name', async ({ make, line }) => {
    const root = synthesizedRoot();
    make(root);
    const before = snapshot(root);
    expectOneCleanError(await runCli(['synth', '--root', root, '--fleet', FLEETS.renamed()]), line);
    expect(snapshot(root)).toStrictEqual(before);
  });

  it('EACCES: a folder the user may not write', () => {
    const root = synthesizedRoot();
    const folder = path.join(root, 'manifests/bu0001a0042-03/workload');
    // Root may write anywhere: run as an unprivileged user that owns the checkout, except this one folder.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      chmodSync(root, 0o755);
      execFileSync('chown', ['-R', `${UNPRIVILEGED}:${UNPRIVILEGED}`, root]);
      chownSync(folder, 0, 0);
    }
    chmodSync(folder, 0o555);
    const before = snapshot(root);
    const run = fleet(['synth', '--root', root, '--fleet', FLEETS.renamed()], asRoot ? { uid: UNPRIVILEGED } : {});
    expectOneCleanError(
      run,
      /^ERROR manifests\/bu0001a0042-03\/workload\/[a-z-]+\.yaml: permission denied \(EACCES\) — fix: make manifests\/bu0001a0042-03\/workload\/[a-z-]+\.yaml and its folder writable by this user \(chmod\/chown\), or synthesize in a checkout you own; the previous tree is intact$/,
    );
    expect(snapshot(root)).toStrictEqual(before);
  });

  const canMount = (() => {
    if (process.platform !== 'linux') return false;
    const probe = mkdtempSync(path.join(tmpdir(), 'fleet-mount-probe-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe]);
      return true;
    } catch {
      return false;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  })();

  it.runIf(canMount)('ENOSPC: the file system fills up while staging (a 2 MiB tmpfs)', () => {
    const root = scratchDir('fleet-enospc-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', root]);
    mounts.push(root);
    synthesizedRoot(root);
    const available = Number(
      execFileSync('df', ['-k', '--output=avail', root], { encoding: 'utf8' }).trim().split('\n').pop(),
    );
    execFileSync('dd', ['if=/dev/zero', `of=${path.join(root, 'filler')}`, 'bs=1k', `count=${available - 32}`], {
      stdio: 'ignore',
    });
    const before = snapshot(root);
    const run = fleet(['synth', '--root', root, '--fleet', FLEETS.renamed()]);
    expectOneCleanError(
      run,
      /^ERROR \S+: no space left on the device \(ENOSPC\) — fix: free space on the file system that holds the repository, then rerun; the previous tree is intact$/,
    );
    expect(snapshot(root)).toStrictEqual(before);
  });

  it.runIf(canMount)('EROFS: a read-only checkout', () => {
    const root = synthesizedRoot();
    execFileSync('mount', ['--bind', root, root]);
    mounts.push(root);
    execFileSync('mount', ['-o', 'remount,ro,bind', root]);
    const before = snapshot(root);
    const run = fleet(['synth', '--root', root, '--fleet', FLEETS.renamed()]);
    expectOneCleanError(
      run,
      /^ERROR \S+: the file system is read-only \(EROFS\) — fix: synthesize in a writable checkout \(or remount it read-write\); the previous tree is intact$/,
    );
    expect(snapshot(root)).toStrictEqual(before);
    // A check only reads, so it still works on the read-only checkout.
    const check = fleet(['synth', '--check', '--root', root]);
    expect(check.stdout + check.stderr).toContain('no drift');
    expect(check.code).toBe(0);
  });
});

describe('fleet synth: one run at a time', () => {
  /** A real process that holds the lock of root until killed or its stdin closes. */
  function holdLock(root: string, mode: 'hold' | 'die'): Promise<{ child: ChildProcess; holder: RunLockHolder }> {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLD_LOCK, root, mode], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve({ child, holder: JSON.parse(out.split('\n')[0]!) as RunLockHolder });
      });
      child.on('exit', () =>
        out.includes('\n') ? undefined : reject(new Error('lock holder died before taking the lock')),
      );
    });
  }

  it('refuses while another run holds the lock, naming its pid and start time; writes nothing', async () => {
    const root = synthesizedRoot();
    const { holder } = await holdLock(root, 'hold');
    const before = snapshot(root);
    const run = await fleetAsync(['synth', '--root', root, '--fleet', FLEETS.renamed()], { FLEET_LOCK_WAIT_MS: '500' });
    expectOneCleanError(
      run,
      `ERROR ${RUN_LOCK_FILE}: another fleet synth is running in this repository (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}); ` +
        `waited 0.5 s — fix: wait for it to finish and rerun; if no fleet process runs any more, delete ${RUN_LOCK_FILE}`,
    );
    expect(snapshot(root)).toStrictEqual(before);
  });

  it('recovers the lock of a killed run', async () => {
    const root = synthesizedRoot();
    await holdLock(root, 'die').catch(() => undefined);
    expect(readdirSync(root)).toContain(RUN_LOCK_FILE);
    const run = fleet(['synth', '--root', root, '--fleet', FLEETS.renamed()]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(root)).not.toContain(RUN_LOCK_FILE);
  });

  it('two concurrent runs of different fleets leave exactly one fleet, never a mixture', async () => {
    const fleets = [FLEETS.renamed(), FLEETS.regionRemoved()];
    const expected = fleets.map((file) => {
      const reference = scratchDir('fleet-reference-');
      expect(fleet(['synth', '--root', reference, '--fleet', file]).code).toBe(0);
      return snapshot(reference);
    });
    for (let round = 0; round < 2; round++) {
      const root = synthesizedRoot();
      const runs = await Promise.all(
        fleets.map((file) => fleetAsync(['synth', '--root', root, '--fleet', file], { FLEET_LOCK_WAIT_MS: '120000' })),
      );
      expect(
        runs.map((r) => r.code),
        runs.map((r) => r.stderr).join('\n'),
      ).toStrictEqual([0, 0]);
      const tree = snapshot(root);
      expect(tree).toSatisfy((t: Record<string, string>) =>
        expected.some((e) => JSON.stringify(e) === JSON.stringify(t)),
      );
    }
  });
});
