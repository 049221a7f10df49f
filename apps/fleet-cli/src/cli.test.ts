/**
 * The command line as a user meets it: help per command, --version, flags checked per command, results on stdout and
 * progress on stderr, and — for every bad invocation — an exit code and one clear ERROR line with the fix, never a
 * stack trace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { CLUSTER_SOURCE_FLAGS } from './commands/cluster-source.ts';
import { COMMANDS } from './commands/index.ts';
import { reportError } from './main.ts';
import { cleanScratch, REPO_ROOT, runCli, scratchDir } from './testing/run-cli.ts';

afterEach(cleanScratch);

interface BadInvocation {
  readonly name: string;
  readonly args: (scratch: string) => string[];
  readonly code: number;
  /** What the ERROR line must say (the fix included). */
  readonly error: RegExp;
}

function file(scratch: string, name: string, content: string): string {
  const target = path.join(scratch, name);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  return target;
}

function gitRepository(scratch: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: scratch, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=t@aks-fleet.invalid', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'empty');
  return scratch;
}

const BAD: readonly BadInvocation[] = [
  { name: 'no command', args: () => [], code: 2, error: /no command given — fix: run `fleet --help`/ },
  {
    name: 'unknown command',
    args: () => ['deploy'],
    code: 2,
    error: /unknown command "deploy" — fix: run `fleet --help`/,
  },
  {
    name: 'misspelt command',
    args: () => ['synht'],
    code: 2,
    error: /unknown command "synht" — fix: did you mean `fleet synth`\?/,
  },
  {
    name: 'unknown flag',
    args: () => ['synth', '--forse'],
    code: 2,
    error: /unknown flag --forse for `fleet synth` — fix: see `fleet synth --help`/,
  },
  {
    name: 'flag of another command',
    args: () => ['synth', '--base', 'HEAD'],
    code: 2,
    error: /--base is not a flag of `fleet synth` \(it belongs to fleet diff\) — fix: remove it/,
  },
  {
    name: 'flag before the command',
    args: () => ['--root', '.', 'synth'],
    code: 2,
    error: /"--root" before the command — fix: put flags after the command/,
  },
  {
    name: 'flag without its value',
    args: () => ['model', '--cluster'],
    code: 2,
    error: /^ERROR option --cluster needs a value \(NAME\) — fix: pass --cluster NAME; see `fleet model --help`$/,
  },
  {
    name: 'issue 14: -o without its value names both spellings and the formats',
    args: () => ['model', '-o'],
    code: 2,
    error:
      /^ERROR option -o\/--output needs a value \(text\|json\) — fix: pass -o text or -o json; see `fleet model --help`$/,
  },
  {
    name: 'a value for a flag that takes none',
    args: () => ['synth', '--verbose=yes'],
    code: 2,
    error: /^ERROR option --verbose takes no value — fix: pass --verbose alone; see `fleet synth --help`$/,
  },
  {
    name: '-o=FORMAT is read as -o FORMAT',
    args: () => ['model', '-o=xml'],
    code: 2,
    error: /^ERROR -o xml is not an output of `fleet model` — fix: use one of: text, json$/,
  },
  {
    name: 'issue 14: misspelt global flag',
    args: () => ['--verison'],
    code: 2,
    error: /^ERROR unknown flag --verison — fix: did you mean `fleet --version`\?$/,
  },
  {
    name: 'an argument after --version',
    args: () => ['--version', 'synth'],
    code: 2,
    error: /^ERROR unexpected argument "synth" for `fleet --version` — fix: run `fleet --version` alone$/,
  },
  {
    name: 'validate --changed-since a ref git does not have (was: "this is a bug in fleet", exit 70)',
    args: () => ['validate', '--root', REPO_ROOT, '--changed-since', 'no-such-ref'],
    code: 2,
    error: /^ERROR unknown git ref "no-such-ref" in .* — fix: pass a commit git has/,
  },
  {
    name: 'unknown global flag',
    args: () => ['--frobnicate'],
    code: 2,
    error: /^ERROR unknown flag --frobnicate — fix: fleet itself takes only --help and --version/,
  },
  {
    name: 'rollout without a subcommand',
    args: () => ['rollout'],
    code: 2,
    error:
      /^ERROR `fleet rollout` needs a subcommand — fix: run one of `fleet rollout status`, `fleet rollout promote`, `fleet rollout pause`, `fleet rollout resume`, `fleet rollout workflow`/,
  },
  {
    name: 'misspelt rollout subcommand',
    args: () => ['rollout', 'promte', 'centralus'],
    code: 2,
    error: /^ERROR unknown subcommand "promte" for `fleet rollout` — fix: did you mean `fleet rollout promote`\?/,
  },
  {
    name: 'rollout subcommand without its positional',
    args: () => ['rollout', 'promote'],
    code: 2,
    error: /^ERROR `fleet rollout promote` needs a <wave> — fix: name it: `fleet rollout promote <wave>`/,
  },
  {
    name: 'extra argument to a rollout subcommand',
    args: () => ['rollout', 'workflow', 'now'],
    code: 2,
    error: /^ERROR unexpected argument "now" for `fleet rollout workflow` — fix: usage: fleet rollout workflow/,
  },
  {
    name: 'flag of a sibling subcommand',
    args: () => ['rollout', 'pause', 'centralus', '--to', 'HEAD'],
    code: 2,
    error:
      /^ERROR --to is not a flag of `fleet rollout pause` \(it belongs to fleet rollout promote\) — fix: remove it; see `fleet rollout pause --help`$/,
  },
  {
    name: 'misspelt flag of a subcommand',
    args: () => ['rollout', 'promote', 'centralus', '--dryrun'],
    code: 2,
    error: /^ERROR unknown flag --dryrun for `fleet rollout promote` — fix: did you mean --dry-run\? see/,
  },
  {
    name: 'status flag on another command',
    args: () => ['synth', '--kubeconfig', 'x'],
    code: 2,
    error:
      /^ERROR --kubeconfig is not a flag of `fleet synth` \(it belongs to fleet status, fleet rollout status, fleet rollout promote, fleet rollout pause, fleet rollout resume\)/,
  },
  {
    name: '-o on a subcommand without output formats',
    args: () => ['rollout', 'workflow', '-o', 'json'],
    code: 2,
    error: /^ERROR `fleet rollout workflow` has no output formats \(no -o\) — fix: remove -o/,
  },
  {
    name: 'status output format it does not have',
    args: () => ['status', '-o', 'yaml'],
    code: 2,
    error: /^ERROR -o yaml is not an output of `fleet status` — fix: use one of: text, json$/,
  },
  {
    name: 'status with an argument',
    args: () => ['status', 'extra'],
    code: 2,
    error: /^ERROR unexpected argument "extra" for `fleet status` — fix: usage: fleet status/,
  },
  {
    name: 'status: a context flag naming no cluster of the fleet',
    args: () => ['status', '--context', 'nope=ctx'],
    code: 2,
    error:
      /^ERROR --context nope=ctx: "nope" is not a cluster of the fleet \(expected one of bu0001a0042-03, bu0001a0042-04\) — fix: map each cluster/,
  },
  {
    name: 'status: a timeout of zero',
    args: () => ['status', '--timeout', '0s'],
    code: 2,
    error: /^ERROR --timeout 0s: expected a duration above zero — fix: pass e\.g\. --timeout 10s$/,
  },
  {
    name: 'rollout: a duration that does not parse',
    args: () => ['rollout', 'promote', 'centralus', '--wait', 'soon'],
    code: 2,
    error: /^ERROR --wait soon: expected a duration like 90s, 15m or 1h30m — fix: pass e\.g\. --wait 90s$/,
  },
  {
    name: 'status: an unknown source',
    args: () => ['status', '--source', 'carrier-pigeon'],
    code: 2,
    error:
      /^ERROR --source carrier-pigeon: expected kubernetes \(kubeconfig contexts\) or arm .* — fix: pass --source kubernetes or --source arm$/,
  },
  {
    name: 'status: --source arm without a subscription',
    args: () => ['status', '--source', 'arm', '--subscription', ''],
    code: 2,
    error:
      /^ERROR --source arm needs the subscription: neither --subscription nor AZURE_SUBSCRIPTION_ID is set — fix: set AZURE_SUBSCRIPTION_ID/,
  },
  {
    name: 'status: a contexts file that does not exist',
    args: (s) => ['status', '--contexts', path.join(s, 'contexts.yaml')],
    code: 2,
    error: /^ERROR --contexts .*contexts\.yaml: no such file; .* — fix: check the path$/,
  },
  {
    name: 'extra argument',
    args: () => ['synth', 'everything'],
    code: 2,
    error: /unexpected argument "everything" for `fleet synth` — fix: usage: fleet synth/,
  },
  {
    name: 'output format a command does not have',
    args: () => ['synth', '-o', 'markdown'],
    code: 2,
    error: /-o markdown is not an output of `fleet synth` — fix: use one of: text, json/,
  },
  {
    name: 'diff without --base',
    args: () => ['diff'],
    code: 2,
    error: /`fleet diff` needs --base <git-ref> — fix: pass the ref to compare with/,
  },
  {
    name: 'bad git ref',
    args: (s) => ['diff', '--base', 'no-such-ref', '--root', gitRepository(s)],
    code: 2,
    error: /unknown git ref "no-such-ref" in .* — fix: pass a commit git has/,
  },
  {
    name: 'diff outside a git repository',
    args: (s) => ['diff', '--base', 'HEAD', '--root', s],
    code: 2,
    error: /is not a git repository — fix: run fleet diff inside the repository/,
  },
  {
    name: 'infra without an action',
    args: () => ['infra'],
    code: 2,
    error: /`fleet infra` needs a subcommand — fix: run one of `fleet infra plan`, `fleet infra deploy`/,
  },
  {
    name: 'unknown infra action',
    args: () => ['infra', 'destroy'],
    code: 2,
    error: /unknown subcommand "destroy" for `fleet infra` — fix: run one of `fleet infra plan`, `fleet infra deploy`$/,
  },
  {
    name: 'infra deploy has no output formats',
    args: () => ['infra', 'deploy', '-o', 'json'],
    code: 2,
    error:
      /^ERROR `fleet infra deploy` has no output formats \(no -o\) — fix: remove -o; see `fleet infra deploy --help`$/,
  },
  {
    name: 'unknown region',
    args: () => ['infra', 'plan', '--region', 'westeurope'],
    code: 2,
    error: /unknown region "westeurope"; the fleet has eastus2, centralus — fix: pass one of these to --region/,
  },
  {
    name: 'unknown cluster',
    args: (s) => ['synth', '--cluster', 'bu0001a0042-99', '--root', s],
    code: 2,
    error:
      /unknown cluster bu0001a0042-99; the fleet has bu0001a0042-03, bu0001a0042-04 — fix: pass one of these to --cluster/,
  },
  {
    name: 'missing fleet file: a bad flag value, exit 2 (was 1 and "1 error(s) in the fleet model")',
    args: (s) => ['model', '--fleet', path.join(s, 'nope.yaml')],
    code: 2,
    error:
      /^ERROR --fleet \S+nope\.yaml: no such file or folder; expected a fleet file or a fleet directory \(with fleet\.yaml\) — fix: check the path, or omit --fleet to use the embedded default fleet$/,
  },
  {
    name: 'empty fleet file',
    args: (s) => ['model', '--fleet', file(s, 'empty.yaml', '')],
    code: 1,
    error: /ERROR \S+: got .* — fix: /,
  },
  {
    name: 'fleet file that is not YAML',
    args: (s) => ['model', '--fleet', file(s, 'bad.yaml', 'spec: [unclosed\n')],
    code: 1,
    error: /expected valid YAML — fix: /,
  },
  {
    name: 'fleet directory without fleet.yaml',
    args: (s) => ['synth', '--fleet', s, '--root', s],
    code: 1,
    error: /expected a fleet directory with a fleet.yaml — fix: create \S+\/fleet.yaml/,
  },
  {
    name: 'missing root',
    args: (s) => ['validate', '--root', path.join(s, 'missing')],
    code: 2,
    error: /--root .*missing: no such folder — fix: pass the repository root/,
  },
  {
    name: 'root that is a file',
    args: (s) => ['validate', '--root', file(s, 'a-file', 'x')],
    code: 2,
    error: /--root .*a-file: not a folder — fix: pass the repository root/,
  },
  {
    name: 'synth into a non-empty folder that is not a fleet repository',
    args: (s) => ['synth', '--root', path.dirname(file(s, 'notes/todo.txt', 'x'))],
    code: 2,
    error:
      /not a fleet repository \(no nx.json, manifests\/, clusters\/ or infrastructure\/\) — fix: pass the repository root/,
  },
  {
    name: 'root without a synthesized tree',
    args: (s) => ['validate', '--root', s],
    code: 1,
    error: /no synthesized tree under .* — fix: run `fleet synth` first/,
  },
  {
    name: 'unknown completion shell',
    args: () => ['completion', 'fish'],
    code: 2,
    error: /no completion for shell "fish" — fix: run `fleet completion bash`/,
  },
  {
    name: 'conflicting --json and -o',
    args: () => ['model', '--json', '-o', 'text'],
    code: 2,
    error: /--json and -o text disagree — fix: pass one of them/,
  },
];

