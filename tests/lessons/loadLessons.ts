/** Every lesson and every scenario from disk, as the build and the page see them (src/content.ts). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readContent } from '../../scripts/content';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The scenarios by id (`chat-room`), as a lesson names them. */
export function scenarioFiles(): Record<string, unknown> {
  return readContent(root).scenarios;
}

export function lessonSources(): { id: string; source: string }[] {
  return readContent(root).lessons;
}
