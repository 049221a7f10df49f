/** Help texts, generated from the command table so they never disagree with the flags actually accepted. */
import type { Command, FlagSpec, Subcommand } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import type { OutputFormat } from './output.ts';

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'usage: fleet <command> [flags]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    '',
    'flags everywhere: -h/--help (help of a command), -o/--output FORMAT (where a command has formats;',
    '--json = -o json)',
    '`fleet --version` prints the version; `fleet help <command>` or `fleet <command> --help` describes a command.',
    'Results go to stdout; progress, warnings and errors to stderr. FLEET_DEBUG=1 shows the stack of a failure.',
    '',
  ].join('\n');
}

/** The usage lines of a command: its own, or one per subcommand. */
export function usageLines(command: Command): readonly string[] {
  return command.usage.length > 0 ? command.usage : (command.subcommands ?? []).map((s) => s.usage);
}

function flagRows(
  flags: Readonly<Record<string, FlagSpec>>,
  outputs: readonly OutputFormat[] | undefined,
  where: (name: string) => string = () => '',
): Array<[string, string]> {
  const rows: Array<[string, string]> = Object.entries(flags).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`,
    `${spec.description}${spec.default !== undefined ? ` (default ${spec.default})` : ''}${spec.multiple ? ' (repeatable)' : ''}${where(name)}`,
  ]);
  if (outputs)
    rows.push([
      '-o, --output FORMAT',
      `${outputs.join(' | ')} (default ${outputs[0]}); --json is -o json${where('output')}`,
    ]);
  rows.push(['-h, --help', 'show this help']);
  return rows;
}

function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)} ${right}`);
}

/** Help of a command, or of one of its subcommands (its usage, summary and exactly its flags). */
export function commandHelp(command: Command, subcommand?: Subcommand): string {
  if (subcommand)
    return [
      `usage: ${subcommand.usage}`,
      '',
      `${subcommand.summary}.`,
      '',
      'flags:',
      ...table(flagRows({ ...command.flags, ...subcommand.flags }, subcommand.outputs)),
      '',
    ].join('\n');
  const subs = command.subcommands ?? [];
  // A command with subcommands lists every flag once, with the subcommands that take it when not all do.
  const flags: Record<string, FlagSpec> = { ...command.flags };
  for (const sub of subs) Object.assign(flags, sub.flags);
  const takers = (name: string) => {
    if (subs.length === 0 || name in command.flags) return '';
    const who = subs.filter((s) => (name === 'output' ? s.outputs !== undefined : name in s.flags)).map((s) => s.name);
    return who.length === subs.length ? '' : ` [${who.join(', ')}]`;
  };
  const outputs = command.outputs ?? subs.find((s) => s.outputs)?.outputs;
  return [
    ...usageLines(command).map((line, i) => `${i === 0 ? 'usage: ' : '       '}${line}`),
    '',
    command.description.trim(),
    ...(subs.length > 0 ? ['', 'subcommands:', ...table(subs.map((s) => [s.name, s.summary] as const))] : []),
    '',
    'flags:',
    ...table(flagRows(flags, outputs, takers)),
    ...(subs.length > 0
      ? ['', `\`fleet ${command.name} <subcommand> --help\` describes one subcommand and its flags.`]
      : []),
    '',
  ].join('\n');
}
