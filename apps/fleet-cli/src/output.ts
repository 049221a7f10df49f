/**
 * Where the CLI writes. Results go to stdout (text lines, or one document for `-o json`); progress, warnings and
 * errors go to stderr, so `fleet … -o json | jq` and `fleet … > file` only ever see results.
 */
export type OutputFormat = 'text' | 'json' | 'markdown' | 'mermaid' | 'svg' | 'dot';

export interface Output {
  readonly format: OutputFormat;
  /** `-o json`: text lines are suppressed and `result` writes the one document. */
  readonly json: boolean;
  /** A result line (stdout), not written with `-o json`. */
  line(text: string): void;
  /** Progress (stderr), only with --verbose or when stderr is a terminal. */
  progress(text: string): void;
  /** A warning (stderr). */
  warn(text: string): void;
  /** An error line (stderr). */
  error(text: string): void;
  /** The result document (stdout, JSON). */
  result(value: unknown): void;
  /** Raw result text (stdout), for rendered formats (markdown, mermaid, svg …). */
  write(text: string): void;
}

export function consoleOutput(format: OutputFormat = 'text', verbose = process.stderr.isTTY === true): Output {
  const json = format === 'json';
  return {
    format,
    json,
    line: (text) => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    progress: (text) => {
      if (verbose) process.stderr.write(`${text}\n`);
    },
    warn: (text) => process.stderr.write(`${text}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
    result: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    write: (text) => process.stdout.write(text),
  };
}
