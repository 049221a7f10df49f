import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFleet } from '@aks-fleet/fleet';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveContexts } from './contexts.ts';

const { spec } = loadFleet().fleet;
const dir = mkdtempSync(path.join(tmpdir(), 'contexts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('kubeconfig contexts per cluster', () => {
  it('default to the AKS cluster names (what az aks get-credentials creates)', () => {
    expect(Object.fromEntries(resolveContexts(spec))).toStrictEqual({
      'bu0001a0042-03': 'aks-bu0001a0042-03',
      'bu0001a0042-04': 'aks-bu0001a0042-04',
    });
  });

  it('a mapping file overrides the default, a flag overrides the file', () => {
    const mapping = file('contexts.yaml', 'bu0001a0042-03: east\nbu0001a0042-04: central\n');
    expect(Object.fromEntries(resolveContexts(spec, { file: mapping, pairs: ['bu0001a0042-04=flag'] }))).toStrictEqual({
      'bu0001a0042-03': 'east',
      'bu0001a0042-04': 'flag',
    });
  });

  it('rejects unknown clusters, malformed flags and bad files with one line naming the input and the fix', () => {
    expect(() => resolveContexts(spec, { pairs: ['nope=ctx', 'no-equals'] })).toThrow(
      '--context nope=ctx: "nope" is not a cluster of the fleet (expected one of bu0001a0042-03, bu0001a0042-04); --context no-equals: expected <cluster>=<context>, e.g. --context bu0001a0042-03=my-context',
    );
    expect(() => resolveContexts(spec, { file: path.join(dir, 'missing.yaml') })).toThrow(
      /--contexts .*missing\.yaml: no such file; expected a YAML file of "<cluster>: <context>" lines — fix: check the path/,
    );
    expect(() => resolveContexts(spec, { file: file('list.yaml', '- a\n- b\n') })).toThrow(
      /expected a mapping of "<cluster>: <context>", got \["a","b"\]/,
    );
    expect(() => resolveContexts(spec, { file: file('bad.yaml', 'a: [\n') })).toThrow(/not valid YAML/);
  });
});
