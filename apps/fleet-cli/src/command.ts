/**
 * What a `fleet` command is: its name, one-line summary, help text, flags and what it does. Adding a command is one
 * file in `commands/` exporting a `Command`, plus one line in `commands/index.ts`.
 */
import type { Output, OutputFormat } from './output.ts';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** For the help text: the value's placeholder (`NAME`, `DIR` …). */
  readonly value?: string;
  /** The value when the flag is not given (string flags; shown in the help). */
  readonly default?: string;
  readonly description: string;
}

/**
 * One subcommand (`fleet rollout promote`): its own usage line, positionals and flags — on top of the flags of its
 * command, which every subcommand takes.
 */
export interface Subcommand {
  readonly name: string;
  readonly summary: string;
  /** The `fleet <command> <subcommand> …` synopsis line. */
  readonly usage: string;
  /** Names of the positionals it requires after its name (`wave`). */
  readonly positionals?: readonly string[];
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Values `-o/--output` accepts; the first is the default. Absent: no output formats. */
  readonly outputs?: readonly OutputFormat[];
}

export interface CommandContext {
  /** The subcommand given (commands with `subcommands` only). */
  readonly subcommand?: string;
  /** Positionals after the command name (and the subcommand). */
  readonly args: readonly string[];
  /** Parsed flags (strings, booleans or string lists), by flag name. */
  readonly flags: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly out: Output;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** `fleet <name> …` synopsis lines (with `subcommands`: derived from theirs when empty). */
  readonly usage: readonly string[];
  /** What the command does, what it reads and writes, in a few lines. */
  readonly description: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Values `-o/--output` accepts; the first is the default. Absent: the command has no output formats. */
  readonly outputs?: readonly OutputFormat[];
  /** Names of the positionals the command takes (for the help text and the check of extra arguments). */
  readonly positionals?: readonly string[];
  /**
   * The command's subcommands (`fleet rollout status|promote|…`): the first argument names one; `flags` above are
   * those every subcommand takes, each subcommand adds its own. Help, flag checking and completion follow from them.
   */
  readonly subcommands?: readonly Subcommand[];
  run(context: CommandContext): number | Promise<number>;
}

/** A user error: one line on stderr, `ERROR <message> — fix: <fix>`, exit `code` (2: usage, 1: failure). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly code = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Flags every command shares. */
export const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const FLEET_FLAG: FlagSpec = {
  type: 'string',
  value: 'PATH',
  description: 'a fleet file or fleet directory (default: the embedded default fleet)',
};
export const ROOT_FLAG: FlagSpec = {
  type: 'string',
  value: 'DIR',
  description: 'repository root (default: the nearest folder upwards with nx.json)',
};
export const CLUSTER_FLAG: FlagSpec = {
  type: 'string',
  multiple: true,
  value: 'NAME',
  description: 'only this cluster',
};
