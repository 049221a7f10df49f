/**
 * Runs a GitHub Actions job's steps locally, in their order, on a repository folder — what `ci.yml` would do on a
 * push event. Steps that need GitHub or a fresh machine are mapped to their local equivalent and say so; an
 * expression or condition the table below does not know is an error, so a new one cannot slip by unnoticed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

export interface WorkflowStep {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface StepResult {
  readonly name: string;
  /** ran: executed here; mapped: replaced by its local equivalent; skipped: its condition is false on a push. */
  readonly outcome: 'ran' | 'mapped' | 'skipped';
  readonly code: number;
  readonly output: string;
  readonly note?: string;
}

export interface LocalRun {
  readonly repo: string;
  /** Folders the mapped set-up steps link into the repository's .cache (tools built by install-tools.sh, schemas). */
  readonly toolsDir: string;
  readonly schemasDir: string;
}

/** Expressions of a push to main, as the runner would see them. */
function expressions(run: LocalRun): ReadonlyMap<string, string> {
  return new Map([
    ['github.workspace', run.repo],
    ["github.event_name == 'pull_request' && github.event.pull_request.base.sha || github.event.before", 'HEAD~1'],
    ["github.event_name == 'pull_request' && github.event.pull_request.head.sha || github.sha", 'HEAD'],
    ['github.base_ref', 'main'],
  ]);
}

const CONDITIONS: ReadonlyMap<string, boolean> = new Map([["github.event_name == 'pull_request'", false]]);

/** Actions with a local equivalent: the repository is the checkout, this Node and Go are the set-up ones. */
const ACTIONS: ReadonlyMap<string, string> = new Map([
  ['actions/checkout', 'the temporary repository is the checkout'],
  ['actions/setup-node', `this Node ${process.version}`],
  ['actions/setup-go', 'the Go on PATH (only install-tools.sh needs it)'],
  ['actions/setup-python', 'the Python on PATH (checkov runs in a venv of scripts/checkov.sh)'],
]);

function substitute(text: string, run: LocalRun): string {
  const known = expressions(run);
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const value = known.get(expression);
    if (value === undefined)
      throw new Error(`workflow expression \${{ ${expression} }} has no local value: add it to workflow-runner.ts`);
    return value;
  });
}

/** Runs `steps` in order and stops at the first failing one, as GitHub Actions does. */
export function runJobLocally(
  steps: readonly WorkflowStep[],
  env: Readonly<Record<string, string>>,
  run: LocalRun,
): StepResult[] {
  const results: StepResult[] = [];
  const baseEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, substitute(String(v), run)]));
  for (const step of steps) {
    const name = step.name ?? step.uses ?? step.run ?? '(unnamed)';
    if (step.if !== undefined) {
      const condition = CONDITIONS.get(step.if.replace(/^\$\{\{\s*|\s*\}\}$/g, ''));
      if (condition === undefined)
        throw new Error(`workflow condition "${step.if}" has no local value: add it to workflow-runner.ts`);
      if (!condition) {
        results.push({ name, outcome: 'skipped', code: 0, output: '' });
        continue;
      }
    }
    if (step.uses) {
      const action = step.uses.split('@')[0]!;
      const note = ACTIONS.get(action);
      if (note === undefined)
        throw new Error(`action ${step.uses} has no local equivalent: add it to workflow-runner.ts`);
      results.push({ name, outcome: 'mapped', code: 0, output: '', note });
      continue;
    }
    const script = substitute(step.run ?? '', run);
    if (script.trim() === 'npm ci') {
      results.push({ name, outcome: 'mapped', code: 0, output: '', note: 'node_modules is linked from the workspace' });
      continue;
    }
    if (/install-tools\.sh|fetch-schemas\.sh/.test(script)) {
      mkdirSync(path.join(run.repo, '.cache'), { recursive: true });
      for (const [link, target] of [
        ['tools', run.toolsDir],
        ['schemas', run.schemasDir],
      ] as const) {
        rmSync(path.join(run.repo, '.cache', link), { force: true });
        symlinkSync(target, path.join(run.repo, '.cache', link));
      }
      results.push({
        name,
        outcome: 'mapped',
        code: 0,
        output: '',
        note: 'links the workspace .cache/tools and the schema location',
      });
      continue;
    }
    // The pinned checkov venv is shared with the workspace (installed once there); the scan itself runs for real.
    const sharedEnv = /checkov\.sh/.test(script)
      ? { CHECKOV_VENV: path.join(path.dirname(run.toolsDir), 'checkov') }
      : {};
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), run)]));
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: run.repo,
      env: { ...process.env, ...baseEnv, ...stepEnv, ...sharedEnv },
      encoding: 'utf8',
    });
    const code = result.status ?? 1;
    results.push({ name, outcome: 'ran', code, output: `${result.stdout}${result.stderr}` });
    if (code !== 0) break;
  }
  return results;
}
