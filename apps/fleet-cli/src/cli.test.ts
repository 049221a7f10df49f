/**
 * The command line as a user meets it: help per command, --version, flags checked per command, results on stdout and
 * progress on stderr, and — for every bad invocation — an exit code and one clear ERROR line with the fix, never a
 * stack trace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
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
    error: /--cluster needs a value — fix: see `fleet model --help`/,
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
    error: /`fleet infra` needs an action — fix: run `fleet infra plan` or `fleet infra deploy`/,
  },
  {
    name: 'unknown infra action',
    args: () => ['infra', 'destroy'],
    code: 2,
    error: /unknown infra action "destroy" — fix: run `fleet infra plan`/,
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
    name: 'missing fleet file',
    args: (s) => ['model', '--fleet', path.join(s, 'nope.yaml')],
    code: 1,
    error: /expected an existing fleet file or fleet directory — fix: check the --fleet path/,
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
    error: /expected a fleet directory with a fleet.yaml — fix: create fleet.yaml/,
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
  it('synth creates a --root that does not exist yet (the benchmark and the e2e harness rely on it)', async () => {
    const root = path.join(scratchDir(), 'new', 'repository');
    const result = await runCli(['synth', '--root', root]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(root, 'clusters/bu0001a0042-03/kustomization.yaml'))).toBe(true);
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
    expect(synth.stdout).toContain('infrastructure/');
    expect(synth.stdout).not.toContain('--base');
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
    const syntax = spawnSync('bash', ['-n'], { input: result.stdout, encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
  });
});
