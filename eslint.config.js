// ESLint for pushspec's TypeScript and JavaScript: the recommended rules of
// ESLint and typescript-eslint, plus a few that keep the code's conventions.
// Run with `npm run lint:ts`; `npm test` runs it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'reports/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused code is dead code; a leading underscore marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Types a reader can trust: `import type` for what is only a type (the build erases it).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // One import statement per module.
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
    },
  },
  {
    // Test fixtures are independent servers written in plain JavaScript; the browser test runs code in pages.
    files: ['test/fixtures/**/*.mjs', 'adapters/targets/**/*.mjs', 'test/browser-report.test.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
