/**
 * Parses every lesson with the lesson engine, as the build does before it bundles anything: a
 * malformed lesson stops the build with its file, line and field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLesson, type Lesson } from '../src/lessons/index.ts';

export function checkLessons(root: string): Lesson[] {
  const scenarioDir = path.join(root, 'scenarios');
  const scenarios = Object.fromEntries(
    readdirSync(scenarioDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [
        f.replace(/\.json$/, ''),
        JSON.parse(readFileSync(path.join(scenarioDir, f), 'utf8')) as unknown,
      ]),
  );
  const lessonDir = path.join(root, 'lessons');
  return readdirSync(lessonDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((id) =>
      parseLesson(id, readFileSync(path.join(lessonDir, id, 'index.md'), 'utf8'), scenarios),
    );
}
