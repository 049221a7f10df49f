/**
 * The third-party scanner's configuration: checkov is pinned to one exact version, run by .ci/run and ci.yml through
 * scripts/checkov.sh, and every check it skips is justified on its own line of .checkov.yaml.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const JUSTIFICATION = /^\s+- (CKV2?_[A-Z0-9]+_\d+) # (false positive|matches reference|accepted risk): \S.{10,}$/;

describe('checkov', () => {
  it('every skipped check is justified on its line (false positive, matches reference or accepted risk)', () => {
    const text = read('.checkov.yaml');
    const skipped = parse(text)['skip-check'] as string[];
    expect(skipped.length).toBeGreaterThan(0);
    const lines = text.split('\n').filter((line) => /^\s+- CKV/.test(line));
    expect(lines).toHaveLength(skipped.length);
    for (const line of lines) expect(line, 'a skip needs "# <category>: <why>"').toMatch(JUSTIFICATION);
    expect(new Set(skipped).size).toBe(skipped.length);
  });

  it('is pinned to one exact PyPI version and run by .ci/run and ci.yml through scripts/checkov.sh', () => {
    expect(read('scripts/checkov.sh')).toMatch(/^CHECKOV_VERSION="\d+\.\d+\.\d+"$/m);
    expect(read('scripts/checkov.sh')).toContain(
      'pip" install --quiet --disable-pip-version-check "checkov==${CHECKOV_VERSION}"',
    );
    expect(read('.ci/run')).toMatch(/^bash scripts\/checkov\.sh\nrecord \$\? "checkov"$/m);
    const ci = parse(read('.github/workflows/ci.yml'));
    const runs = (ci.jobs.fleet.steps as Array<{ run?: string }>).map((s) => s.run ?? '');
    expect(runs).toContain('bash scripts/checkov.sh');
  });
});
