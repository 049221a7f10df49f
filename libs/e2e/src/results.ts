/**
 * The results table: one row per region × scenario with result and seconds. Rewritten to a JSON file after every
 * row, so a crashed run still leaves what it measured; the file carries the table already formatted, which
 * scripts/test-e2e.mjs prints (one formatter).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ResultRow {
  readonly scenario: string;
  readonly region: string;
  readonly cluster: string;
  readonly result: 'pass' | 'FAIL';
  /** The scenario's measured time for this region (see `note` for what it measures). */
  readonly seconds?: number | undefined;
  readonly note?: string | undefined;
}

export interface ResultsDocument {
  rows: ResultRow[];
  info: Record<string, unknown>;
  /** `rows` as `formatTable` prints them. */
  table?: string;
}

export class ResultTable {
  private readonly document: ResultsDocument = { rows: [], info: {} };

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.save();
  }

  add(row: ResultRow): void {
    this.document.rows.push(row);
    this.save();
  }

  info(key: string, value: unknown): void {
    this.document.info[key] = value;
    this.save();
  }

  /**
   * Runs `check` for every region at once, adds one row per region (its seconds and note, or the first line of its
   * failure) and fails with every failing region's full reason.
   */
  async perRegion<R extends { readonly region: string; readonly cluster: string }>(
    scenario: string,
    regions: readonly R[],
    check: (region: R) => Promise<{ seconds?: number; note?: string }>,
  ): Promise<void> {
    const outcomes = await Promise.allSettled(regions.map(check));
    const failures: string[] = [];
    outcomes.forEach((outcome, i) => {
      const { region, cluster } = regions[i]!;
      if (outcome.status === 'fulfilled') {
        this.add({ scenario, region, cluster, result: 'pass', ...outcome.value });
        return;
      }
      const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      this.add({ scenario, region, cluster, result: 'FAIL', note: reason.split('\n')[0]!.slice(0, 140) });
      failures.push(`${region} (${cluster}): ${reason}`);
    });
    if (failures.length > 0)
      throw new Error(`${scenario} failed in ${failures.length} region(s):\n${failures.join('\n\n')}`);
  }

  get rows(): readonly ResultRow[] {
    return this.document.rows;
  }

  private save(): void {
    const document: ResultsDocument = { ...this.document, table: formatTable(this.document.rows) };
    writeFileSync(this.file, `${JSON.stringify(document, null, 2)}\n`);
  }
}

export function formatTable(rows: readonly ResultRow[]): string {
  const header = ['scenario', 'region', 'cluster', 'result', 'seconds', 'note'];
  const body = rows.map((r) => [
    r.scenario,
    r.region,
    r.cluster,
    r.result,
    r.seconds === undefined ? '-' : r.seconds.toFixed(1),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (i === 5 ? 0 : row[i]!.length))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 5 ? c : i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w, i) => (i === 5 ? '----' : '-'.repeat(w))).join('-+-'), ...body.map(line)].join(
    '\n',
  );
}
