import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NX = path.join(ROOT, 'node_modules/nx/dist/bin/nx.js');
const ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

interface Constraint {
  sourceTag: string;
  onlyDependOnLibsWithTags?: string[];
  bannedExternalImports?: string[];
}

let graph: Record<string, { data: { tags: string[]; targets: Record<string, unknown> } }> = {};

beforeAll(() => {
  // The boundary rule reads nx's cached project graph; computing the graph writes it.
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'nx-graph-')), 'graph.json');
  execFileSync(process.execPath, [NX, 'graph', `--file=${file}`], { cwd: ROOT, env: ENV, encoding: 'utf8' });
  graph = JSON.parse(readFileSync(file, 'utf8')).graph.nodes;
  rmSync(path.dirname(file), { recursive: true, force: true });
});

async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  it('are real constraints, not a wildcard', async () => {
    const { depConstraints } = (await import(path.join(ROOT, 'eslint.config.mjs'))) as { depConstraints: Constraint[] };
    expect(depConstraints.length).toBeGreaterThanOrEqual(5);
    for (const constraint of depConstraints) {
      expect(constraint.sourceTag).not.toBe('*');
      expect(constraint.onlyDependOnLibsWithTags ?? []).not.toContain('*');
    }
    const data = depConstraints.find((c) => c.sourceTag === 'type:data' && c.bannedExternalImports);
    expect(data?.bannedExternalImports).toEqual(expect.arrayContaining(['cdk8s', 'constructs', 'cdk8s-plus-*']));
    const constructs = depConstraints.find((c) => c.sourceTag === 'type:constructs' && c.onlyDependOnLibsWithTags);
    expect(constructs?.onlyDependOnLibsWithTags).not.toContain('type:data');
  });

  it('every project has a scope and a type tag; code projects typecheck, lint and test; clusters synth and test', () => {
    expect(Object.keys(graph)).toEqual(
      expect.arrayContaining(['fleet', 'synth', 'constructs', 'cluster-app', 'fleet-cli', 'cluster-bu0001a0042-03']),
    );
    for (const [project, { data: config }] of Object.entries(graph)) {
      expect(
        config.tags.some((t: string) => t.startsWith('scope:')),
        project,
      ).toBe(true);
      expect(
        config.tags.some((t: string) => t.startsWith('type:')),
        project,
      ).toBe(true);
      // A cluster is one file (inferred by tools/nx-plugins/cluster-projects.mjs): nothing to typecheck or lint.
      const targets = Object.keys(config.targets).sort();
      const wanted = config.tags.includes('type:cluster') ? ['synth', 'test'] : ['lint', 'test', 'typecheck'];
      expect(
        config.tags.includes('type:cluster') ? targets : targets.filter((t) => wanted.includes(t)),
        project,
      ).toStrictEqual(wanted);
    }
  });

  it('lint fails when the cluster app imports the infrastructure lib, and passes when the CLI imports the cluster app', async () => {
    const denied = await lint(
      'libs/cluster-app/src/boundary-probe.ts',
      "import { planDeployment } from '@aks-fleet/infra';\nexport const probe = planDeployment;\n",
    );
    expect(denied.join('\n')).toMatch(
      /@nx\/enforce-module-boundaries: A project tagged with "type:cluster-app" can only depend on libs tagged with/,
    );
    const allowed = await lint(
      'apps/fleet-cli/src/boundary-probe.ts',
      "import { clusterDefinitions } from '@aks-fleet/cluster-app';\nexport const probe = clusterDefinitions;\n",
    );
    expect(allowed.filter((m) => m.startsWith('@nx/'))).toStrictEqual([]);
  });

  it('lint fails when the fleet model imports cdk8s', async () => {
    const messages = await lint(
      'libs/fleet/src/boundary-probe.ts',
      "import { App } from 'cdk8s';\nexport const probe = App;\n",
    );
    expect(messages.join('\n')).toMatch(/@nx\/enforce-module-boundaries: .*cdk8s/);
  });

  it('lint fails when a construct imports the fleet model', async () => {
    const messages = await lint(
      'libs/constructs/src/boundary-probe.ts',
      "import { loadFleet } from '@aks-fleet/fleet';\nexport const probe = loadFleet;\n",
    );
    expect(messages.join('\n')).toMatch(
      /@nx\/enforce-module-boundaries: A project tagged with "type:constructs" can only depend on libs tagged with/,
    );
  });

  it('lint passes the same imports where they are allowed', async () => {
    const messages = await lint(
      'apps/fleet-cli/src/boundary-probe.ts',
      "import { loadFleet } from '@aks-fleet/fleet';\nimport { App } from 'cdk8s';\nexport const probe = [loadFleet, App];\n",
    );
    expect(messages.filter((m) => m.startsWith('@nx/'))).toStrictEqual([]);
  });

  it('lint catches an assertion that never runs (vitest/valid-expect)', async () => {
    const messages = await lint(
      'libs/fleet/src/probe.test.ts',
      "import { expect, it } from 'vitest';\nit('x', () => { expect(1).toBeDefined; });\n",
    );
    expect(messages.join('\n')).toMatch(/vitest\/valid-expect/);
  });

  it('the fleet lib declares no Kubernetes or Azure dependency', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'libs/fleet/package.json'), 'utf8'));
    expect(
      Object.keys(pkg.dependencies ?? {}).filter((d) => /cdk8s|constructs|kubernetes|@azure/.test(d)),
    ).toStrictEqual([]);
  });
});
