/**
 * What the gate needs before any rule runs: the official schemas (CRDs for `schema/object`, ARM for
 * `infrastructure/schema`) and the pinned kustomize (`kustomize/build`). Without them every rule that needs them
 * would report the same absence once per object or template; instead the gate reports ONE precondition error naming
 * everything that is missing and how to get it, and runs no rule. It is not a finding about the tree but a run that
 * could not happen: `fleet validate` prints it as its one-line `ERROR … — fix: …` on stderr and exits 2.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { kustomizeLocation, repositoryRoot, SCHEMA_LOCATION_ENV, schemaLocation } from '@aks-fleet/util';
import type { Finding } from './finding.ts';
import type { GateContext, Rule } from './rule.ts';

export const PRECONDITION_RULE = 'gate/preconditions';

export const SCHEMAS_FIX =
  `run scripts/fetch-schemas.sh (it fills .cache/schemas) or set ${SCHEMA_LOCATION_ENV} to a folder laid out like it ` +
  '(crds/ and arm/, e.g. a copy of a filled .cache/schemas)';

export const KUSTOMIZE_FIX =
  'run scripts/install-tools.sh (it installs the pinned kustomize into .cache/tools/bin) or set FLEET_KUSTOMIZE to a kustomize binary';

/** The schema folders the rules in `rules` need for `context`, by folder name. */
function neededSchemaFolders(context: GateContext, ids: ReadonlySet<string>): Map<string, string> {
  const needed = new Map<string, string>();
  if (ids.has('schema/object') && context.validators) needed.set('crds', 'the CRD schemas');
  if (ids.has('infrastructure/schema') && (context.infrastructure?.templates.size ?? 0) > 0)
    needed.set('arm', 'the ARM schemas');
  return needed;
}

function isFolder(folder: string): boolean {
  return existsSync(folder) && statSync(folder).isDirectory();
}

/** The one precondition finding when something the rules need is missing, else undefined. */
export function unmetPreconditions(context: GateContext, rules: readonly Rule[]): Finding | undefined {
  const ids = new Set(rules.map((rule) => rule.id));
  const missing: string[] = [];
  const fixes: string[] = [];

  const location = context.schemaLocation ?? schemaLocation();
  const absent = [...neededSchemaFolders(context, ids)].filter(([folder]) => !isFolder(path.join(location, folder)));
  if (absent.length > 0) {
    const configured = process.env[SCHEMA_LOCATION_ENV] ? ` (${SCHEMA_LOCATION_ENV})` : '';
    missing.push(
      `no official schemas at ${location}${configured}: ${absent.map(([folder, what]) => `${folder}/ (${what})`).join(' and ')} missing`,
    );
    fixes.push(SCHEMAS_FIX);
  }

  const builds =
    ids.has('kustomize/build') && context.clusters.some((c) => !context.unchanged?.has(c.name) && c.folders.length > 0);
  if (builds && !context.kustomize) {
    missing.push(`no kustomize at ${kustomizeLocation(repositoryRoot())}`);
    fixes.push(KUSTOMIZE_FIX);
  }

  if (missing.length === 0) return undefined;
  return {
    severity: 'ERROR',
    rule: PRECONDITION_RULE,
    file: '-',
    object: '-',
    message: `the gate cannot run: ${missing.join('; ')}`,
    fix: fixes.join('; and '),
  };
}
