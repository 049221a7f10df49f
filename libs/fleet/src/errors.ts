/**
 * Fleet model errors: every problem names the field path, the value, what was expected and how to fix it.
 * A parse collects all of them and throws once.
 */

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

function formatValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** One line per issue: `<path>: got <value>; expected <expected> — fix: <fix> [(<file>)]`. */
export function formatIssue(issue: FleetIssue): string {
  const where = issue.source ? ` (${issue.source})` : '';
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
    this.issues = issues;
  }
}
