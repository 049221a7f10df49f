/**
 * Property tests of the fleet model's input boundary, through the CLI: random mutations of the valid default fleet
 * (values replaced, fields removed or added, map keys renamed to JavaScript built-ins, numbers out of range, YAML
 * text broken) never crash the CLI — no uncaught exception, no stack trace, exit 0 or 1 only — and never write when
 * they fail. The run counts are modest so the suite stays fast on two cores.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { defaultFleetLocation } from '@aks-fleet/fleet';
import { defaultFleetDocument } from '@aks-fleet/fleet/testing';
import {
  cleanScratch,
  readTree,
  REPO_ROOT,
  runCli,
  scratchDir,
  writeFleetFile,
  type CliResult,
} from '../testing/run-cli.ts';

afterEach(cleanScratch);

/** Runs of each property (fast-check's default is 100; these stay under a minute on two cores). */
export const PROPERTY_RUNS = { modelMutations: 60, directoryMutations: 40, synthMutations: 25, yamlText: 80 } as const;

type Path = ReadonlyArray<string | number>;
type Container = Record<string | number, unknown>;

/** Every path into a document: the places a mutation can hit. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (!value || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((child, i) => [i, child] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

const BASE = defaultFleetDocument();
const PATHS = pathsOf(BASE);
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** Values that have broken parsers before: wrong types, edge numbers, built-in names, near-miss addresses. */
const hostileValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 53, 2 ** 60, Infinity, -Infinity, NaN, 1.5, 1e300),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.constantFrom(
    '127.0.0.0/8',
    '169.254.0.0/16',
    '224.0.0.0/4',
    '0.0.0.0/0',
    '10.243.0.0/33',
    '168.63.129.16/32',
    '172.16.0.1',
    '300.1.1.1',
  ),
  fc.constantFrom('https://user:token@github.com/x/y', 'security/nope', 'x'.repeat(300), 'A_B', '1.30', 'v1.30'),
  fc.constantFrom(...PATHS).map((p) => structuredClone(get(BASE, p))),
);

function get(document: unknown, at: Path): unknown {
  return at.reduce<unknown>(
    (node, key) => (node && typeof node === 'object' ? (node as Container)[key] : undefined),
    document,
  );
}

type Mutation =
  | { kind: 'set'; at: Path; value: unknown }
  | { kind: 'delete'; at: Path }
  | { kind: 'add'; at: Path; key: string; value: unknown }
  | { kind: 'rename'; at: Path; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.constantFrom(...PATHS), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.constantFrom(...PATHS) }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.constantFrom([], ...PATHS),
    key: fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 8 })),
    value: hostileValue,
  }),
  fc.record({
    kind: fc.constant('rename' as const),
    at: fc.constantFrom(...PATHS),
    key: fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 8 })),
  }),
  // Map keys by name (regions) renamed to built-ins: the class that once made a cluster vanish (weighted up).
  {
    arbitrary: fc.record({
      kind: fc.constant('rename' as const),
      at: fc.constantFrom(['spec', 'regions', 'eastus2'], ['spec', 'regions', 'centralus']),
      key: fc.constantFrom(...PROTOTYPE_NAMES),
    }),
    weight: 3,
  },
);

/** Applies mutations to a copy of a document (own properties, `__proto__` included). */
function mutated(mutations: readonly Mutation[], base: unknown = BASE): unknown {
  const document = structuredClone(base) as Container;
  const define = (target: object, key: string | number, value: unknown) =>
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  for (const m of mutations) {
    const parent = get(document, m.at.slice(0, -1));
    const key = m.at[m.at.length - 1];
    if (m.kind === 'add') {
      const target = get(document, m.at);
      if (target && typeof target === 'object' && !Array.isArray(target))
        define(target, m.key, structuredClone(m.value));
      continue;
    }
    if (!parent || typeof parent !== 'object' || key === undefined) continue;
    const container = parent as Container;
    if (m.kind === 'set') define(container, key, structuredClone(m.value));
    else if (m.kind === 'delete') {
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key];
    } else if (!Array.isArray(container)) {
      const value = container[key];
      delete container[key];
      define(container, m.key, value);
    }
  }
  return document;
}

