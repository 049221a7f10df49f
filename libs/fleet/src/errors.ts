/**
 * Fleet model errors: every problem names the field path, the value, what was expected and how to fix it.
 * A parse collects all of them and throws once.
 */
import { Described } from './given-number.ts';

export { Described };

/** One problem in a fleet document. */
export interface FleetIssue {
  /** Field path in the fleet spec, e.g. `regions.eastus2.clusters[0].spoke.subnets.ingress`. */
  readonly path: string;
  /** The offending value (undefined when a required field is missing). */
  readonly value: unknown;
  /** What a valid value looks like. */
  readonly expected: string;
  /** How to fix it. */
  readonly fix: string;
  /** The file the value came from, when the fleet was loaded from files. */
  readonly source?: string;
}

/** Renders a path array (`['regions','eastus2','clusters',0]`) as `regions.eastus2.clusters[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(document)' : out;
}

/** `https://user:token@host/…` → `https://***@host/…`: an error message must not repeat a credential. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\/\/[^/@\s"]*@/g, '//***@');
}

function formatValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  // Words (and numbers read from a file) as they are; JSON would print Infinity and NaN as null: show them too.
  if (value instanceof Described) return redactUrlCredentials(value.text);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = Object.prototype.toString.call(value); // e.g. a value that refers to itself
  }
  json = redactUrlCredentials(json);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Values kept in issues (and printed by --json) carry no credential and no number JSON cannot represent. */
function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (value instanceof Described) {
    const text = redactUrlCredentials(value.text);
    return text === value.text ? value : new Described(text);
  }
  if ((typeof value === 'number' && !Number.isFinite(value)) || typeof value === 'bigint') return String(value);
  return value;
}

/**
 * One line per issue: `<path>: got <value>; expected <expected> — fix: <fix> [(<file>)]` (the file is left out when
 * the path already names it, as `<file>:<line>:<column>` does).
 */
export function formatIssue(issue: FleetIssue): string {
  const where = issue.source && !issue.path.startsWith(`${issue.source}:`) ? ` (${issue.source})` : '';
  return `${issue.path}: got ${formatValue(issue.value)}; expected ${issue.expected} — fix: ${issue.fix}${where}`;
}

/** Thrown by `parseFleet()` with every issue of the document. */
export class FleetValidationError extends Error {
  readonly issues: readonly FleetIssue[];

  constructor(issues: readonly FleetIssue[]) {
    super(
      `fleet model has ${issues.length} error${issues.length === 1 ? '' : 's'}:\n` +
        issues.map((issue) => `  ERROR ${formatIssue(issue)}`).join('\n'),
    );
    this.name = 'FleetValidationError';
    this.issues = issues.map((issue) => ({ ...issue, value: safeValue(issue.value) }));
  }
}
