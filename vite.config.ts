import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import type { Plugin } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';
import { checkLessons } from './scripts/checkLessons.ts';

/** Stops the build on a malformed lesson, naming its file, line and field. */
function lessons(): Plugin {
  return {
    name: 'polling-playground:lessons',
    apply: 'build',
    buildStart() {
      checkLessons(import.meta.dirname);
    },
  };
}

export default defineConfig({
  plugins: [svelte(), lessons()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/components/**'],
        },
      },
      {
        extends: true,
        plugins: [svelteTesting()],
        test: {
          name: 'components',
          environment: 'jsdom',
          include: ['tests/components/**/*.test.ts'],
          setupFiles: ['tests/components/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          // Each file launches its own Chromium; running them one at a time keeps two cores calm.
          fileParallelism: false,
          pool: 'forks',
          globalSetup: ['e2e/buildOnce.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
