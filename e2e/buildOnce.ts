/**
 * Vitest global setup for the e2e project: builds the site into dist/ once, before any e2e test
 * file runs, so `npm test` works from a fresh clone without a separate `npm run build`.
 */
import { build } from 'vite';
import { projectRoot } from './harness.ts';

export default async function buildOnce(): Promise<void> {
  // Vitest sets NODE_ENV=test, which would make Vite bundle Svelte's development build.
  // The e2e tests should see what `npm run build` ships, so build as production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: projectRoot,
      mode: 'production',
      logLevel: 'warn',
      configLoader: 'runner',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
