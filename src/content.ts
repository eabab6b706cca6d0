/**
 * The project's content: the example scenarios in `scenarios/<id>.json` and the lessons in
 * `lessons/<id>/index.md`. This module knows those folders, how a file's path becomes an id, and
 * how the files become the list of examples, the scenarios a lesson may name and the lessons'
 * sources, in order. It reads no file itself: the page hands it the files Vite bundled
 * (`import.meta.glob`, in views/examples.ts and views/lessons/loader.ts), and the build check
 * and the tests hand it the same files read from disk (scripts/content.ts), so all of them see
 * the same content. Parsing a lesson is the lesson engine's `parseLesson`, given `scenarioTable`.
 */

/** The content's files, relative to the project's root, as a glob. */
export const SCENARIO_FILES = 'scenarios/*.json';
export const LESSON_FILES = 'lessons/*/index.md';

const SCENARIO_PATH = /(?:^|\/)scenarios\/([^/]+)\.json$/;
const LESSON_PATH = /(?:^|\/)lessons\/([^/]+)\/index\.md$/;

/** `chat-room` for `scenarios/chat-room.json` (or `../../scenarios/chat-room.json`); else null. */
export function scenarioIdOf(path: string): string | null {
  return SCENARIO_PATH.exec(path)?.[1] ?? null;
}

/** `02-polling` for `lessons/02-polling/index.md` (from any folder); else null. */
export function lessonIdOf(path: string): string | null {
  return LESSON_PATH.exec(path)?.[1] ?? null;
}

export interface Example {
  /** The file's name without `.json`, e.g. `chat-room`. */
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/**
 * The example scenarios, in the order of their names, from their parsed JSON by path. A file
 * that holds no JSON object is refused, naming it.
 */
export function examplesOf(files: Record<string, unknown>): Example[] {
  return Object.entries(files)
    .flatMap(([path, input]) => {
      const id = scenarioIdOf(path);
      if (id === null) return [];
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new Error(`${path}: a scenario file must hold one JSON object.`);
      }
      const record = input as Record<string, unknown>;
      return [{ id, name: typeof record.name === 'string' ? record.name : id, input: record }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The scenarios a lesson may name (`scenario: chat-room`), by id, in the order of their ids. */
export function scenarioTable(examples: readonly Example[]): Record<string, unknown> {
  return Object.fromEntries(
    examples.map((e) => [e.id, e.input] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** The lesson ids in their order (the number their folder's name starts with), from file paths. */
export function lessonIdsOf(paths: Iterable<string>): string[] {
  return [...paths].flatMap((p) => lessonIdOf(p) ?? []).sort();
}

/** The path of a lesson's file among `paths`, or undefined when there is no such lesson. */
export function lessonPathOf(paths: Iterable<string>, id: string): string | undefined {
  for (const p of paths) if (lessonIdOf(p) === id) return p;
  return undefined;
}

/** Each lesson's id and Markdown source, in order, from the sources by path. */
export function lessonSourcesOf(files: Record<string, string>): { id: string; source: string }[] {
  const byId = new Map<string, string>();
  for (const [p, source] of Object.entries(files)) {
    const id = lessonIdOf(p);
    if (id !== null) byId.set(id, source);
  }
  return [...byId.keys()].sort().map((id) => ({ id, source: byId.get(id)! }));
}
