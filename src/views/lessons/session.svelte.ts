/**
 * A lesson being followed: which lesson and step, the student's progress, and teacher mode. It
 * drives the playback store: opening a step loads the step's scenario and runs it until the
 * step's condition, so the diagram shows what the text says.
 */
import type { Lesson, LessonStep } from '../../lessons';
import type { Playback } from '../playback.svelte';
import { loadLesson } from './loader';
import {
  loadProgress,
  markSeen,
  markSolved,
  mergeProgress,
  parseProgress,
  saveProgress,
  type Progress,
  type Store,
} from './progress';

type Engine = Awaited<ReturnType<typeof loadLesson>>['engine'];

export class LessonSession {
  #lesson = $state.raw<Lesson | null>(null);
  #engine: Engine | null = null;
  #step = $state(1);
  #progress = $state.raw<Progress>({ version: 1, lessons: {} });
  #highlight = $state.raw<number[]>([]);
  #loading = $state(false);
  /** The step scenario last loaded, and what the playback made of it. */
  #loadedFrom: unknown = null;
  #loadedAs: unknown = null;
  teacher = $state(false);
  notice = $state<string | null>(null);

  constructor(
    private readonly playback: Playback,
    private readonly store: Store | undefined,
  ) {
    const { progress, notice } = loadProgress(store);
    this.#progress = progress;
    this.notice = notice;
  }

  get lesson(): Lesson | null {
    return this.#lesson;
  }
  get engine(): Engine | null {
    return this.#engine;
  }
  get stepNumber(): number {
    return this.#step;
  }
  get step(): LessonStep | null {
    return this.#lesson?.steps[this.#step - 1] ?? null;
  }
  get progress(): Progress {
    return this.#progress;
  }
  get highlight(): number[] {
    return this.#highlight;
  }
  get loading(): boolean {
    return this.#loading;
  }

  async open(id: string, step = 1): Promise<void> {
    this.#loading = true;
    try {
      const { lesson, engine } = await loadLesson(id);
      this.#lesson = lesson;
      this.#engine = engine;
      this.go(step);
    } catch (error) {
      this.notice = `The lesson "${id}" could not be opened: ${(error as Error).message}`;
    } finally {
      this.#loading = false;
    }
  }

  close(): void {
    this.#lesson = null;
    this.#highlight = [];
  }

  /** Opens step `n` (from 1): loads its scenario and runs it until its condition. */
  go(n: number): void {
    const lesson = this.#lesson;
    const engine = this.#engine;
    if (!lesson || !engine) return;
    const number = Math.min(Math.max(1, Math.round(n) || 1), lesson.steps.length);
    const step = lesson.steps[number - 1];
    this.#step = number;
    this.playback.pause();
    // Steps that share a scenario share a run; a change the student made is run again.
    if (this.#loadedFrom !== step.scenario || this.#loadedAs !== this.playback.scenario) {
      const result = this.playback.load(step.scenario);
      if (!result.ok) this.notice = result.message;
      this.#loadedFrom = step.scenario;
      this.#loadedAs = this.playback.scenario;
    }
    const run = this.playback.run;
    const at = engine.conditionTime(run, step.until);
    this.playback.seek(at ?? run.endMs);
    this.#highlight = step.highlight
      .map((h) => engine.resolveSelector(run, h))
      .filter((i) => i >= 0);
    this.#save(markSeen(this.#progress, lesson.id, number));
  }

  next(): void {
    this.go(this.#step + 1);
  }

  back(): void {
    this.go(this.#step - 1);
  }

  solved(exerciseId: string): void {
    if (this.#lesson) this.#save(markSolved(this.#progress, this.#lesson.id, exerciseId));
  }

  isSolved(exerciseId: string): boolean {
    return this.#lesson
      ? (this.#progress.lessons[this.#lesson.id]?.solved.includes(exerciseId) ?? false)
      : false;
  }

  /** The progress as a file's text. */
  exportProgress(): string {
    return JSON.stringify(this.#progress, null, 2);
  }

  /** Merges progress from a file; a file that cannot be read changes nothing and says why. */
  importProgress(text: string): string | null {
    const { progress, notice } = parseProgress(text, 'progress file');
    if (notice) return notice.replace(', so it was reset', '; nothing was changed');
    this.#save(mergeProgress(this.#progress, progress));
    return null;
  }

  #save(progress: Progress): void {
    this.#progress = progress;
    const problem = saveProgress(this.store, progress);
    if (problem) this.notice = problem;
  }
}
