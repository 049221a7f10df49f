/**
 * The `fleet` command line: finds the command in the table (commands/index.ts), checks its flags, runs it, and turns
 * every failure into one line on stderr with the fix — never a stack trace (FLEET_DEBUG=1 shows it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
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
import { RolloutInputError } from '@aks-fleet/rollout';
import packageJson from '../package.json' with { type: 'json' };
import { CliError, COMMON_FLAGS, type Command, type FlagSpec, type Subcommand } from './command.ts';
import { COMMANDS, findCommand } from './commands/index.ts';
import { commandHelp, overview } from './help.ts';
import { consoleOutput, type OutputFormat } from './output.ts';

export const VERSION: string = packageJson.version;

export async function main(argv: readonly string[]): Promise<number> {
  let json = false;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new CliError('no command given', 'run `fleet --help` for the commands');
    if (first === '--version' || first === '-v' || first === 'version') {
      if (rest.length > 0)
        throw new CliError(`unexpected argument "${rest[0]}" for \`fleet ${first}\``, 'run `fleet --version` alone');
      process.stdout.write(`fleet ${VERSION}\n`);
      return 0;
    }
    // `fleet --help rollout promote` reads as `fleet help rollout promote`.
    if (first === 'help' || first === '--help' || first === '-h') {
      const [topic, sub] = rest;
      if (topic === undefined) process.stdout.write(overview());
      else {
        const command = requireCommand(topic);
        process.stdout.write(sub === undefined ? commandHelp(command) : commandHelp(command, requireSub(command, sub)));
      }
      return 0;
    }
    if (first.startsWith('-')) throw globalFlagError(first, rest);
    const command = requireCommand(first);
    const { flags, args, subcommand } = parseInvocation(command, rest);
    if (flags.help === true) {
      process.stdout.write(commandHelp(command, subcommand));
      return 0;
    }
    checkPositionals(command, subcommand, args);
    checkFleetFlag(flags);
    const format = outputFormat(label(command, subcommand), subcommand ? subcommand.outputs : command.outputs, flags);
    json = format === 'json';
    const out = consoleOutput(format, flags.verbose === true || process.stderr.isTTY === true);
    return await command.run({ ...(subcommand ? { subcommand: subcommand.name } : {}), args, flags, out });
  } catch (error) {
    return reportError(error, json);
  }
}

/** `fleet rollout promote`, `fleet synth`: how errors and help name what was run. */
function label(command: Command, subcommand?: Subcommand): string {
  return `fleet ${command.name}${subcommand ? ` ${subcommand.name}` : ''}`;
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

function requireSub(command: Command, name: string | undefined): Subcommand {
  const subs = command.subcommands ?? [];
  const all = subs.map((s) => `\`fleet ${command.name} ${s.name}\``).join(', ');
  if (subs.length === 0)
    throw new CliError(`\`fleet ${command.name}\` has no subcommands`, `see \`fleet ${command.name} --help\``);
  if (name === undefined)
    throw new CliError(
      `\`fleet ${command.name}\` needs a subcommand`,
      `run one of ${all} (see \`fleet ${command.name} --help\`)`,
    );
  const sub = subs.find((s) => s.name === name);
  if (sub) return sub;
  const closest = closestName(
    name,
    subs.map((s) => s.name),
    2,
  );
  throw new CliError(
    `unknown subcommand "${name}" for \`fleet ${command.name}\``,
    `${closest ? `did you mean \`fleet ${command.name} ${closest}\`? ` : ''}run one of ${all}`,
  );
}

/** `fleet --verison`: did you mean `fleet --version`; `fleet --root . synth`: flags go after the command. */
function globalFlagError(first: string, rest: readonly string[]): CliError {
  const name = first.replace(/^-+/, '').replace(/=.*$/, '');
  const closest = first.startsWith('--') ? closestName(name, ['version', 'help'], 2) : undefined;
  if (closest) return new CliError(`unknown flag ${first}`, `did you mean \`fleet --${closest}\`?`);
  if (rest.some((arg) => findCommand(arg)))
    return new CliError(
      `"${first}" before the command`,
      'put flags after the command: `fleet <command> [flags]` (see `fleet --help`)',
    );
  return new CliError(
    `unknown flag ${first}`,
    "fleet itself takes only --help and --version; a command's flags go after it: `fleet <command> [flags]` (see `fleet --help`)",
  );
}

