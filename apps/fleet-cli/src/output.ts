/** Where the CLI writes: human lines to stdout, progress only on a terminal, or one JSON document with --json. */
export interface Output {
  readonly json: boolean;
  line(text: string): void;
  progress(text: string): void;
  error(text: string): void;
  result(value: unknown): void;
}

export function consoleOutput(json: boolean, verbose = process.stdout.isTTY === true): Output {
  return {
    json,
    line: (text) => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    progress: (text) => {
      if (!json && verbose) process.stdout.write(`${text}\n`);
    },
    error: (text) => process.stderr.write(`${text}\n`),
    result: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}