const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|<anonymous>\)?)$/m;

/** The CLI's answer to bad input: exit 0 or 1, no stack trace, and on failure one ERROR line per problem. */
function expectHandled(result: CliResult): void {
  expect([0, 1], result.stderr).toContain(result.code);
  expect(result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stdout).not.toMatch(STACK_FRAME);
  if (result.code === 1) expect(result.stderr).toMatch(/^ERROR \S.*: got .*; expected .* — fix: /m);
}

/** A run that succeeded lists every cluster entry of its input: none may vanish silently. */
function expectNoClusterDropped(result: CliResult, entries: number): void {
  if (result.code !== 0) return;
  expect((JSON.parse(result.stdout) as { clusters: unknown[] }).clusters).toHaveLength(entries);
}

/** A run that failed wrote nothing and said so. */
function expectNothingWrittenOnFailure(result: CliResult, root: string): void {
  if (result.code !== 1) return;
  expect(result.stderr).toContain('nothing was written');
  expect(readTree(root)).toStrictEqual({});
}

async function cli(args: readonly string[]): Promise<CliResult> {
  try {
    return await runCli(args);
  } catch (error) {
    // An exception escaping main() is exactly the crash these properties exclude.
    throw new Error(`the CLI threw instead of reporting: ${(error as Error).stack}`);
  }
}

/** Cluster entries of a document that `fleet model` must either list or refuse: none may vanish silently. */
function clusterEntries(document: unknown): number {
  const regions = get(document, ['spec', 'regions']);
  if (!regions || typeof regions !== 'object') return 0;
  return Object.values(regions as Container).reduce<number>((sum, region) => {
    const clusters = region && typeof region === 'object' ? (region as Container).clusters : undefined;
    return sum + (Array.isArray(clusters) ? clusters.length : 0);
  }, 0);
}

describe('random mutations of the default fleet', () => {
  it(`never crash \`fleet model\` nor drop a cluster (${PROPERTY_RUNS.modelMutations} runs of 1–3 mutations)`, async () => {
    expect.hasAssertions();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const document = mutated(mutations);
        const result = await cli(['model', '--json', '--fleet', writeFleetFile(document)]);
        expectHandled(result);
        expectNoClusterDropped(result, clusterEntries(document));
      }),
      { numRuns: PROPERTY_RUNS.modelMutations },
    );
  }, 120_000);

  it(`never crash \`fleet model\` on a fleet directory nor drop a cluster (${PROPERTY_RUNS.directoryMutations} runs)`, async () => {
    expect.hasAssertions();
    const files = ['fleet.yaml', 'clusters/bu0001a0042-03/cluster.yaml', 'clusters/bu0001a0042-04/cluster.yaml'];
    const documents = files.map(
      (file) => parse(readFileSync(path.join(defaultFleetLocation(), file), 'utf8')) as unknown,
    );
    const target = fc.nat({ max: files.length - 1 }).chain((index) => {
      const paths = pathsOf(documents[index]);
      const at = fc.constantFrom(...paths);
      const one: fc.Arbitrary<Mutation> = fc.oneof(
        fc.record({ kind: fc.constant('set' as const), at, value: hostileValue }),
        fc.record({ kind: fc.constant('delete' as const), at }),
        fc.record({ kind: fc.constant('rename' as const), at, key: fc.constantFrom(...PROTOTYPE_NAMES) }),
      );
      return fc.tuple(fc.constant(index), fc.array(one, { minLength: 1, maxLength: 3 }));
    });
    await fc.assert(
      fc.asyncProperty(
        target,
        fc.constantFrom(...PROTOTYPE_NAMES, 'centralus', 'westus3'),
        async ([index, mutations], region) => {
          const dir = scratchDir('fleet-dir-');
          cpSync(defaultFleetLocation(), dir, { recursive: true });
          writeFileSync(path.join(dir, files[index]!), stringify(mutated(mutations, documents[index])));
          if (index === 0 && mutations.length === 1) {
            // Also point a cluster at a region name that is a JavaScript built-in or unknown.
            const file = path.join(dir, files[2]!);
            writeFileSync(file, readFileSync(file, 'utf8').replace('region: centralus', `region: "${region}"`));
          }
          const result = await cli(['model', '--json', '--fleet', dir]);
          expectHandled(result);
          expectNoClusterDropped(result, 2);
        },
      ),
      { numRuns: PROPERTY_RUNS.directoryMutations },
    );
  }, 120_000);

  it(`never crash \`fleet synth\` and never write when it fails (${PROPERTY_RUNS.synthMutations} runs)`, async () => {
    expect.hasAssertions();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const root = scratchDir();
        const result = await cli(['synth', '--fleet', writeFleetFile(mutated(mutations)), '--root', root]);
        expectHandled(result);
        expectNothingWrittenOnFailure(result, root);
      }),
      { numRuns: PROPERTY_RUNS.synthMutations },
    );
  }, 300_000);
});

