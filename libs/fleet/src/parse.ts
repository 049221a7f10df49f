/**
 * `parseFleet()`: the one boundary where a fleet document is checked — structure (zod) and cross-field rules —
 * and every problem is reported together. When the structure is wrong somewhere, the cross-field rules still run on
 * every part that is valid on its own, so one typo does not hide the overlap two clusters further down.
 */
import type { z } from 'zod';
import { deepFreeze } from '@aks-fleet/util';
import { Described, formatPath, FleetValidationError, type FleetIssue } from './errors.ts';
import { checkFleetRules, type RuleInput } from './rules.ts';
import { ClusterSchema, FleetSchema, FleetSpecSchema, HubSchema, type Cluster, type Fleet } from './schema.ts';
import { GivenNumber } from './yaml-reader.ts';

/**
 * A file part of a fleet came from, and how the model's paths read in it: a `fleet` file holds the Fleet document
 * (`spec.regions.eastus2.hub…`), a `cluster` file one Cluster document (`metadata.name`, `spec.nodePools…`).
 */
export interface FleetSource {
  readonly file: string;
  readonly kind: 'fleet' | 'cluster';
  /** Scalars that are no strings, as the file wrote them (`1.30`, `4`), by their path in the file. */
  readonly written?: ReadonlyMap<string, string>;
}

/** Where parts of a fleet came from: model path prefix (`regions.eastus2.clusters[0]`, `''` for all) → file. */
export type SourceMap = ReadonlyMap<string, FleetSource>;

/**
 * Parses and checks a fleet document; throws `FleetValidationError` listing every issue, `earlier` (problems the
 * loader found, e.g. in the files) included. `explained`: paths whose problem an earlier issue already accounts for
 * (a region whose cluster file could not be read has no clusters): nothing more is reported at them. With `sources`,
 * every issue names its file and its path as written there (and so do the paths its text mentions).
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
  const issues = [...earlier, ...unique(found.filter((issue) => !explained.has(issue.path)))];
  if (issues.length > 0) {
    throw new FleetValidationError(unique(issues.map((issue) => inFile(issue, sources))));
  }
  return deepFreeze(result.data!);
}

/** Issues about the document's envelope (apiVersion, kind, metadata, unknown top-level keys), not its spec. */
const ENVELOPE = new WeakSet<FleetIssue>();

/** Spec-relative path: the model's fields are addressed without the `spec.` prefix. */
export function specPath(path: readonly PropertyKey[]): string {
  return formatPath(path[0] === 'spec' && path.length > 1 ? path.slice(1) : path);
}

function fromZodIssue(issue: z.core.$ZodIssue): FleetIssue[] {
  const issues = fromZodIssueIn(issue);
  if (issue.path[0] !== 'spec') for (const each of issues) ENVELOPE.add(each);
  return issues;
}

function fromZodIssueIn(issue: z.core.$ZodIssue): FleetIssue[] {
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
      if (issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
        // YAML read an unquoted 1.30 as the number 1.3, 04 as 4: the value belongs in quotes.
        const key = String(issue.path.at(-1));
        const found: FleetIssue = {
          path,
          value: input,
          expected: `a string${STRING_FORMATS[key] ? `: ${STRING_FORMATS[key].what}` : ''} (YAML reads it unquoted as a ${typeof input})`,
          fix: quoteFix(path, String(input)),
        };
        QUOTE_HINT.set(found, { value: String(input) });
        return [found];
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

/** Issues whose fix is to quote the value: the value as the document gave it. */
const QUOTE_HINT = new WeakMap<FleetIssue, { value: string }>();

/** String fields that look like numbers, and how their value is written in quotes. */
const STRING_FORMATS: Record<string, { what: string; quoted: (written: string) => string }> = {
  instance: { what: 'a two-digit instance id like "03"', quoted: (written) => written.padStart(2, '0') },
  kubernetesVersion: { what: 'a Kubernetes version like "1.35"', quoted: (written) => written },
};

/** `quote it: kubernetesVersion: "1.30"` (the value as written; in the field's format where it has one). */
function quoteFix(path: string, written: string): string {
  const key = /([A-Za-z0-9_-]+)$/.exec(path)?.[1] ?? path;
  const format = STRING_FORMATS[key];
  const quoted = format && /^\d+(\.\d+)*$/.test(written) ? format.quoted(written) : written;
  return `quote the value${quoted === written ? '' : ` (${format!.what})`}: ${key}: ${JSON.stringify(quoted)}`;
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
    const key = `${issue.source ?? ''}\0${issue.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Model paths in an issue's text: `regions.eastus2.clusters[0].spoke.addressSpace`, `workload.replicas` … */
const MODEL_PATH = new RegExp(
  `(?<![\\w./-])(?:${Object.keys(FleetSpecSchema.shape).join('|')})(?:\\.[A-Za-z0-9_-]+|\\[\\d+\\])+`,
  'g',
);

/** The source whose prefix is the longest that `path` starts with, and the rest of the path after it. */
function sourceOf(path: string, sources: SourceMap): { source: FleetSource; rest: string } | undefined {
  let best: { source: FleetSource; rest: string } | undefined;
  let bestLength = -1;
  for (const [prefix, source] of sources) {
    const matches = prefix === '' || path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
    if (matches && prefix.length > bestLength) {
      best = { source, rest: prefix === '' ? path : path.slice(prefix.length) };
      bestLength = prefix.length;
    }
  }
  return best;
}

/** A model path as written in its file: `spec.` + it in a Fleet document; `metadata.name`, `spec…` in a Cluster one. */
function writtenPath(source: FleetSource, rest: string, envelope = false): string {
  if (rest === '(document)') return rest;
  if (source.kind === 'fleet') return envelope ? rest : `spec.${rest}`;
  if (rest === '') return '(document)';
  if (rest === '.name' || rest.startsWith('.name.')) return `metadata${rest}`;
  return `spec${rest}`;
}

/**
 * The issue as its file reads: its path as written there, the paths its text mentions too (with their file when that
 * is another), the value as written when the file wrote a number where a string belongs. Unchanged without sources
 * and for issues that already name their file (the loader's).
 */
function inFile(issue: FleetIssue, sources: SourceMap): FleetIssue {
  if (issue.source || sources.size === 0) return issue;
  const own = sourceOf(issue.path, sources);
  if (!own) return issue;
  const path = writtenPath(own.source, own.rest, ENVELOPE.has(issue));
  const rewrite = (text: string): string =>
    text.replace(MODEL_PATH, (mentioned) => {
      if (mentioned === issue.path) return path;
      const other = sourceOf(mentioned, sources);
      if (!other) return mentioned;
      const written = writtenPath(other.source, other.rest);
      return other.source.file === own.source.file ? written : `${written} in ${other.source.file}`;
    });
  const asWritten = own.source.written?.get(path);
  const quoted = QUOTE_HINT.get(issue);
  return {
    ...issue,
    path,
    ...(asWritten !== undefined && quoted ? { value: new Described(asWritten) } : {}),
    expected: rewrite(issue.expected),
    fix: quoted ? quoteFix(path, asWritten ?? quoted.value) : rewrite(issue.fix),
    source: own.source.file,
  };
}
