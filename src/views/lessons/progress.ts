/**
 * A student's progress: the steps seen and the exercises solved, per lesson. It lives in
 * localStorage, can be exported and imported as a file, and a store that cannot be read (edited
 * by hand, cut short, from another version) is reset with a notice instead of breaking the page.
 */
import * as v from 'valibot';

export const PROGRESS_KEY = 'polling-playground.progress.v1';

const LessonProgressSchema = v.strictObject({
  seen: v.array(v.pipe(v.number(), v.integer(), v.minValue(1))),
  solved: v.array(v.string()),
});
const ProgressSchema = v.strictObject({
  version: v.literal(1),
  lessons: v.record(v.string(), LessonProgressSchema),
});
export type Progress = v.InferOutput<typeof ProgressSchema>;

export const emptyProgress = (): Progress => ({ version: 1, lessons: {} });

export type ReadResult = { progress: Progress; notice: string | null };

/** Reads progress from JSON text; anything unreadable gives empty progress and says why. */
export function parseProgress(text: string | null, source = 'saved progress'): ReadResult {
  if (text === null || text === '') return { progress: emptyProgress(), notice: null };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {
      progress: emptyProgress(),
      notice: `The ${source} could not be read (it is not valid JSON), so it was reset.`,
    };
  }
  const result = v.safeParse(ProgressSchema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const where = v.getDotPath(issue) ?? 'the top level';
    return {
      progress: emptyProgress(),
      notice: `The ${source} could not be read (${where}: ${issue.message}), so it was reset.`,
    };
  }
  return { progress: result.output, notice: null };
}

/** Storage that may be missing or full (private windows): failures are reported, not thrown. */
export interface Store {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadProgress(store: Store | undefined): ReadResult {
  let text: string | null;
  try {
    text = store?.getItem(PROGRESS_KEY) ?? null;
  } catch {
    return {
      progress: emptyProgress(),
      notice: 'Saved progress is not available in this browser window.',
    };
  }
  const result = parseProgress(text);
  if (result.notice) saveProgress(store, result.progress);
  return result;
}

export function saveProgress(store: Store | undefined, progress: Progress): string | null {
  try {
    store?.setItem(PROGRESS_KEY, JSON.stringify(progress));
    return null;
  } catch {
    return 'Progress could not be saved in this browser (storage is full or disabled).';
  }
}

export function markSeen(p: Progress, lesson: string, step: number): Progress {
  const entry = p.lessons[lesson] ?? { seen: [], solved: [] };
  if (entry.seen.includes(step)) return p;
  return {
    ...p,
    lessons: {
      ...p.lessons,
      [lesson]: { ...entry, seen: [...entry.seen, step].sort((a, b) => a - b) },
    },
  };
}

export function markSolved(p: Progress, lesson: string, exercise: string): Progress {
  const entry = p.lessons[lesson] ?? { seen: [], solved: [] };
  if (entry.solved.includes(exercise)) return p;
  return {
    ...p,
    lessons: { ...p.lessons, [lesson]: { ...entry, solved: [...entry.solved, exercise] } },
  };
}

/** Progress combined from two sources (an imported file and this browser): nothing is lost. */
export function mergeProgress(a: Progress, b: Progress): Progress {
  const lessons: Progress['lessons'] = { ...a.lessons };
  for (const [id, entry] of Object.entries(b.lessons)) {
    const mine = lessons[id] ?? { seen: [], solved: [] };
    lessons[id] = {
      seen: [...new Set([...mine.seen, ...entry.seen])].sort((x, y) => x - y),
      solved: [...new Set([...mine.solved, ...entry.solved])],
    };
  }
  return { version: 1, lessons };
}
