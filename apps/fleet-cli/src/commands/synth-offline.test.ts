/**
 * The main job offline: `npm run synth` (`fleet synth`) writes the default fleet's tree with no network and no schema
 * location — custom resources are checked by typed models of our own, not by CRDs read from disk or the network.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanScratch, readTree, REPO_ROOT, scratchDir } from '../testing/run-cli.ts';

afterEach(cleanScratch);

const FLEET = path.join(REPO_ROOT, 'apps/fleet-cli/bin/fleet.js');
const NO_NETWORK = path.join(REPO_ROOT, 'apps/fleet-cli/src/testing/no-network.mjs');

function offlineFleet(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--import', NO_NETWORK, FLEET, ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
  });
}

describe('fleet synth offline', () => {
  it('the network guard itself refuses a connection (negative control)', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', NO_NETWORK, '-e', "require('node:net').connect(9, '127.0.0.1')"],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(97);
    expect(result.stderr).toContain('NETWORK USED');
  });

  it('writes the whole tree with FLEET_SCHEMA_LOCATION unset, no schema cache and no network', () => {
    const root = scratchDir('fleet-offline-');
    const env = { ...process.env };
    delete env.FLEET_SCHEMA_LOCATION;
    // A schema location that holds nothing: synthesis must not need one (unset falls back to .cache/schemas).
    const result = offlineFleet(['synth', '--root', root], {
      ...env,
      FLEET_SCHEMA_LOCATION: scratchDir('no-schemas-'),
    });
    expect(result.stderr).not.toContain('NETWORK USED');
    expect(result.status, result.stderr).toBe(0);
    const files = Object.keys(readTree(root));
    expect(existsSync(path.join(root, '.cache/schemas'))).toBe(false);
    expect(files.filter((f) => f.startsWith('manifests/bu0001a0042-03/')).length).toBeGreaterThan(10);
    expect(files).toContain('infrastructure/plan.json');
    expect(files.some((f) => f.endsWith('secretproviderclass-ingress-tls-key-vault.yaml'))).toBe(true);
  });

  it('also with the variable unset (its default, .cache/schemas, is never read by synthesis)', () => {
    const root = scratchDir('fleet-offline-');
    const env = { ...process.env };
    delete env.FLEET_SCHEMA_LOCATION;
    const result = offlineFleet(['synth', '--root', root], env);
    expect(result.stderr).not.toContain('NETWORK USED');
    expect(result.status, result.stderr).toBe(0);
    expect(Object.keys(readTree(root)).length).toBeGreaterThan(100);
  });
});