type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** Every flag a command (or one of its subcommands) takes, `-h` and `-o` included. */
function flagSpecs(command: Command, subcommand?: Subcommand): Record<string, FlagSpec> {
  const specs: Record<string, FlagSpec> = { ...COMMON_FLAGS, ...command.flags };
  for (const sub of subcommand ? [subcommand] : (command.subcommands ?? [])) Object.assign(specs, sub.flags);
  if (subcommand ? subcommand.outputs : command.outputs) {
    specs.output = { type: 'string', short: 'o', description: '' };
    specs.json = { type: 'boolean', description: '' };
  }
  return specs;
}

function parseOptions(specs: Record<string, FlagSpec>, withDefaults: boolean): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
      ...(withDefaults && spec.default !== undefined ? { default: spec.default } : {}),
    };
  }
  return options;
}

/** `-o=json` as kubectl takes it: the value of a short string flag written with `=`. */
function splitShortValues(argv: readonly string[], specs: Record<string, FlagSpec>): string[] {
  const strings = new Set(
    Object.values(specs)
      .filter((spec) => spec.type === 'string' && spec.short)
      .map((spec) => spec.short),
  );
  const end = argv.indexOf('--');
  return argv.flatMap((arg, i) => {
    const match = /^-([A-Za-z])=(.*)$/s.exec(arg);
    return match && strings.has(match[1]!) && (end < 0 || i < end) ? [`-${match[1]}`, match[2]!] : [arg];
  });
}

/**
 * Flags of this command (and subcommand) only: an unknown flag, or one that belongs to another command or
 * subcommand, is an error. A command with subcommands takes the subcommand's name as its first argument.
 */
