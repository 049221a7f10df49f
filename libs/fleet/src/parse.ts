/**
 * `parseFleet()`: the one boundary where a fleet document is checked — structure (zod) and cross-field rules —
 * and every problem is reported together.
 */
import type { z } from 'zod';
import { formatPath, FleetValidationError, type FleetIssue } from './errors.ts';
import { checkFleetRules } from './rules.ts';
import { FleetSchema, type Fleet } from './schema.ts';

/** Where parts of a fleet came from: path prefix (`regions.eastus2.clusters[0]`) → file. */
export type SourceMap = ReadonlyMap<string, string>;

/** Parses and checks a fleet document; throws `FleetValidationError` listing every issue. */
export function parseFleet(input: unknown, sources: SourceMap = new Map()): Readonly<Fleet> {
  const result = FleetSchema.safeParse(input, { reportInput: true });
  const issues: FleetIssue[] = result.success ? checkFleetRules(result.data.spec) : result.error.issues.flatMap(fromZodIssue);
  if (issues.length > 0) {
    throw new FleetValidationError(issues.map((issue) => withSource(issue, sources)));
  }
  return deepFreeze(result.data!);
}

/** Spec-relative path: the model's fields are addressed without the `spec.` prefix. */
function specPath(path: readonly PropertyKey[]): string {
  return formatPath(path[0] === 'spec' ? path.slice(1) : path);
}

function fromZodIssue(issue: z.core.$ZodIssue): FleetIssue[] {
  const path = specPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: specPath([...issue.path, key]),
        value: (input as Record<string, unknown> | undefined)?.[key],
        expected: 'no such field (unknown field)',
        fix: `remove "${key}" or correct its spelling (see libs/fleet/src/schema.ts)`,
      }));
    case 'invalid_type':
      if (input === undefined) {
        return [{ path, value: undefined, expected: `a ${issue.expected} (required)`, fix: `add ${path}` }];
      }
      return [{ path, value: input, expected: `a ${issue.expected}`, fix: `set ${path} to a ${issue.expected}` }];
    case 'invalid_value':
      return [{ path, value: input, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, fix: `set ${path} to ${JSON.stringify(issue.values[0])}` }];
    case 'too_small':
    case 'too_big':
      return [{ path, value: input, expected: issue.message.replace(/^Too (small|big): expected /, ''), fix: `change ${path} to fit: ${issue.message}` }];
    default:
      return [{ path, value: input, expected: issue.message.replace(/^Invalid input: expected /, ''), fix: `set ${path} to ${issue.message.replace(/^Invalid input: expected /, '')}` }];
  }
}

function withSource(issue: FleetIssue, sources: SourceMap): FleetIssue {
  let best: string | undefined;
  let bestLength = -1;
  for (const [prefix, file] of sources) {
    const matches = issue.path === prefix || issue.path.startsWith(`${prefix}.`) || issue.path.startsWith(`${prefix}[`) || prefix === '';
    if (matches && prefix.length > bestLength) {
      best = file;
      bestLength = prefix.length;
    }
  }
  return best ? { ...issue, source: best } : issue;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
