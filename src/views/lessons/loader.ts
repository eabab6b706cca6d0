/**
 * Lessons are loaded lazily: the page bundles only the list of lesson folders, and a lesson's
 * text and the lesson engine (with its YAML parser) are fetched when a lesson is opened. Vite
 * needs the glob written out here; src/content.ts knows the folders, the ids and their order.
 */
import { lessonIdsOf, lessonPathOf, scenarioTable } from '../../content';
import { EXAMPLES } from '../examples';

const sources = import.meta.glob<string>('../../../lessons/*/index.md', {
  query: '?raw',
  import: 'default',
});

/** The lesson ids ("02-polling"), in order. */
export const LESSON_IDS: string[] = lessonIdsOf(Object.keys(sources));

/** A readable title from a lesson id, for the list before the lesson itself is loaded. */
export function titleFromId(id: string): string {
  const words = id.replace(/^\d+-/, '').split('-');
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export async function loadLesson(id: string) {
  const path = lessonPathOf(Object.keys(sources), id);
  if (!path) throw new Error(`There is no lesson "${id}".`);
  const [source, engine] = await Promise.all([sources[path](), import('../../lessons')]);
  return { lesson: engine.parseLesson(id, source, scenarioTable(EXAMPLES)), engine };
}