/** Pieces of YAML that have crashed loaders: anchors, aliases, tags, complex keys, huge numbers, stray quotes. */
const yamlFragment = fc.constantFrom(
  '1e400',
  '.inf',
  '.nan',
  '-.inf',
  '12345678901234567890',
  '*a',
  '&a x',
  '&a',
  '!!binary aGk=',
  '!!set {a}',
  '? [a, b]',
  '{',
  '[',
  "'",
  '"',
  '<<: *a',
  '__proto__',
  'constructor: {}',
  '~',
  '',
  '- x',
  '---',
  '%YAML 1.1',
  '\t',
  '\u0000',
  'null',
  '0x1F',
  '0o17',
  '1_000',
);

describe('random edits of the fleet file text', () => {
  it(`never crash \`fleet model\` (${PROPERTY_RUNS.yamlText} runs)`, async () => {
    expect.hasAssertions();
    const lines = stringify(BASE).split('\n');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.nat({ max: lines.length - 1 }), fc.constantFrom('value', 'line', 'insert'), yamlFragment),
          { minLength: 1, maxLength: 3 },
        ),
        async (edits) => {
          const text = [...lines];
          for (const [index, how, fragment] of edits) {
            const line = text[index] ?? '';
            if (how === 'value')
              text[index] = line.includes(':')
                ? `${line.slice(0, line.indexOf(':') + 1)} ${fragment}`
                : `${line}${fragment}`;
            else if (how === 'line') text[index] = `${line.match(/^\s*/)![0]}${fragment}`;
            else text.splice(index, 0, `${line.match(/^\s*/)![0]}${fragment}`);
          }
          const file = path.join(scratchDir('fleet-text-'), 'fleet.yaml');
          writeFileSync(file, text.join('\n'));
          expectHandled(await cli(['model', '--fleet', file]));
        },
      ),
      { numRuns: PROPERTY_RUNS.yamlText },
    );
  }, 120_000);
});

describe('hostile documents, run as a child process (what a user sees)', () => {
  const run = (file: string) => {
    try {
      return {
        code: 0,
        stderr: execFileSync(
          process.execPath,
          [path.join(REPO_ROOT, 'apps/fleet-cli/bin/fleet.js'), 'model', '--fleet', file],
          { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 },
        ),
      };
    } catch (error) {
      const failure = error as { status: number | null; stderr: string; signal: string | null };
      return { code: failure.status, stderr: failure.stderr, signal: failure.signal };
    }
  };

  it.each([
    [
      'a billion-laughs document',
      [
        'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
        ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
      ].join('\n'),
    ],
    ['a region named __proto__', stringify(BASE).replace('  centralus:', '  __proto__:')],
    ['a number beyond the safe range', stringify(BASE).replace(/replicas: 2\n/, 'replicas: 1e400\n')],
  ])('%s exits 1 with one clear error and no stack trace', (_name, text) => {
    const file = path.join(scratchDir('fleet-child-'), 'fleet.yaml');
    writeFileSync(file, text);
    const result = run(file);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).toMatch(/^ERROR .*: got .*; expected .* — fix: /m);
  });
});
