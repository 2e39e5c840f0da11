import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importBoundaries from './eslint/import-boundaries.rule.js';

/** The second entry points a lib offers besides its index.ts; any other `@app/<lib>/...` path is a deep import. */
const ENTRY_POINTS = [
  '@app/assets/core',
  '@app/compute/core',
  '@app/compute/worker',
  '@app/he/evaluation',
  '@app/ledger/core',
  '@app/oversight/core',
  '@app/platform/worker',
  '@app/results/core',
  '@app/trading/core',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'data/**',
      'coverage/**',
      'contracts/build/**',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { layout: { rules: { 'import-boundaries': importBoundaries } } },
    rules: {
      'layout/import-boundaries': ['error', { root: import.meta.dirname, entryPoints: ENTRY_POINTS }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Services are never global: a module imports the module whose service it injects. The one global module is
    // the platform's CoreModule (config, clock and the settings the composition root hands the libs).
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/platform/src/core.module.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Decorator[expression.callee.name='Global']",
          message: 'No @Global() module: import the module whose providers you inject.',
        },
        {
          selector: "Property[key.name='global'][value.value=true]",
          message: 'No global dynamic module: import the module whose providers you inject.',
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
