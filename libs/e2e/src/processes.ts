/**
 * Every long-running process of the harness is started here: in its own process group (detached), with stdout and
 * stderr in a log file, its pid recorded in a registry file (so scripts/test-e2e.mjs can still end it if the test
 * process itself dies), and stopped by signalling the whole group: SIGTERM, then SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sleep } from './wait.ts';

export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly logFile: string;
  /** Free-form label for memory reports, e.g. the region. */
  readonly group: string;
}

export class ManagedProcess {
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly group: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.signal = signal;
        resolve();
      });
      child.once('error', () => resolve());
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.pid > 0;
  }

  /** The last lines of the process log, for error messages. */
  logTail(lines = 15): string {
    if (!existsSync(this.logFile)) return '(no log)';
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  describeExit(): string {
    return `${this.name} exited (${this.signal ?? `code ${this.exitCode}`}); log ${this.logFile}:\n${this.logTail()}`;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const FATAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class ProcessSupervisor {
  private readonly processes = new Set<ManagedProcess>();
  private readonly onExit = (): void => this.killAllNow();
  /** Our children run in their own process groups, so a signal to the test process would not reach them. */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.killAllNow();
    this.dispose();
    process.kill(process.pid, signal);
  };

  /** @param registryFile append-only `pid<TAB>name` lines, read by scripts/test-e2e.mjs to clean up after a crash. */
  constructor(private readonly registryFile?: string) {
    process.once('exit', this.onExit);
    for (const signal of FATAL_SIGNALS) process.once(signal, this.onSignal);
  }

  start(name: string, command: string, args: readonly string[], options: StartOptions): ManagedProcess {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    const fd = openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    const managed = new ManagedProcess(name, options.group, options.logFile, child);
    if (managed.pid > 0) {
      this.processes.add(managed);
      if (this.registryFile) appendFileSync(this.registryFile, `${managed.pid}\t${name}\t${command}\n`);
    }
    return managed;
  }

  /** Stops one process group: SIGTERM (or SIGKILL when `abrupt`), SIGKILL after `graceMs`, bounded in time. */
  async stop(
    managed: ManagedProcess,
    { abrupt = false, graceMs = 5_000 }: { abrupt?: boolean; graceMs?: number } = {},
  ): Promise<void> {
    this.processes.delete(managed);
    if (managed.pid <= 0) return;
    signalGroup(managed.pid, abrupt ? 'SIGKILL' : 'SIGTERM');
    const exited = await Promise.race([managed.exited.then(() => true), sleep(graceMs).then(() => false)]);
    // The leader may be gone while others in its group linger: always make sure of the group.
    signalGroup(managed.pid, 'SIGKILL');
    if (!exited) await Promise.race([managed.exited, sleep(2_000)]);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.processes].map((managed) => this.stop(managed)));
  }

  /** Synchronous last resort on process exit: SIGKILL every group still known. */
  killAllNow(): void {
    for (const managed of this.processes) signalGroup(managed.pid, 'SIGKILL');
    this.processes.clear();
  }

  list(): readonly ManagedProcess[] {
    return [...this.processes];
  }

  dispose(): void {
    process.removeListener('exit', this.onExit);
    for (const signal of FATAL_SIGNALS) process.removeListener(signal, this.onSignal);
  }
}
