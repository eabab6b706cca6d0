/**
 * Parses every lesson with the lesson engine, as the build does before it bundles anything: a
 * malformed lesson stops the build with its file, line and field.
 */
import { parseLesson, type Lesson } from '../src/lessons/index.ts';
import { readContent } from './content.ts';

export function checkLessons(root: string): Lesson[] {
  const { lessons, scenarios } = readContent(root);
  return lessons.map(({ id, source }) => parseLesson(id, source, scenarios));
}
