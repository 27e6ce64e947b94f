// @ts-check
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettierRecommended from 'eslint-plugin-prettier/recommended';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const typeScriptFiles = ['**/*.ts'];
const testFiles = ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'];

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'node_modules/', 'data/']),

  eslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // Type information only for TypeScript: scripts/*.mjs must lint before any build or tsconfig applies.
  {
    files: typeScriptFiles,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: { ...globals.jest },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // supertest bodies are `any`, and `expect(mock.method)` reads a method without calling it.
    files: testFiles,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  prettierRecommended,

  // After prettier's config, which switches `curly` off; with 'all' it cannot conflict with formatting.
  {
    rules: { curly: ['error', 'all'] },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', '..'], message: 'Import from the project root instead (src/...).' }] },
      ],
    },
  },
  {
    // Config is validated once at boot (src/config); everything else reads typed config.
    ignores: ['src/config/**', 'test/**', 'scripts/**', 'bench/**', '**/*.config.*'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/config, not process.env.' },
      ],
    },
  },
);
