/**
 * The README names repository paths in backticks (`libs/infra/src/arm/deploy.test.ts`, `scripts/install-tools.sh`
 * …); a newcomer follows them, so each must exist. A path is a backticked word whose first segment is a top-level
 * entry git tracks; placeholders (`manifests/<cluster>/`) and globs are checked up to their first variable segment.
 * The rows of the gate's rule table are left out: rule ids (`infrastructure/schema`) look like paths.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every backticked repository path of `markdown`, cut before its first placeholder or glob segment. */
export function repositoryPaths(markdown: string, topLevel: ReadonlySet<string>): string[] {
  const paths = new Set<string>();
  const text = markdown
    .split('\n')
    .filter((line) => !/^\| `[a-z]+\/[a-z*-]+`/.test(line))
    .join('\n');
  for (const [, code] of text.matchAll(/`([^`\s]+)`/g)) {
    const segments = code!.replace(/^\.\//, '').split('/');
    if (!topLevel.has(segments[0]!)) continue;
    const fixed = segments.slice(0, segments.findIndex((s) => /[<>*{}]/.test(s)) >>> 0);
    paths.add(fixed.join('/').replace(/\/$/, ''));
  }
  return [...paths].sort();
}

describe('README.md', () => {
  const topLevel = new Set(
    execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((file) => file.split('/')[0]!),
  );
  const paths = repositoryPaths(readFileSync(path.join(ROOT, 'README.md'), 'utf8'), topLevel);

  it('names repository paths (the check sees them)', () => {
    expect(paths).toEqual(
      expect.arrayContaining(['libs/infra/src/arm/deploy.test.ts', 'scripts/install-tools.sh', 'libs/util']),
    );
  });

  it('every repository path it names exists (was: libs/infra/src/deploy.test.ts after the file moved to arm/)', () => {
    expect(paths.filter((file) => !existsSync(path.join(ROOT, file)))).toStrictEqual([]);
  });

  it('its tree table lists every project under libs/ and apps/', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const projects = [...topLevel].includes('libs')
      ? execFileSync('git', ['ls-files', 'libs/*/project.json', 'apps/*/project.json'], { cwd: ROOT, encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
          .map((file) => path.dirname(file))
      : [];
    expect(projects.length).toBeGreaterThan(5);
    expect(projects.filter((project) => !readme.includes(`| \`${project}/\``))).toStrictEqual([]);
  });

  it('the path reader cuts at placeholders and ignores what is not a repository path', () => {
    const top = new Set(['manifests', 'libs']);
    const markdown = '`manifests/<cluster>/` `libs/a/b.ts` `deploy/peak-fits` `./libs/c/`\n| `libs/rule-id` | why |';
    expect(repositoryPaths(markdown, top)).toStrictEqual(['libs/a/b.ts', 'libs/c', 'manifests']);
  });
});
