// Lint: TypeScript rules, vitest's valid-expect family, and nx module boundaries with real constraints.
// The dependency rules are data below; libs/workspace-tests asserts they never degrade to a wildcard.
import nx from '@nx/eslint-plugin';
import vitest from '@vitest/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Who may depend on whom (nx project tags). */
export const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:cluster-app',
      'type:data',
      'type:constructs',
      'type:tooling',
      'type:infra',
      'type:ops',
      'type:util',
    ],
  },
  // The cdk8s cluster app maps the model to construct props; it never reaches Azure or the CLI.
  {
    sourceTag: 'type:cluster-app',
    onlyDependOnLibsWithTags: ['type:data', 'type:constructs', 'type:tooling', 'type:util'],
  },
  { sourceTag: 'type:cluster-app', bannedExternalImports: ['@azure/*'] },
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:data', 'type:tooling', 'type:util'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:data', 'type:util'] },
  // Operating the running fleet (status, rollout): reads the model, never synthesizes or deploys.
  {
    sourceTag: 'type:ops',
    onlyDependOnLibsWithTags: ['type:data', 'type:util'],
    bannedExternalImports: ['cdk8s', 'cdk8s-plus-*', 'constructs'],
  },
  { sourceTag: 'type:constructs', onlyDependOnLibsWithTags: ['type:constructs', 'type:util'] },
  {
    sourceTag: 'type:data',
    onlyDependOnLibsWithTags: ['type:util'],
    // The fleet model is plain data: no Kubernetes synthesis and no Azure SDK may creep in.
    bannedExternalImports: [
      'cdk8s',
      'cdk8s-plus-*',
      'constructs',
      'kubernetes-models',
      '@kubernetes-models/*',
      '@azure/*',
    ],
  },
  { sourceTag: 'type:constructs', bannedExternalImports: ['@azure/*'] },
  { sourceTag: 'type:tooling', bannedExternalImports: ['@azure/*'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  {
    sourceTag: 'type:test',
    onlyDependOnLibsWithTags: [
      'type:app',
      'type:cluster-app',
      'type:data',
      'type:constructs',
      'type:tooling',
      'type:infra',
      'type:ops',
      'type:util',
      'type:test',
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '.nx/**',
      '.cache/**',
      '.fleet-tx/**',
      'manifests/**',
      'clusters/**',
      'infrastructure/**',
      '**/testdata/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.test.ts'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      'vitest/expect-expect': 'error',
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
    },
  },
);
