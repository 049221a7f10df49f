import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FleetValidationError } from './errors.ts';
import { defaultFleetLocation, loadFleet } from './load.ts';

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

  it('names the cluster file an error comes from', () => {
    const dir = copyOfDefault();
    const file = path.join(dir, 'clusters/bu0001a0042-04/cluster.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('internalLoadBalancerIp: 10.244.4.4', 'internalLoadBalancerIp: 10.244.9.4'));
    const [issue] = rejection(dir).issues;
    expect(issue!.path).toBe('regions.centralus.clusters[0].ingress.internalLoadBalancerIp');
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
    expect(issue).toMatchObject({ path: 'apiVersion', expected: 'each key once in a mapping (duplicate key)', value: 'line 2, column 1' });
    writeFileSync(path.join(dir, 'fleet.yaml'), 'apiVersion: [a\n');
    expect(rejection(dir).issues[0]).toMatchObject({ path: '(document)', expected: 'valid YAML' });
  });

  it('fails clearly on a path that does not exist', () => {
    expect(rejection('/nonexistent/fleet.yaml').issues[0]!.expected).toBe('an existing fleet file or fleet directory');
  });
});