function parseInvocation(
  command: Command,
  argv: readonly string[],
): { flags: FlagValues; args: string[]; subcommand?: Subcommand } {
  let subcommand: Subcommand | undefined;
  if (command.subcommands) {
    // Which subcommand: the first argument that is neither a flag nor a flag's value.
    const loose = parseArgs({
      args: splitShortValues(argv, flagSpecs(command)),
      options: parseOptions(flagSpecs(command), false),
      allowPositionals: true,
      strict: false,
    });
    const name = loose.positionals[0];
    if (name === undefined && loose.values.help === true) return { flags: { help: true }, args: [] };
    subcommand = requireSub(command, name);
  }
  const specs = flagSpecs(command, subcommand);
  let parsed;
  try {
    parsed = parseArgs({
      args: splitShortValues(argv, specs),
      options: parseOptions(specs, true),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw flagError(command, subcommand, specs, error as Error & { code?: string });
  }
  const args = subcommand ? parsed.positionals.slice(1) : parsed.positionals;
  return { flags: parsed.values as FlagValues, args, ...(subcommand ? { subcommand } : {}) };
}

/**
 * `--fleet PATH` that does not exist is a usage error (exit 2) like any bad flag value — not "1 error in the fleet
 * model": there is no model to have errors. Checked once here for every command that takes --fleet.
 */
function checkFleetFlag(flags: FlagValues): void {
  const fleet = flags.fleet;
  if (typeof fleet !== 'string' || existsSync(path.resolve(fleet))) return;
  throw new CliError(
    `--fleet ${fleet}: no such file or folder; expected a fleet file or a fleet directory (with fleet.yaml)`,
    'check the path, or omit --fleet to use the embedded default fleet',
  );
}

/** A subcommand's positionals are required; a command's are optional. Extra ones are an error either way. */
function checkPositionals(command: Command, subcommand: Subcommand | undefined, args: readonly string[]): void {
  const names = (subcommand ? subcommand.positionals : command.positionals) ?? [];
  const usage = subcommand ? subcommand.usage : command.usage[0];
  const help = `see \`${label(command, subcommand)} --help\``;
  if (subcommand && args.length < names.length)
    throw new CliError(
      `\`${label(command, subcommand)}\` needs a <${names[args.length]}>`,
      `name it: \`${label(command, subcommand)} ${names.map((n) => `<${n}>`).join(' ')}\` (${help})`,
    );
  if (args.length > names.length)
    throw new CliError(
      `unexpected argument "${args[names.length]}" for \`${label(command, subcommand)}\``,
      `${usage ? `usage: ${usage}` : 'it takes no arguments'} (${help})`,
    );
}

function flagError(
  command: Command,
  subcommand: Subcommand | undefined,
  specs: Record<string, FlagSpec>,
  error: Error & { code?: string },
): CliError {
  // parseArgs names the flag as '-o, --output <value>', '--cluster <value>' or '--bogus'.
  const named = /'(?:-(\w), )?(--?[^' ]+)/.exec(error.message);
  const given = named?.[2] ?? '';
  const name = given.replace(/^-+/, '');
  const here = label(command, subcommand);
  const help = `see \`${here} --help\``;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    if (['o', 'output', 'json'].includes(name))
      return new CliError(`\`${here}\` has no output formats (no ${given})`, `remove ${given}; ${help}`);
    const owners = COMMANDS.flatMap((c) => [
      ...(name in c.flags ? [`fleet ${c.name}`] : []),
      ...(c.subcommands ?? [])
        .filter((s) => name in s.flags && !(name in c.flags))
        .map((s) => `fleet ${c.name} ${s.name}`),
    ]);
    if (owners.length > 0)
      return new CliError(
        `${given} is not a flag of \`${here}\` (it belongs to ${owners.join(', ')})`,
        `remove it; ${help}`,
      );
    const closest = closestName(
      name,
      Object.keys(specs).filter((flag) => flag.length > 1),
      2,
    );
    return new CliError(
      `unknown flag ${given} for \`${here}\``,
      `${closest ? `did you mean --${closest}? ` : ''}${help}`,
    );
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const long = name.length === 1 ? (Object.keys(specs).find((k) => specs[k]!.short === name) ?? name) : name;
    const spec = specs[long];
    const both = `${spec?.short ? `-${spec.short}/` : ''}--${long}`;
    if (/does not take an argument/.test(error.message))
      return new CliError(`option ${both} takes no value`, `pass ${given} alone; ${help}`);
    const outputs = subcommand ? subcommand.outputs : command.outputs;
    const values = long === 'output' && outputs ? outputs.join('|') : (spec?.value ?? 'VALUE');
    const example = long === 'output' && outputs ? outputs.map((o) => `-o ${o}`).join(' or ') : `${given} ${values}`;
    return new CliError(`option ${both} needs a value (${values})`, `pass ${example}; ${help}`);
  }
  return new CliError(firstLine(error.message), help);
}

function outputFormat(
  label: string,
  outputs: readonly OutputFormat[] | undefined,
  flags: Record<string, unknown>,
): OutputFormat {
  if (!outputs) return 'text';
  const requested = typeof flags.output === 'string' ? flags.output : flags.json === true ? 'json' : outputs[0]!;
  if (flags.json === true && typeof flags.output === 'string' && flags.output !== 'json') {
    throw new CliError(`--json and -o ${flags.output} disagree`, 'pass one of them');
  }
  if (!(outputs as readonly string[]).includes(requested)) {
    throw new CliError(`-o ${requested} is not an output of \`${label}\``, `use one of: ${outputs.join(', ')}`);
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
  if (error instanceof RolloutInputError) {
    stderr(`ERROR ${error.message}`);
    return 2;
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
