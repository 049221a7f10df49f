/** Peak resident memory of every process the harness started, summed per group (region) and overall. */
import { readFileSync } from 'node:fs';
import type { ProcessSupervisor } from './processes.ts';

export interface MemoryPeak {
  /** Peak of the sum over all control-plane processes (all regions at once), MiB. */
  readonly totalMiB: number;
  /** Peak per group (region), MiB. */
  readonly byGroup: Readonly<Record<string, number>>;
  /** Peak RSS of each component (process name without its group), the largest over the groups. */
  readonly byComponent: Readonly<Record<string, number>>;
  /** Peak RSS of the test process itself (git server, harness), MiB. */
  readonly harnessMiB: number;
  /** Most processes seen at once. */
  readonly processes: number;
}

function rssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private total = 0;
  private harness = 0;
  private processes = 0;
  private readonly byGroup: Record<string, number> = {};
  private readonly byComponent: Record<string, number> = {};

  constructor(
    private readonly supervisor: ProcessSupervisor,
    private readonly intervalMs = 500,
  ) {}

  sample(): void {
    const groups: Record<string, number> = {};
    let total = 0;
    const running = this.supervisor.list().filter((p) => p.running);
    for (const managed of running) {
      const kib = rssKiB(managed.pid);
      total += kib;
      groups[managed.group] = (groups[managed.group] ?? 0) + kib;
      const component = managed.name.slice(managed.name.indexOf('/') + 1);
      this.byComponent[component] = Math.max(this.byComponent[component] ?? 0, kib);
    }
    this.total = Math.max(this.total, total);
    this.processes = Math.max(this.processes, running.length);
    for (const [group, kib] of Object.entries(groups)) this.byGroup[group] = Math.max(this.byGroup[group] ?? 0, kib);
    this.harness = Math.max(this.harness, process.memoryUsage().rss / 1024);
  }

  start(): void {
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  peak(): MemoryPeak {
    const mib = (kib: number): number => Math.round(kib / 1024);
    return {
      totalMiB: mib(this.total),
      byGroup: Object.fromEntries(Object.entries(this.byGroup).map(([g, kib]) => [g, mib(kib)])),
      byComponent: Object.fromEntries(Object.entries(this.byComponent).map(([c, kib]) => [c, mib(kib)])),
      harnessMiB: mib(this.harness),
      processes: this.processes,
    };
  }
}
