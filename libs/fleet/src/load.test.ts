import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FleetValidationError, formatIssue } from './errors.ts';
import { defaultFleetLocation, loadFleet } from './load.ts';
import { INVALID_FLEET_FILES, writeInvalidFleetDirectory } from './testing/invalid-fleet-files.ts';
import { FLEET_FILE_MAX_BYTES, MAX_ALIAS_EXPANSION } from './yaml-reader.ts';

const temporary: string[] = [];
function copyOfDefault(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-load-'));
  temporary.push(dir);
  cpSync(defaultFleetLocation(), dir, { recursive: true });
  return dir;
}
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function rejection(location: string): FleetValidationError {
  try {
    loadFleet(location);
  } catch (error) {
    expect(error).toBeInstanceOf(FleetValidationError);
    return error as FleetValidationError;
  }
  throw new Error('expected loadFleet to fail');
}

describe('loadFleet', () => {
  it('assembles a fleet directory (fleet.yaml + clusters/*/cluster.yaml) and a single fleet file to the same model', () => {
    const fromDirectory = loadFleet(defaultFleetLocation());
    const dir = copyOfDefault();
    const file = path.join(dir, 'single.yaml');
    writeFileSync(file, stringify(fromDirectory.fleet));
    expect(loadFleet(file).fleet).toStrictEqual(fromDirectory.fleet);
    expect(fromDirectory.files.map((f) => path.relative(defaultFleetLocation(), f))).toStrictEqual([
      'clusters/bu0001a0042-03/cluster.yaml',
      'clusters/bu0001a0042-04/cluster.yaml',
      'fleet.yaml',
    ]);
  });

  it('names the cluster file an error comes from, and the path as written in that file', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'clusters/bu0001a0042-04/cluster.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('internalLoadBalancerIp: 10.244.4.4', 'internalLoadBalancerIp: 10.244.9.4'),
    );
    const [issue] = rejection(dir).issues;
    expect(issue!.path).toBe('spec.ingress.internalLoadBalancerIp');
    expect(issue!.source).toMatch(/clusters\/bu0001a0042-04\/cluster\.yaml$/);
  });

  it('fails on a cluster whose region is not in fleet.yaml', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'clusters/bu0001a0042-04/cluster.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('region: centralus', 'region: westus3'));
    const [issue] = rejection(dir).issues;
    expect(issue).toMatchObject({ path: 'spec.region', value: 'westus3' });
    expect(issue!.expected).toContain('eastus2, centralus');
  });

  it('fails when metadata.name and the folder name differ', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'clusters/bu0001a0042-03/cluster.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: bu0001a0042-03', 'name: other'));
    expect(rejection(dir).issues[0]).toMatchObject({ path: 'metadata.name', value: 'other' });
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    const dir = copyOfDefault();
    writeFileSync(path.join(dir, 'fleet.yaml'), 'apiVersion: a\napiVersion: b\n');
    const [issue] = rejection(dir).issues;
    expect(issue).toMatchObject({
      path: 'apiVersion',
      expected: 'each key once in a mapping (duplicate key)',
      value: 'line 2, column 1',
    });
    writeFileSync(path.join(dir, 'fleet.yaml'), 'apiVersion: [a\n');
    expect(rejection(dir).issues[0]).toMatchObject({
      path: expect.stringMatching(/fleet\.yaml:1:13$/),
      expected: 'valid YAML',
      value: expect.objectContaining({ text: 'a [ list that is never closed: apiVersion: [a' }),
    });
  });

  it('fails clearly on a path that does not exist', () => {
    expect(rejection('/nonexistent/fleet.yaml').issues[0]!.expected).toBe('an existing fleet file or fleet directory');
  });
});

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  expect(next, `no "${String(from)}" in ${file}`).not.toBe(text);
  writeFileSync(file, next);
}

