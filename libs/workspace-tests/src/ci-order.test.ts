/**
 * CI can fail: the steps of `.github/workflows/ci.yml`, read from the file and run in their order on a temporary
 * repository, stop at the drift check when a model edit is committed without re-synthesizing, and pass on a
 * clean repository. A control proves the test sees the order: with an `nx affected -t synth` step before the drift
 * check (the old workflow), the same edit passes the drift check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyWorkspace, ROOT, type WorkspaceCopy } from './testing/workspace-copy.ts';
import { runJobLocally, type StepResult, type WorkflowStep } from './testing/workflow-runner.ts';

const DRIFT_STEP = 'Drift (committed output equals the fleet model)';
const CLUSTER_FILE = 'libs/fleet/default-fleet/clusters/bu0001a0042-04/cluster.yaml';

const workflow = parse(readFileSync(path.join(ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
  env: Record<string, string>;
  jobs: { fleet: { steps: WorkflowStep[] } };
};

let copy: WorkspaceCopy;

beforeAll(() => {
  copy = copyWorkspace('fleet-ci-');
});
afterAll(() => copy?.remove());
beforeEach(() => {
  copy.git('reset', '-q', '--hard', copy.git('rev-list', '--max-parents=0', 'HEAD').trim());
  copy.git('clean', '-q', '-fdx', '-e', '.cache', '-e', 'node_modules');
});

function run(steps: readonly WorkflowStep[] = workflow.jobs.fleet.steps): StepResult[] {
  return runJobLocally(steps, workflow.env, {
    repo: copy.dir,
    toolsDir: path.join(ROOT, '.cache/tools'),
    schemasDir: process.env.FLEET_SCHEMA_LOCATION || path.join(ROOT, '.cache/schemas'),
  });
}

function commitUnsynthesizedModelEdit(): void {
  const file = path.join(copy.dir, CLUSTER_FILE);
  writeFileSync(file, readFileSync(file, 'utf8').replace('maxCount: 7', 'maxCount: 8'));
  copy.commitAll('scale cluster 04 without re-synthesizing');
}

describe('ci.yml, run in its order', () => {
  it('fails at the drift step on an unsynthesized model edit, and runs nothing after it', () => {
    commitUnsynthesizedModelEdit();
    const results = run();
    const failed = results.filter((r) => r.code !== 0);
    expect(failed.map((r) => r.name)).toStrictEqual([DRIFT_STEP]);
    expect(results.at(-1)!.name).toBe(DRIFT_STEP);
    expect(failed[0]!.output).toMatch(/DRIFT infrastructure\/clusters\/bu0001a0042-04\//);
    expect(failed[0]!.output).toContain('fix: run `npm run synth` and commit the result');
    // Nothing before the drift step ran a command that could rewrite the tree.
    const before = results.slice(0, -1);
    expect(before.filter((r) => r.outcome === 'ran')).toStrictEqual([]);
  });

  it('passes on a clean repository (every local step runs and succeeds)', () => {
    writeFileSync(path.join(copy.dir, 'README.md'), `${readFileSync(path.join(copy.dir, 'README.md'), 'utf8')}\n`);
    copy.commitAll('docs only');
    const results = run();
    const failed = results.find((r) => r.code !== 0);
    expect(failed, failed && `${failed.name}:\n${failed.output}`).toBeUndefined();
    expect(results.filter((r) => r.outcome === 'ran').map((r) => r.name)).toEqual(
      expect.arrayContaining([DRIFT_STEP, 'Gate']),
    );
    expect(results.length).toBe(workflow.jobs.fleet.steps.length);
  });

  it('control: a synth step before the drift check (the old order) hides the same drift', () => {
    commitUnsynthesizedModelEdit();
    const steps = [...workflow.jobs.fleet.steps];
    const drift = steps.findIndex((s) => s.name === DRIFT_STEP);
    steps.splice(drift, 0, {
      name: 'Affected synth',
      run: 'npx nx affected -t synth --base=HEAD~1 --head=HEAD --outputStyle=static',
    });
    const results = run(steps.slice(0, drift + 2));
    expect(results.find((r) => r.name === DRIFT_STEP)?.code).toBe(0);
  });
});
