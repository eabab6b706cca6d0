/**
 * The example scenarios of `scenarios/`, bundled into the page so the picker works offline. Vite
 * needs the glob written out here; src/content.ts turns the files into the list.
 */
import { examplesOf, type Example } from '../content';

export type { Example };

const files = import.meta.glob<Record<string, unknown>>('../../scenarios/*.json', {
  eager: true,
  import: 'default',
});

export const EXAMPLES: Example[] = examplesOf(files);
