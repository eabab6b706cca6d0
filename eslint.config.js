import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// The parser needs the compiler options, not the Vite plugin's hooks (which can't be serialized).
const { vitePlugin: _vitePlugin, ...svelteParserConfig } = svelteConfig;

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'screenshots/', 'test-results/', '.tmp/']),
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig: svelteParserConfig,
      },
    },
  },
  {
    rules: {
      // TypeScript already reports undefined names, with better messages and type-only globals.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
);
