/** Reads every lesson and every scenario from disk, as the build and the tests see them. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function scenarioFiles(): Record<string, unknown> {
  const dir = path.join(root, 'scenarios');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(dir, f), 'utf8'))]),
  );
}

export function lessonSources(): { id: string; source: string }[] {
  const dir = path.join(root, 'lessons');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((id) => ({ id, source: readFileSync(path.join(dir, id, 'index.md'), 'utf8') }));
}
