/** `fleet completion bash|zsh`: a completion script generated from the command table. */
import { CliError, type Command } from '../command.ts';
import { COMMANDS } from './index.ts';

function words(command: Command): string {
  const flags = Object.entries(command.flags).map(([name, spec]) => [
    `--${name}`,
    ...(spec.short ? [`-${spec.short}`] : []),
  ]);
  if (command.outputs) flags.push(['-o', '--output', '--json']);
  return [...flags.flat(), '--help'].join(' ');
}

function bash(): string {
  const cases = COMMANDS.map((c) => `    ${c.name}) flags="${words(c)}" ;;`).join('\n');
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
Prints a completion script for the commands and each command's flags, generated from the command table.
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
