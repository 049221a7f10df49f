/**
 * `fleet validate --changed-since REF` on a temporary git repository: it reports exactly the findings of a full run
 * minus those of clusters whose files are byte-identical to REF, and skips only those clusters.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterOfFile, type Finding } from '@aks-fleet/gate';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanScratch, runCli, scratchDir } from '../testing/run-cli.ts';

afterEach(cleanScratch);

const C3 = 'bu0001a0042-03';
const C4 = 'bu0001a0042-04';

function secret(root: string, cluster: string, name: string): void {
  const file = path.join(root, `manifests/${cluster}/workload/secret-${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'a0042' },
      stringData: { password: 'x' },
    }),
  );
}

/** The default fleet synthesized and committed, with a finding in cluster 03 already in the commit. */
async function repository(): Promise<{ root: string; git: (...args: string[]) => string }> {
  const root = scratchDir('fleet-changed-since-');
  expect((await runCli(['synth', '--root', root])).code).toBe(0);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@aks-fleet.invalid', '-c', 'user.name=t', ...args], {
      cwd: root,
      encoding: 'utf8',
    });
  git('init', '-q', '-b', 'main');
  secret(root, C3, 'committed');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return { root, git };
}

async function validate(...args: string[]): Promise<{ findings: Finding[]; skipped: string[] }> {
  const result = await runCli(['validate', '--json', ...args]);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { findings: Finding[]; skipped: string[] };
}

describe('fleet validate --changed-since', () => {
  it('reports the full run minus the clusters unchanged since the ref, and skips only those', async () => {
    const { root } = await repository();
    secret(root, C4, 'new'); // cluster 04 changes after the ref
    const full = await validate('--root', root);
    expect(full.skipped).toStrictEqual([]);
    expect(new Set(full.findings.map((f) => clusterOfFile(f.file)))).toStrictEqual(new Set([C3, C4]));

    const changed = await validate('--root', root, '--changed-since', 'HEAD');
    expect(changed.skipped).toStrictEqual([C3]);
    expect(changed.findings).toStrictEqual(full.findings.filter((f) => clusterOfFile(f.file) !== C3));
    expect(changed.findings.some((f) => f.rule === 'security/no-secret' && f.file.includes(C4))).toBe(true);
  });

  it('skips every cluster when nothing changed; an edited ARM file makes its cluster changed', async () => {
    const { root, git } = await repository();
    expect((await validate('--root', root, '--changed-since', 'HEAD')).skipped).toStrictEqual([C3, C4]);
    git('commit', '-q', '--allow-empty', '-m', 'later');
    writeFileSync(path.join(root, `infrastructure/clusters/${C3}/stamp/parameters.json`), '{}\n'); // ARM files count too
    expect((await validate('--root', root, '--changed-since', 'HEAD')).skipped).toStrictEqual([C4]);
  });
});