describe('bad invocations: exit code, one ERROR line with the fix, no stack trace', () => {
  it('the table covers at least 15 cases', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(15);
  });

  it.each(BAD)('$name', async ({ args, code, error }) => {
    const result = await runCli(args(scratchDir('fleet-bad-')));
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('ERROR'));
    expect(errors, result.stderr).toHaveLength(1);
    expect(errors[0]).toMatch(error);
    expect(errors[0]).toContain('fix: ');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(code);
  });

  it('the real binary prints one line too (no stack from the launcher)', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'apps/fleet-cli/bin/fleet.js'), 'synth', '--bogus'],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toStrictEqual([
      'ERROR unknown flag --bogus for `fleet synth` — fix: see `fleet synth --help`',
    ]);
  });

  it('an unexpected failure is one line that says how to see the stack; FLEET_DEBUG=1 shows it', () => {
    const captured: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (captured.push(chunk), true)) as typeof process.stderr.write;
    const saved = process.env.FLEET_DEBUG;
    try {
      delete process.env.FLEET_DEBUG;
      expect(reportError(new TypeError('cannot read properties of undefined'))).toBe(70);
      expect(captured.join('')).toBe(
        'ERROR cannot read properties of undefined — this is a bug in fleet; re-run with FLEET_DEBUG=1 for the stack\n',
      );
      captured.length = 0;
      process.env.FLEET_DEBUG = '1';
      reportError(new TypeError('boom'));
      expect(captured.join('')).toMatch(/\n\s+at /);
    } finally {
      process.stderr.write = write;
      if (saved === undefined) delete process.env.FLEET_DEBUG;
      else process.env.FLEET_DEBUG = saved;
    }
  });
});

