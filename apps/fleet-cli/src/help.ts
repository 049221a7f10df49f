/** Help texts, generated from the command table so they never disagree with the flags actually accepted. */
import type { Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';

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

export function commandHelp(command: Command): string {
  const flags: Array<[string, string]> = Object.entries(command.flags).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`,
    `${spec.description}${spec.multiple ? ' (repeatable)' : ''}`,
  ]);
  if (command.outputs) {
    flags.push([
      '-o, --output FORMAT',
      `${command.outputs.join(' | ')} (default ${command.outputs[0]}); --json is -o json`,
    ]);
  }
  flags.push(['-h, --help', 'show this help']);
  const width = Math.max(...flags.map(([left]) => left.length)) + 2;
  return [
    ...command.usage.map((line, i) => `${i === 0 ? 'usage: ' : '       '}${line}`),
    '',
    command.description.trim(),
    '',
    'flags:',
    ...flags.map(([left, right]) => `  ${left.padEnd(width)} ${right}`),
    '',
  ].join('\n');
}
