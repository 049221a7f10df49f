/**
 * `parseFleet()`: the one boundary where a fleet document is checked — structure (zod) and cross-field rules —
 * and every problem is reported together. When the structure is wrong somewhere, the cross-field rules still run on
 * every part that is valid on its own, so one typo does not hide the overlap two clusters further down.
 */
import type { z } from 'zod';
import { formatPath, FleetValidationError, type FleetIssue } from './errors.ts';
import { checkFleetRules, type RuleInput } from './rules.ts';
import { ClusterSchema, FleetSchema, FleetSpecSchema, HubSchema, type Cluster, type Fleet } from './schema.ts';
import { GivenNumber } from './yaml-reader.ts';

/** Where parts of a fleet came from: path prefix (`regions.eastus2.clusters[0]`) → file. */
export type SourceMap = ReadonlyMap<string, string>;

/**
 * Parses and checks a fleet document; throws `FleetValidationError` listing every issue, `earlier` (problems the
 * loader found, e.g. in the files) included. `explained`: paths whose problem an earlier issue already accounts for
 * (a region whose cluster file could not be read has no clusters): nothing more is reported at them.
 */
export function parseFleet(
  input: unknown,
  sources: SourceMap = new Map(),
  earlier: readonly FleetIssue[] = [],
  explained: ReadonlySet<string> = new Set(),
): Readonly<Fleet> {
  const result = FleetSchema.safeParse(input, { reportInput: true });
  const found: FleetIssue[] = [];
  const structural = result.success ? [] : result.error.issues.flatMap(fromZodIssue);
  const seen = new Set(structural.map((issue) => issue.path));
  found.push(...structural, ...prototypeKeys(input).filter((issue) => !seen.has(issue.path)));
  if (result.success) {
    found.push(...checkFleetRules(result.data.spec));
  } else {
    const salvaged = salvage(input);
    if (salvaged) found.push(...checkFleetRules(salvaged));
  }
  const issues = [...earlier, ...found.filter((issue) => !explained.has(issue.path))];
  if (issues.length > 0) {
    throw new FleetValidationError(unique(issues).map((issue) => withSource(issue, sources)));
  }
  return deepFreeze(result.data!);
}

/** Spec-relative path: the model's fields are addressed without the `spec.` prefix. */
export function specPath(path: readonly PropertyKey[]): string {
  return formatPath(path[0] === 'spec' && path.length > 1 ? path.slice(1) : path);
}

function fromZodIssue(issue: z.core.$ZodIssue): FleetIssue[] {
  const path = specPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  if (input instanceof GivenNumber) {
    return [
      {
        path,
        value: input,
        expected: `${expectedOf(issue)}; ${input.source} is beyond the numbers the model can hold exactly (±${Number.MAX_SAFE_INTEGER})`,
        fix: `set ${path} to a value in range`,
      },
    ];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: specPath([...issue.path, key]),
        value: (input as Record<string, unknown> | undefined)?.[key],
        expected: 'no such field (unknown field)',
        fix: `remove "${key}" or correct its spelling (see libs/fleet/src/schema.ts)`,
      }));
    case 'invalid_key':
      return [
        {
          path,
          value: input,
          expected: issue.issues[0]?.message ?? 'a valid name',
          fix: `rename the key ${JSON.stringify(input)}`,
        },
      ];
    case 'invalid_type':
      if (input === undefined) {
        return [{ path, value: undefined, expected: `${article(issue.expected)} (required)`, fix: `add ${path}` }];
      }
      return [
        { path, value: input, expected: article(issue.expected), fix: `set ${path} to ${article(issue.expected)}` },
      ];
    case 'invalid_value':
      return [
        {
          path,
          value: input,
          expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
          fix: `set ${path} to ${JSON.stringify(issue.values[0])}`,
        },
      ];
    case 'too_small':
    case 'too_big':
      return [
        {
          path,
          value: input,
          expected: issue.message.replace(/^Too (small|big): expected /, ''),
          fix: `change ${path} to fit: ${issue.message}`,
        },
      ];
    case 'custom': {
      // A refinement may name its own fix (`params: { fix }`) rather than repeat what it expects.
      const fix = (issue.params as { fix?: unknown } | undefined)?.fix;
      const expected = expectedOf(issue);
      return [{ path, value: input, expected, fix: typeof fix === 'string' ? fix : `set ${path} to ${expected}` }];
    }
    default:
      return [{ path, value: input, expected: expectedOf(issue), fix: `set ${path} to ${expectedOf(issue)}` }];
  }
}