describe('loadFleet on a fleet directory is strict', () => {
  const eastFile = (dir: string) => path.join(dir, 'clusters/bu0001a0042-03/cluster.yaml');
  const centralFile = (dir: string) => path.join(dir, 'clusters/bu0001a0042-04/cluster.yaml');

  it.each([
    [
      'a cluster file spelled cluster.yml',
      (dir: string) => renameSync(centralFile(dir), path.join(dir, 'clusters/bu0001a0042-04/cluster.yml')),
      'cluster.yml',
    ],
    [
      'a cluster folder without cluster.yaml',
      (dir: string) => mkdirSync(path.join(dir, 'clusters/bu0001a0042-05')),
      'bu0001a0042-05',
    ],
    [
      'a stray file in clusters/',
      (dir: string) => writeFileSync(path.join(dir, 'clusters/notes.yaml'), 'a: 1\n'),
      'notes.yaml',
    ],
    [
      'an unknown file next to fleet.yaml',
      (dir: string) => writeFileSync(path.join(dir, 'fleet.yml'), 'a: 1\n'),
      'fleet.yml',
    ],
    ['an unknown folder next to fleet.yaml', (dir: string) => mkdirSync(path.join(dir, 'cluster')), 'cluster'],
  ])('refuses %s with the fix', (_name, change, value) => {
    const dir = copyOfDefault();
    change(dir);
    const issue = rejection(dir).issues.find((i) => i.value === value);
    expect(issue, JSON.stringify(rejection(dir).issues)).toBeDefined();
    expect(issue!.fix).toMatch(/remove|add|move|rename/);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'refuses spec.region %s without losing the cluster or polluting prototypes',
    (region) => {
      const dir = copyOfDefault();
      edit(centralFile(dir), 'region: centralus', `region: ${region}`);
      const issues = rejection(dir).issues;
      expect(issues.find((i) => i.path === 'spec.region')).toMatchObject({
        value: region,
        expected: expect.stringContaining('a region defined in fleet.yaml (eastus2, centralus)'),
      });
      expect(({} as Record<string, unknown>).clusters).toBeUndefined();
    },
  );

  it('refuses a region whose value is not a mapping, with no TypeError', () => {
    const dir = copyOfDefault();
    edit(path.join(dir, 'fleet.yaml'), /centralus:\n(\s+hub:[\s\S]*)$/, 'centralus: 5\n');
    const issues = rejection(dir).issues;
    expect(issues.find((i) => i.path === 'spec.regions.centralus')).toMatchObject({ value: 5, expected: 'an object' });
    expect(issues.find((i) => i.path === 'spec.region')).toMatchObject({
      value: 'centralus',
      expected: expect.stringContaining('mapping'),
    });
  });

  it("reports every file's problems together: an envelope error, a structural error and a cross-field error", () => {
    const dir = copyOfDefault();
    edit(eastFile(dir), 'kind: Cluster', 'kind: Clusters');
    edit(centralFile(dir), 'instance: "04"', 'instance: 4');
    edit(path.join(dir, 'fleet.yaml'), 'bastion: 10.200.3.128/26', 'bastion: 10.200.3.128/27');
    const issues = rejection(dir).issues;
    expect(issues.map((i) => [i.path, i.source?.replace(/^.*fleet-load-[^/]+\//, '')])).toStrictEqual(
      expect.arrayContaining([
        ['kind', 'clusters/bu0001a0042-03/cluster.yaml'],
        ['spec.instance', 'clusters/bu0001a0042-04/cluster.yaml'],
        ['spec.regions.eastus2.hub.subnets.bastion', 'fleet.yaml'],
      ]),
    );
  });
});

describe('one mistake in one file of a fleet directory is one error naming the file and the field (issue 14)', () => {
  it.each(INVALID_FLEET_FILES)('$name', (mistake) => {
    const dir = copyOfDefault();
    rmSync(dir, { recursive: true });
    writeInvalidFleetDirectory(dir, mistake);
    const { issues, message } = rejection(dir);
    expect(issues, message).toHaveLength(1);
    const [issue] = issues;
    expect(issue!.path === mistake.at || issue!.path.endsWith(mistake.at), issue!.path).toBe(true);
    expect(issue!.source!.endsWith(mistake.source ?? mistake.file), issue!.source).toBe(true);
    expect(formatIssue(issue!)).toMatch(mistake.line);
    expect(formatIssue(issue!)).not.toMatch(/got null|at line \d+, column|Implicit|Flow sequence|Missing closing/);
  });

  it('an empty file is shown as words, in JSON too', () => {
    const dir = copyOfDefault();
    writeFileSync(path.join(dir, 'clusters/bu0001a0042-03/cluster.yaml'), '');
    expect(JSON.parse(JSON.stringify(rejection(dir).issues[0])).value).toBe('an empty file');
    const file = path.join(dir, 'single.yaml');
    writeFileSync(file, '\n');
    expect(rejection(file).message).toMatch(/got an empty file; expected a Fleet document/);
  });
});

describe('an unclosed quote on a line of its own, at every line of a fleet file', () => {
  // Regression: a lone `"` makes the parser's document hold empty (null) nodes; finding the opening quote must not
  // crash on them (the CLI said "Cannot read properties of null (reading 'range') — this is a bug in fleet").
  it('is at most one YAML error, never a crash', () => {
    const dir = copyOfDefault();
    const lines = stringify(loadFleet(defaultFleetLocation()).fleet).split('\n');
    const file = path.join(dir, 'single.yaml');
    /** Per inserted line: what loadFleet did (`loads`, the issues' expectations, or the crash). */
    const outcomes = lines.map((line, index) => {
      const text = [...lines];
      text.splice(index, 0, `${line.match(/^\s*/)![0]}"`);
      writeFileSync(file, text.join('\n'));
      try {
        loadFleet(file);
        return 'loads';
      } catch (error) {
        if (!(error instanceof FleetValidationError)) return `line ${index + 1}: crash: ${String(error)}`;
        const expected = error.issues.map((i) => i.expected);
        return expected.includes('valid YAML') ? expected.join(' | ') : 'model error';
      }
    });
    expect(outcomes.filter((o) => !['loads', 'model error', 'valid YAML'].includes(o))).toStrictEqual([]);
    expect(outcomes.filter((o) => o === 'valid YAML').length).toBeGreaterThan(lines.length / 2);
  });
});

describe('loadFleet on hostile documents', () => {
  it('reports numbers beyond the safe range as written, in fleet.yaml and in a cluster file', () => {
    const dir = copyOfDefault();
    edit(path.join(dir, 'fleet.yaml'), 'replicas: 2\n    port', 'replicas: 12345678901234567890\n    port');
    edit(path.join(dir, 'clusters/bu0001a0042-04/cluster.yaml'), 'maxCount: 7', 'maxCount: 1e400');
    const error = rejection(dir);
    expect(String(error.issues.find((i) => i.path === 'spec.workload.replicas')!.value)).toBe('12345678901234567890');
    const maxCount = error.issues.find((i) => i.path === 'spec.nodePools.user.maxCount');
    expect(maxCount).toMatchObject({ source: expect.stringMatching(/bu0001a0042-04\/cluster\.yaml$/) });
    expect(JSON.stringify(maxCount!.value)).toBe('"1e400"');
    expect(error.message).toContain('nodePools.user.maxCount: got 1e400; expected');
    expect(error.message).toContain('spec.workload.replicas: got 12345678901234567890; expected');
    expect(error.message).not.toMatch(/got null|Infinity/);
  });

  it('refuses a file over the size limit before parsing it', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'big.yaml');
    writeFileSync(file, `# ${'x'.repeat(FLEET_FILE_MAX_BYTES)}\n`);
    expect(rejection(file).issues).toStrictEqual([
      {
        path: '(document)',
        value: `${FLEET_FILE_MAX_BYTES + 3} bytes`,
        expected: `a fleet file of at most ${FLEET_FILE_MAX_BYTES} bytes`,
        fix: expect.stringContaining('fleet directory'),
        source: expect.any(String),
      },
    ]);
  });

  it('stops a billion-laughs document at the alias budget with one error', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'laughs.yaml');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    writeFileSync(file, `${levels.join('\n')}\n`);
    const issues = rejection(file).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.expected).toBe(`aliases that expand to at most ${MAX_ALIAS_EXPANSION} values`);
  });

  it('refuses an alias that contains itself', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'loop.yaml');
    writeFileSync(file, 'a: &x\n  b: *x\n');
    expect(rejection(file).issues.map((i) => i.expected)).toContain('an alias that does not contain itself');
  });

  it('finds a duplicate among 20 000 keys at its line (one pass with a set, not a comparison of every pair)', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'keys.yaml');
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`);
    keys.push('k7: again');
    writeFileSync(file, `${keys.join('\n')}\n`);
    const issues = rejection(file).issues;
    expect(issues.find((i) => i.expected.includes('duplicate key'))).toMatchObject({
      path: 'k7',
      value: 'line 20001, column 1',
    });
  });

  it('reads aliases of valid parts as copies: the default fleet with an aliased hub loads', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'fleet.yaml');
    edit(file, /(\s+)centralus:\n/, '$1centralus: &central\n');
    expect(loadFleet(dir).fleet.spec.regions.centralus!.hub.addressSpace).toBe('10.200.4.0/24');
  });
});

describe('--fleet pointed at the wrong thing: one error, naming the path as given', () => {
  it('a cluster.yaml: "this is a Cluster document", not one error per Fleet field it lacks', () => {
    const dir = copyOfDefault();
    const given = path.join(dir, 'clusters/bu0001a0042-04/cluster.yaml');
    expect(rejection(given).issues).toStrictEqual([
      {
        path: 'kind',
        value: 'Cluster',
        expected: 'a Fleet document (kind: Fleet)',
        fix: 'this is a Cluster document; pass the fleet directory (or its fleet.yaml) to --fleet',
        source: given,
      },
    ]);
  });

  it('a Kubernetes manifest: one error at kind', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'deployment.yaml');
    writeFileSync(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n');
    expect(rejection(file).issues.map((i) => [i.path, i.value])).toStrictEqual([['kind', 'Deployment']]);
  });

  it('a kind one letter off is the schema’s error, with the rest of the document checked', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'single.yaml');
    const fleet = structuredClone(loadFleet(dir).fleet) as Record<string, unknown>;
    writeFileSync(file, stringify({ ...fleet, kind: 'Fleets' }));
    expect(rejection(file).issues.map((i) => i.path)).toStrictEqual(['kind']);
  });

  it('/dev/null: not a regular file, named as given', () => {
    expect(rejection('/dev/null').issues).toStrictEqual([
      {
        path: '(document)',
        value: expect.objectContaining({ text: 'not a regular file (a device, pipe or socket)' }),
        expected: 'a fleet file or fleet directory',
        fix: 'pass the fleet directory (or its fleet.yaml) to --fleet',
        source: '/dev/null',
      },
    ]);
  });

  it('a directory without fleet.yaml, given as a relative path: that path, not one relative to somewhere else', () => {
    const dir = copyOfDefault();
    rmSync(path.join(dir, 'fleet.yaml'));
    const given = path.relative(process.cwd(), dir);
    const [issue] = rejection(given).issues;
    expect(issue).toMatchObject({
      source: given,
      fix: `create ${path.join(given, 'fleet.yaml')}, or point --fleet at a fleet directory or fleet file`,
    });
    expect(formatIssue(issue!)).toBe(
      `(document): got no fleet.yaml in ${given}; expected a fleet directory with a fleet.yaml — fix: create ${path.join(given, 'fleet.yaml')}, or point --fleet at a fleet directory or fleet file (${given})`,
    );
  });

  it('files of a directory given as a relative path are named from that path', () => {
    const dir = copyOfDefault();
    edit(path.join(dir, 'clusters/bu0001a0042-04/cluster.yaml'), 'minCount: 2', 'minCount: 0');
    const given = path.relative(process.cwd(), dir);
    expect(rejection(given).issues.map((i) => i.source)).toStrictEqual([
      path.join(given, 'clusters/bu0001a0042-04/cluster.yaml'),
    ]);
  });
});

describe('errors about a file name the path as written in that file', () => {
  it('every field of a cluster.yaml set to a wrong type: spec.… or metadata.…, never regions.….clusters[…]', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'clusters/bu0001a0042-03/cluster.yaml');
    const text = readFileSync(file, 'utf8');
    const keys = [...text.matchAll(/^ +([A-Za-z]+): \S.*$/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(20);
    const paths = keys.flatMap((_key, index) => {
      // The index-th `key: value` line gets an object as its value: a type error at that field.
      let seen = -1;
      writeFileSync(
        file,
        text.replace(/^( +)([A-Za-z]+): \S.*$/gm, (line, indent: string, name: string) =>
          ++seen === index ? `${indent}${name}: { wrong: type }` : line,
        ),
      );
      return rejection(dir).issues.map((i) => `${i.path} ${i.source?.endsWith('bu0001a0042-03/cluster.yaml')}`);
    });
    expect(paths.filter((p) => !/^(spec|metadata|kind|apiVersion)\b\S* true$/.test(p))).toStrictEqual([]);
  });
});

describe('a mis-indented key of a cluster.yaml: one error at its line, naming indentation', () => {
  // Generated: every key line of a cluster.yaml de- and over-indented by 1–3 spaces. YAML allows a mapping's keys
  // any one column, so a lone key moved (with nothing to misalign against) can still be the same document: then the
  // fleet loads unchanged, which is right. Anything else is exactly one error, at the key's own line.
  it('every key, -3 … +3 spaces', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'clusters/bu0001a0042-03/cluster.yaml');
    const text = readFileSync(file, 'utf8');
    const expected = JSON.stringify(loadFleet(dir).fleet);
    const lines = text.split('\n');
    const outcomes: string[] = [];
    lines.forEach((line, index) => {
      const key = /^( *)([A-Za-z]+):/.exec(line);
      if (!key) return;
      for (const delta of [-3, -2, -1, 1, 2, 3]) {
        const column = key[1]!.length + delta;
        if (column < 0) continue;
        const edited = [...lines];
        edited[index] = ' '.repeat(column) + line.trimStart();
        writeFileSync(file, edited.join('\n'));
        const at = `line ${index + 1} ${delta > 0 ? '+' : ''}${delta}`;
        try {
          outcomes.push(JSON.stringify(loadFleet(dir).fleet) === expected ? 'same' : `${at}: loads another fleet`);
        } catch (error) {
          const issues = (error as FleetValidationError).issues ?? [];
          const right =
            issues.length === 1 &&
            issues[0]!.path.endsWith(`cluster.yaml:${index + 1}:${column + 1}`) &&
            /indented \d+ spaces?, unlike the keys it belongs with/.test(formatIssue(issues[0]!)) &&
            new RegExp(`— fix: indent ${key[2]} ${key[1]!.length} spaces?, like its sibling keys`).test(
              formatIssue(issues[0]!),
            );
          outcomes.push(right ? 'one error' : `${at}: ${issues.map(formatIssue).join(' | ') || String(error)}`);
        }
      }
    });
    expect(outcomes.filter((o) => o !== 'same' && o !== 'one error')).toStrictEqual([]);
    expect(outcomes.filter((o) => o === 'one error').length).toBeGreaterThan(150);
  }, 60_000);

  it('a parser error no single key explains is said plainly, not guessed', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'clusters/bu0001a0042-03/cluster.yaml');
    // Two keys broken at once: no one re-indentation repairs the file.
    edit(file, '      maxCount: 4', '    maxCount: 4');
    edit(file, '      minCount: 2', '        minCount: 2');
    const [issue] = rejection(dir).issues;
    expect(formatIssue(issue!)).toMatch(
      /: got a line YAML cannot read here \(no single mis-indented key explains it\): .*; expected valid YAML — fix: check the indentation of this line and the lines just above it/,
    );
  });
});
