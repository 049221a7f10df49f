/**
 * `fleet validate` without the official schemas or kustomize (issue 14): ONE precondition error naming what is missing
 * and how to get it — not one finding per object or template, each with a doubled fix — and no rule runs.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet } from '@aks-fleet/fleet';
import { kustomizeLocation } from '@aks-fleet/util';
import { afterEach, describe, expect, it } from 'vitest';
import { formatFinding } from './finding.ts';
import { KUSTOMIZE_FIX, PRECONDITION_RULE, SCHEMAS_FIX, unmetPreconditions } from './preconditions.ts';
import type { GateContext } from './rule.ts';
import { kustomizeRules } from './rules/kustomize-rules.ts';
import { RULES } from './rules/index.ts';
import { readClusterTrees } from './tree.ts';
import { defaultContainerPolicy, validate } from './validate.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A schema location with the given sub-folders only. */
function schemaFolder(...children: string[]): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'gate-schemas-'));
  folders.push(folder);
  for (const child of children) mkdirSync(path.join(folder, child));
  return folder;
}

/** The committed tree, with object validators and ARM templates to check, as `fleet validate` passes them. */
function context(overrides: Partial<GateContext>): GateContext {
  return {
    root: REPO,
    fleet: loadFleet().fleet,
    clusters: readClusterTrees(REPO),
    validators: new Map(),
    infrastructure: { templates: new Map([['infrastructure/shared/template.json', {}]]), validateTemplate: () => [] },
    policy: defaultContainerPolicy('acraksbu0001a0042'),
    exceptions: [],
    ...overrides,
  };
}

describe('gate preconditions', () => {
  it('without schemas and kustomize: exactly one error naming both, each fix once, and no rule runs', async () => {
    const location = schemaFolder();
    const result = await validate(context({ schemaLocation: location }));
    expect(result.rules).toBe(0);
    expect(result.findings).toHaveLength(1);
    const line = formatFinding(result.findings[0]!);
    expect(line).toBe(
      `ERROR ${PRECONDITION_RULE} - -: the gate cannot run: no official schemas at ${location}` +
        `${process.env.FLEET_SCHEMA_LOCATION ? ' (FLEET_SCHEMA_LOCATION)' : ''}: crds/ (the CRD schemas) and arm/ (the ARM schemas) missing; ` +
        `no kustomize at ${kustomizeLocation(REPO)}` +
        ` — fix: ${SCHEMAS_FIX}; and ${KUSTOMIZE_FIX}`,
    );
    expect(line.match(/— fix:/g)).toHaveLength(1);
    expect(line).toContain('scripts/fetch-schemas.sh');
    expect(line).toContain('set FLEET_SCHEMA_LOCATION to a folder laid out like it (crds/ and arm/');
    // Was "e.g. FLEET_SCHEMA_LOCATION=../shared/schemas": a path that exists from one checkout layout only.
    expect(line).not.toContain('../shared/schemas');
    expect(line).toContain('scripts/install-tools.sh');
    expect(line).toContain('FLEET_KUSTOMIZE');
  });

  it('names only the schema folder that is missing', () => {
    const finding = unmetPreconditions(
      context({ schemaLocation: schemaFolder('crds'), kustomize: '/bin/true' }),
      RULES,
    );
    expect(finding?.message).toMatch(/: arm\/ \(the ARM schemas\) missing$/);
    expect(finding?.fix).toBe(SCHEMAS_FIX);
  });

  it('is met when the schema folders and kustomize are there', () => {
    expect(
      unmetPreconditions(context({ schemaLocation: schemaFolder('crds', 'arm'), kustomize: '/bin/true' }), RULES),
    ).toBeUndefined();
  });

  it('asks only for what the rules run need: no kustomize without kustomize/build, no schemas without validators', () => {
    const rules = RULES.filter((rule) => rule.id !== 'kustomize/build');
    const bare = context({ schemaLocation: schemaFolder() });
    expect(unmetPreconditions({ ...bare, validators: undefined, infrastructure: undefined }, rules)).toBeUndefined();
  });

  it('the kustomize rule alone, without kustomize, says what to run with "— fix:"', async () => {
    const findings = await kustomizeRules[0]!.check(context({}));
    expect(findings.map(formatFinding)).toStrictEqual([
      expect.stringMatching(
        new RegExp(`: kustomize is not installed — fix: ${KUSTOMIZE_FIX.replace(/[.()]/g, '\\$&')}$`),
      ),
    ]);
  });
});