function expectedOf(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_type'
    ? article(issue.expected)
    : issue.message.replace(/^Invalid input: expected /, '');
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

const PROTOTYPE_KEY = '__proto__';

/**
 * Every `__proto__` key of the document: zod drops it from records without a word (assigning it would replace the
 * output's prototype), so a region named `__proto__` would vanish. Reported here instead.
 */
function prototypeKeys(input: unknown): FleetIssue[] {
  const issues: FleetIssue[] = [];
  const visited = new Set<object>();
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (!value || typeof value !== 'object' || visited.has(value)) return;
    visited.add(value);
    if (!Array.isArray(value) && Object.hasOwn(value, PROTOTYPE_KEY)) {
      issues.push({
        path: specPath([...path, PROTOTYPE_KEY]),
        value: PROTOTYPE_KEY,
        expected: 'a name that is not a JavaScript built-in property (__proto__, constructor, toString …)',
        fix: 'rename the key',
      });
    }
    for (const [key, child] of Object.entries(value)) walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
  };
  walk(input, []);
  return issues;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GivenNumber);
}

/**
 * The parts of an invalid document that are valid on their own: every top-level field, each region's hub and each
 * cluster (a sparse array keeps the indexes of the clusters that did parse, so the rules report the right paths).
 */
function salvage(input: unknown): RuleInput | undefined {
  if (!isMapping(input) || !isMapping(input.spec)) return undefined;
  const spec = input.spec;
  const part = <T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  };
  const shape = FleetSpecSchema.shape;
  let regions: Record<string, { hub?: z.output<typeof HubSchema>; clusters: Cluster[] }> | undefined;
  if (isMapping(spec.regions)) {
    regions = Object.create(null) as NonNullable<typeof regions>;
    for (const [name, region] of Object.entries(spec.regions)) {
      if (name in Object.prototype) continue; // reported; a built-in name is no region
      const clusters: Cluster[] = [];
      if (!isMapping(region)) {
        regions[name] = { clusters }; // reported; its name is still checked
        continue;
      }
      if (Array.isArray(region.clusters)) {
        region.clusters.forEach((cluster, index) => {
          const parsed = part(ClusterSchema, cluster);
          if (parsed) clusters[index] = parsed;
        });
      }
      const hub = part(HubSchema, region.hub);
      regions[name] = hub ? { hub, clusters } : { clusters };
    }
    // Only built-in names: the regions exist but none can be checked (and "at least one region" would be wrong).
    if (Object.keys(regions).length === 0 && Object.keys(spec.regions).length > 0) regions = undefined;
  }
  return {
    organization: part(shape.organization, spec.organization),
    dns: part(shape.dns, spec.dns),
    sharedServices: part(shape.sharedServices, spec.sharedServices),
    gitSource: part(shape.gitSource, spec.gitSource),
    workload: part(shape.workload, spec.workload),
    ingressController: part(shape.ingressController, spec.ingressController),
    policyExceptions: part(shape.policyExceptions, spec.policyExceptions),
    ...(regions ? { regions } : {}),
  };
}

/**
 * One issue per path: one mistake is one error. The first found stands (structure before cross-field rules, the
 * direct check before what is derived from the value): a duplicate cluster name is not also five colliding derived
 * names, nor a URL the schema refused also refused by a rule.
 */
function unique(issues: readonly FleetIssue[]): FleetIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (seen.has(issue.path)) return false;
    seen.add(issue.path);
    return true;
  });
}

function withSource(issue: FleetIssue, sources: SourceMap): FleetIssue {
  if (issue.source) return issue;
  let best: string | undefined;
  let bestLength = -1;
  for (const [prefix, file] of sources) {
    const matches =
      issue.path === prefix ||
      issue.path.startsWith(`${prefix}.`) ||
      issue.path.startsWith(`${prefix}[`) ||
      prefix === '';
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
