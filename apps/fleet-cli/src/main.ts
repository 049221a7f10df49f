/**
 * The `fleet` command line: finds the command in the table (commands/index.ts), checks its flags, runs it, and turns
 * every failure into one line on stderr with the fix — never a stack trace (FLEET_DEBUG=1 shows it).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestName } from '@aks-fleet/util';
import { FleetValidationError, formatIssue } from '@aks-fleet/fleet';
import {
  formatTreeProblem,
  ObjectValidationError,
  TreeRefusedError,
  TreeWriteError,
  UnknownClusterError,
} from '@aks-fleet/synth';
import packageJson from '../package.json' with { type: 'json' };
import { CliError, COMMON_FLAGS, type Command, type FlagSpec } from './command.ts';
import { COMMANDS, findCommand } from './commands/index.ts';
import { commandHelp, overview } from './help.ts';
import { consoleOutput, type OutputFormat } from './output.ts';

export const VERSION: string = packageJson.version;

/** The synth render worker: exported here so that worker threads can start it from the CLI bundle (see synth.ts). */
export { synthWorker } from './commands/synth.ts';

export async function main(argv: readonly string[]): Promise<number> {
  let json = false;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new CliError('no command given', 'run `fleet --help` for the commands');
    if (first === '--version' || first === '-v' || first === 'version') {
      process.stdout.write(`fleet ${VERSION}\n`);
      return 0;
    }
    if (first === '--help' || first === '-h') {
      process.stdout.write(overview());
      return 0;
    }
    if (first === 'help') {
      const topic = rest[0];
      process.stdout.write(topic === undefined ? overview() : commandHelp(requireCommand(topic)));
      return 0;
    }
    if (first.startsWith('-'))
      throw new CliError(
        `"${first}" before the command`,
        'put flags after the command: `fleet <command> [flags]` (see `fleet --help`)',
      );
    const command = requireCommand(first);
    if (command.parsesOwnFlags) {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(commandHelp(command));
        return 0;
      }
      return await command.run({ args: rest, flags: {}, out: consoleOutput('text', false) });
    }
    const { flags, args } = parseFlags(command, rest);
    if (flags.help === true) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    const format = outputFormat(command, flags);
    json = format === 'json';
    const out = consoleOutput(format, flags.verbose === true || process.stderr.isTTY === true);
    return await command.run({ args, flags, out });
  } catch (error) {
    return reportError(error, json);
  }
}

function requireCommand(name: string): Command {
  const command = findCommand(name);
  if (command) return command;
  const closest = closestName(
    name,
    COMMANDS.map((c) => c.name),
    2,
  );
  throw new CliError(
    `unknown command "${name}"`,
    `${closest ? `did you mean \`fleet ${closest}\`? ` : ''}run \`fleet --help\` for the commands`,
  );
}

/** Flags of this command only: an unknown flag, or one that belongs to another command, is an error. */
function parseFlags(
  command: Command,
  argv: readonly string[],
): { flags: Record<string, string | boolean | string[] | undefined>; args: string[] } {
  const specs: Record<string, FlagSpec> = { ...COMMON_FLAGS, ...command.flags };
  if (command.outputs) {
    specs.output = { type: 'string', short: 'o', description: '' };
    specs.json = { type: 'boolean', description: '' };
  }
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw flagError(command, error as Error & { code?: string });
  }
  const allowed = command.positionals?.length ?? 0;
  if (parsed.positionals.length > allowed) {
    const extra = parsed.positionals[allowed]!;
    throw new CliError(
      `unexpected argument "${extra}" for \`fleet ${command.name}\``,
      `${command.usage[0] ? `usage: ${command.usage[0]}` : 'it takes no arguments'} (see \`fleet ${command.name} --help\`)`,
    );
  }
  return { flags: parsed.values as Record<string, string | boolean | string[] | undefined>, args: parsed.positionals };
}

