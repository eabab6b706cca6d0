/**
 * Lessons are loaded lazily: the page bundles only the list of lesson folders, and a lesson's
 * text and the lesson engine (with its YAML parser) are fetched when a lesson is opened.
 */
import { EXAMPLES } from '../examples';

const sources = import.meta.glob<string>('../../../lessons/*/index.md', {
  query: '?raw',
  import: 'default',
});

/** The lesson ids ("02-polling"), in order. */
export const LESSON_IDS: string[] = Object.keys(sources)
  .map((path) => path.split('/').at(-2)!)
  .sort();

/** A readable title from a lesson id, for the list before the lesson itself is loaded. */
export function titleFromId(id: string): string {
  const words = id.replace(/^\d+-/, '').split('-');
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export async function loadLesson(id: string) {
  const load = sources[`../../../lessons/${id}/index.md`];
  if (!load) throw new Error(`There is no lesson "${id}".`);
  const [source, engine] = await Promise.all([load(), import('../../lessons')]);
  const scenarios = Object.fromEntries(EXAMPLES.map((e) => [e.id, e.input]));
  return { lesson: engine.parseLesson(id, source, scenarios), engine };
}
