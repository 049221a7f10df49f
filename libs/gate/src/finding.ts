/** One finding of the gate, rendered as one line: `ERROR <rule-id> <file> <kind>/<namespace>/<name>: <what> — fix: <fix>`. */
export interface Finding {
  readonly severity: 'ERROR' | 'WARN';
  readonly rule: string;
  /** Repository-relative file. */
  readonly file: string;
  /** `Kind/namespace/name` (namespace empty for cluster-scoped objects), or `-` when the finding is about a file or folder. */
  readonly object: string;
  readonly message: string;
  readonly fix: string;
}

export function formatFinding(finding: Finding): string {
  return `${finding.severity} ${finding.rule} ${finding.file} ${finding.object}: ${finding.message} — fix: ${finding.fix}`;
}

/** Stable order: file, object, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.object.localeCompare(b.object) ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}
