/** `fleet completion bash|zsh`: a completion script generated from the command table. */
import { CliError, type Command, type FlagSpec } from '../command.ts';
import { COMMANDS } from './index.ts';

function words(flags: Readonly<Record<string, FlagSpec>>, outputs: boolean): string {
  const all = Object.entries(flags).map(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]);
  if (outputs) all.push(['-o', '--output', '--json']);
  return [...all.flat(), '--help'].join(' ');
}

/** One `case` arm: the command's flags, or its subcommands' names and then each one's flags. */
function arm(command: Command): string {
  const subs = command.subcommands;
  if (!subs) return `    ${command.name}) flags="${words(command.flags, command.outputs !== undefined)}" ;;`;
  return [
    `    ${command.name}) flags="${subs.map((s) => s.name).join(' ')} --help"`,
    '      if [ "$COMP_CWORD" -gt 2 ]; then',
    '        case "${COMP_WORDS[2]}" in',
    ...subs.map(
      (s) => `          ${s.name}) flags="${words({ ...command.flags, ...s.flags }, s.outputs !== undefined)}" ;;`,
    ),
    '        esac',
    '      fi ;;',
  ].join('\n');
}

function bash(): string {
  const cases = COMMANDS.map(arm).join('\n');
  return `# fleet completion for bash: source <(npx fleet completion bash)
_fleet() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${COMMANDS.map((c) => c.name).join(' ')} help --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -o default -F _fleet fleet
`;
}

export const completionCommand: Command = {
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh)',
  usage: ['fleet completion bash|zsh'],
  description: `
Prints a completion script for the commands, their subcommands and flags, generated from the command table.
bash: source <(npx fleet completion bash). zsh: autoload -U bashcompinit && bashcompinit, then the same.`,
  flags: {},
  positionals: ['shell'],
  run: ({ args, out }) => {
    const shell = args[0];
    if (shell !== 'bash' && shell !== 'zsh') {
      throw new CliError(
        shell === undefined ? '`fleet completion` needs a shell' : `no completion for shell "${shell}"`,
        'run `fleet completion bash` or `fleet completion zsh`',
      );
    }
    out.write(bash());
    return 0;
  },
};