function flagError(command: Command, error: Error & { code?: string }): CliError {
  const flag = /'(-[^' ]+)/.exec(error.message)?.[1] ?? '';
  const help = `see \`fleet ${command.name} --help\``;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = flag.replace(/^-+/, '');
    const owners = COMMANDS.filter((c) => name in c.flags).map((c) => `fleet ${c.name}`);
    if (owners.length > 0)
      return new CliError(
        `${flag} is not a flag of \`fleet ${command.name}\` (it belongs to ${owners.join(', ')})`,
        `remove it; ${help}`,
      );
    const closest = closestName(name, Object.keys({ ...COMMON_FLAGS, ...command.flags }), 2);
    return new CliError(
      `unknown flag ${flag} for \`fleet ${command.name}\``,
      `${closest ? `did you mean --${closest}? ` : ''}${help}`,
    );
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new CliError(
      `${flag || 'a flag'} needs a value${/argument missing/.test(error.message) ? '' : `: ${firstLine(error.message)}`}`,
      help,
    );
  }
  return new CliError(error.message.split('\n')[0]!, help);
}

function outputFormat(command: Command, flags: Record<string, unknown>): OutputFormat {
  if (!command.outputs) return 'text';
  const requested =
    typeof flags.output === 'string' ? flags.output : flags.json === true ? 'json' : command.outputs[0]!;
  if (flags.json === true && typeof flags.output === 'string' && flags.output !== 'json') {
    throw new CliError(`--json and -o ${flags.output} disagree`, 'pass one of them');
  }
  if (!(command.outputs as readonly string[]).includes(requested)) {
    throw new CliError(
      `-o ${requested} is not an output of \`fleet ${command.name}\``,
      `use one of: ${command.outputs.join(', ')}`,
    );
  }
  return requested as OutputFormat;
}

/** Every failure as one line (or one line per model issue) on stderr, and its exit code. Exported for its test. */
export function reportError(error: unknown, json = false): number {
  const stderr = (text: string) => process.stderr.write(`${text}\n`);
  if (error instanceof CliError) {
    stderr(`ERROR ${error.message} — fix: ${error.fix}`);
    return error.code;
  }
  if (error instanceof FleetValidationError) {
    if (json) process.stdout.write(`${JSON.stringify({ error: 'fleet-validation', issues: error.issues }, null, 2)}\n`);
    for (const issue of error.issues) stderr(`ERROR ${formatIssue(issue)}`);
    stderr(`${error.issues.length} error(s) in the fleet model; nothing was written`);
    return 1;
  }
  if (error instanceof ObjectValidationError) {
    if (json)
      process.stdout.write(`${JSON.stringify({ error: 'object-validation', problems: error.problems }, null, 2)}\n`);
    stderr(`${error.message}\nnothing was written`);
    return 1;
  }
  if (error instanceof TreeRefusedError) {
    if (json) process.stdout.write(`${JSON.stringify({ error: 'tree', problems: error.problems }, null, 2)}\n`);
    for (const problem of error.problems) process.stderr.write(`ERROR ${formatTreeProblem(problem)}\n`);
    process.stderr.write(`${error.problems.length} error(s) in the tree; nothing was written\n`);
    return 1;
  }
  if (error instanceof TreeWriteError) {
    if (json)
      process.stdout.write(
        `${JSON.stringify({ error: 'write', code: error.code, problem: error.problem, restored: error.restored }, null, 2)}\n`,
      );
    const state = error.restored
      ? 'the previous tree is intact'
      : 'the next fleet synth restores the previous tree from .fleet-tx/';
    process.stderr.write(`ERROR ${error.message}; ${state}\n`);
    return 1;
  }
  if (error instanceof UnknownClusterError || (error instanceof Error && error.name === 'SchemaLocationError')) {
    stderr(`ERROR ${(error as Error).message}`);
    return error instanceof UnknownClusterError ? 2 : 1;
  }
  const system = error as NodeJS.ErrnoException;
  if (typeof system?.code === 'string' && typeof system.syscall === 'string') {
    const target = system.path ? ` ${system.path}` : '';
    stderr(
      `ERROR cannot ${system.syscall}${target}: ${system.code} — fix: check that the path exists, is of the right kind ` +
        '(file or folder) and is readable and writable',
    );
    debugStack(error);
    return 1;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  stderr(`ERROR ${message} — this is a bug in fleet; re-run with FLEET_DEBUG=1 for the stack`);
  debugStack(error);
  return 70;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function debugStack(error: unknown): void {
  if (process.env.FLEET_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
}
