/**
 * The content read from disk for Node (the build's lesson check, the tests): the files that the
 * page bundles with `import.meta.glob`, keyed the same way (`scenarios/chat-room.json`), handed
 * to src/content.ts, which lists and orders them as it does for the page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { examplesOf, lessonSourcesOf, scenarioTable, type Example } from '../src/content.ts';

/** The files of `scenarios/*.json` under `root`, parsed, by path; bad JSON names its file. */
export function readScenarioFiles(root: string): Record<string, unknown> {
  const dir = path.join(root, 'scenarios');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const file = `scenarios/${f}`;
        try {
          return [file, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown];
        } catch (error) {
          throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
        }
      }),
  );
}

/** The files of `lessons/*\/index.md` under `root`, by path. */
export function readLessonFiles(root: string): Record<string, string> {
  const dir = path.join(root, 'lessons');
  return Object.fromEntries(
    readdirSync(dir)
      .map((id) => `lessons/${id}/index.md`)
      .filter((file) => existsSync(path.join(root, file)))
      .map((file) => [file, readFileSync(path.join(root, file), 'utf8')]),
  );
}

export interface Content {
  examples: Example[];
  /** The scenarios a lesson may name, by id. */
  scenarios: Record<string, unknown>;
  lessons: { id: string; source: string }[];
}

/** Every example scenario and lesson under `root`, as the page sees them. */
export function readContent(root: string): Content {
  const examples = examplesOf(readScenarioFiles(root));
  return {
    examples,
    scenarios: scenarioTable(examples),
    lessons: lessonSourcesOf(readLessonFiles(root)),
  };
}
