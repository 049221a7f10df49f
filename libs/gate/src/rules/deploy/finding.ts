/** The one finding shape of the deploy/* rules. */
import type { Finding } from '../../finding.ts';

export function deployFinding(rule: string, file: string, object: string, message: string, fix: string): Finding {
  return { severity: 'ERROR', rule, file, object, message, fix };
}
