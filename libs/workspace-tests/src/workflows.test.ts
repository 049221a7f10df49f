/**
 * The GitHub Actions workflows, linted with the real actionlint (pinned, installed by scripts/install-tools.sh).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TOOLS_BIN } from '@aks-fleet/util';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ACTIONLINT = path.join(ROOT, TOOLS_BIN, 'actionlint');

function actionlint(cwd: string, files: string[] = []): { status: number | null; output: string } {
  if (!existsSync(ACTIONLINT)) throw new Error(`actionlint not found at ${ACTIONLINT}: run scripts/install-tools.sh`);
  const result = spawnSync(ACTIONLINT, ['-no-color', ...files], { cwd, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('GitHub Actions workflows', () => {
  it('pass actionlint', () => {
    const { status, output } = actionlint(ROOT);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('actionlint fails on a broken workflow (negative control)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'actionlint-'));
    try {
      mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
      writeFileSync(
        path.join(dir, '.github/workflows/bad.yml'),
        'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n',
      );
      const { status, output } = actionlint(dir, ['.github/workflows/bad.yml']);
      expect(status).toBe(1);
      expect(output).toMatch(/property "nope" is not defined/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ci.yml checks out full history, runs nx affected, the drift check, the gate and posts the diff', () => {
    const ci = parse(readFileSync(path.join(ROOT, '.github/workflows/ci.yml'), 'utf8'));
    expect(Object.keys(ci.on).sort()).toStrictEqual(['pull_request', 'push']);
    const steps = ci.jobs.fleet.steps as Array<{ uses?: string; with?: Record<string, unknown>; run?: string }>;
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth']).toBe(0);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with).toMatchObject({
      'node-version': 20,
      cache: 'npm',
    });
    const runs = steps.map((s) => s.run ?? '').join('\n');
    for (const command of [
      'npm ci',
      'npx nx affected -t typecheck lint test',
      'npx fleet synth --check',
      'npx fleet graph --check',
      'npx fleet validate',
      'npx fleet diff --base "origin/$BASE_REF" -o markdown',
    ]) {
      expect(runs).toContain(command);
    }
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
  });

  it('infra.yml plans per region on pull requests and deploys shared first, then region by region behind environments', () => {
    const infra = parse(readFileSync(path.join(ROOT, '.github/workflows/infra.yml'), 'utf8'));
    expect(infra.on.pull_request.paths).toStrictEqual(['infrastructure/**']);
    expect(infra.permissions['id-token']).toBe('write');
    expect(infra.jobs['deploy-region'].needs).toContain('deploy-shared');
    expect(infra.jobs['deploy-region'].environment).toBe('${{ matrix.region }}');
    expect(infra.jobs['deploy-region'].strategy['max-parallel']).toBe(1);
  });
});