describe('--root', () => {
  it('synth refuses a --root that does not exist (was: exit 0, the folder created and the tree written there)', async () => {
    const root = path.join(scratchDir(), 'nowhere');
    const result = await runCli(['synth', '--root', root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `ERROR --root ${root}: no such folder — fix: point --root at a fleet repository (the folder with nx.json), ` +
        `or create the folder first (\`mkdir -p ${root}\`) to synthesize a new tree there\n`,
    );
    expect(existsSync(root)).toBe(false);
  });

  it('synth writes into an existing empty folder (tests and the benchmark synthesize into fresh temp folders)', async () => {
    const root = scratchDir();
    const result = await runCli(['synth', '--root', root]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(root, 'clusters/bu0001a0042-03/kustomization.yaml'))).toBe(true);
  });

  it('synth refuses an existing non-empty folder that is not a fleet repository, and writes nothing there', async () => {
    const root = scratchDir();
    writeFileSync(path.join(root, 'notes.txt'), 'mine\n');
    const result = await runCli(['synth', '--root', root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ERROR --root .*: a non-empty folder that is not a fleet repository .* — fix: /);
    expect(readdirSync(root)).toStrictEqual(['notes.txt']);
  });
});

describe('help, version, output', () => {
  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag]);
      expect(result).toStrictEqual({ code: 0, stdout: `fleet ${packageJson.version}\n`, stderr: '' });
    }
  });

  it('every command has its own help, listing exactly its flags', async () => {
    for (const command of COMMANDS) {
      const viaFlag = await runCli([command.name, '--help']);
      const viaHelp = await runCli(['help', command.name]);
      expect(viaFlag.code).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      expect(viaFlag.stdout.startsWith(`usage: fleet ${command.name}`)).toBe(true);
      for (const flag of Object.keys(command.flags)) expect(viaFlag.stdout).toContain(`--${flag}`);
    }
    const synth = await runCli(['synth', '--help']);
    expect(synth.stdout).not.toContain('--kubeconfig');
    expect(synth.stdout).toContain('infrastructure/');
    expect(synth.stdout).not.toContain('--base');
  });

  it('every subcommand has its own help, listing exactly its flags (and its command lists them all)', async () => {
    const withSubcommands = COMMANDS.filter((c) => c.subcommands);
    expect(withSubcommands.map((c) => c.name)).toContain('rollout');
    for (const command of withSubcommands) {
      const overall = (await runCli([command.name, '--help'])).stdout;
      for (const sub of command.subcommands!) {
        expect(overall).toContain(sub.usage);
        expect(overall).toMatch(new RegExp(`^  ${sub.name} +${sub.summary.slice(0, 20).replace(/[()]/g, '.')}`, 'm'));
        const viaFlag = await runCli([command.name, sub.name, '--help']);
        const viaHelp = await runCli(['help', command.name, sub.name]);
        expect(viaFlag.code).toBe(0);
        expect(viaHelp.stdout).toBe(viaFlag.stdout);
        expect(viaFlag.stdout.startsWith(`usage: fleet ${command.name} ${sub.name}`)).toBe(true);
        const listed = [...viaFlag.stdout.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
        const expected = [...Object.keys(command.flags), ...Object.keys(sub.flags), ...(sub.outputs ? ['output'] : [])];
        expect(listed.sort()).toStrictEqual([...expected, 'help'].sort());
      }
    }
    const pause = await runCli(['rollout', 'pause', '--help']);
    expect(pause.stdout).not.toContain('--to');
    const status = await runCli(['status', '--help']);
    expect(status.stdout).toMatch(/^ {2}--timeout DURATION +how long one cluster may take to answer \(default 10s\)$/m);
  });

  it('usage lines and flag lists agree with what is accepted (one source: the flags each subcommand takes)', async () => {
    // Was: `rollout workflow --help` listed the cluster source flags its usage did not show, pause/resume accepted them
    // unshown, and `infra plan --help` listed --key-vault-access-ip (deploy only).
    const sourceFlags = Object.keys(CLUSTER_SOURCE_FLAGS);
    const invocations = COMMANDS.flatMap((command) =>
      command.subcommands
        ? command.subcommands.map((sub) => ({
            words: [command.name, sub.name],
            usage: sub.usage,
            flags: { ...command.flags, ...sub.flags },
          }))
        : [{ words: [command.name], usage: command.usage.join(' '), flags: command.flags }],
    );
    const everyFlag = new Set(
      COMMANDS.flatMap((c) => [...Object.keys(c.flags), ...(c.subcommands ?? []).flatMap((s) => Object.keys(s.flags))]),
    );
    for (const { words, usage, flags } of invocations) {
      const here = words.join(' ');
      const shown = new Set([...usage.matchAll(/--([\w-]+)/g)].map((m) => m[1]!));
      if (here === 'diff') shown.add('format'); // the old spelling of -o, kept for scripts, listed but not advertised
      if (usage.includes('[cluster source flags]')) for (const flag of sourceFlags) shown.add(flag);
      expect(
        [...Object.keys(flags)].filter((flag) => !shown.has(flag)),
        `accepted, not in the usage of ${here}`,
      ).toEqual([]);
      expect(
        [...shown].filter((flag) => !(flag in flags)),
        `in the usage of ${here}, not accepted`,
      ).toEqual([]);
      // Every flag its help lists is accepted, every other flag of the CLI refused: parsing is strict and runs first.
      const help = (await runCli([...words, '--help'])).stdout;
      const listed = [...help.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!).filter((f) => f !== 'help');
      for (const flag of everyFlag) {
        const spec = flags[flag];
        const value = spec?.type === 'boolean' ? [] : ['x'];
        const result = await runCli([...words, `--${flag}`, ...value, '--help']);
        expect(result.code, `${here} --${flag}: ${result.stderr}`).toBe(listed.includes(flag) ? 0 : 2);
      }
    }
  });

  it('fleet --help <command> [<subcommand>] is the help of that command', async () => {
    expect((await runCli(['--help', 'synth'])).stdout).toBe((await runCli(['synth', '--help'])).stdout);
    expect((await runCli(['-h', 'rollout', 'promote'])).stdout).toBe(
      (await runCli(['help', 'rollout', 'promote'])).stdout,
    );
  });

  it('fleet --help lists every command', async () => {
    const result = await runCli(['--help']);
    for (const command of COMMANDS)
      expect(result.stdout).toMatch(
        new RegExp(`^  ${command.name} +${command.summary.slice(0, 20).replace(/[()]/g, '.')}`, 'm'),
      );
  });

  it('results on stdout, progress on stderr: -o json is one parseable document', async () => {
    const root = scratchDir();
    const result = await runCli(['synth', '--root', root, '--verbose', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).written.length).toBeGreaterThan(100);
    expect(result.stderr).toContain('  synthesized bu0001a0042-03');
    expect((await runCli(['model', '--json'])).stdout).toBe((await runCli(['model', '-o', 'json'])).stdout);
  });

  it('completion knows every command and its flags', async () => {
    const result = await runCli(['completion', 'bash']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(`    ${command.name}) flags="`);
    expect(result.stdout).toContain('--list-rules');
    expect(result.stdout).toContain('    rollout) flags="status promote pause resume workflow --help"');
    expect(result.stdout).toMatch(
      /^ {10}promote\) flags="--fleet --root --remote --source --kubeconfig .*--timeout .*--to --dry-run --wait --interval -o --output --json --help" ;;$/m,
    );
    expect(result.stdout).toMatch(/^ {10}workflow\) flags="--fleet --help" ;;$/m);
    const syntax = spawnSync('bash', ['-n'], { input: result.stdout, encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
  });
});
