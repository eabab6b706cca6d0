/**
 * Every lesson, checked the way Learn Git Branching checks its levels: each step's condition is
 * reached in its run, each exercise's reference answer passes and every wrong answer fails —
 * all decided by running the simulation.
 */
import { describe, expect, it } from 'vitest';
import {
  answerFor,
  exerciseText,
  exerciseTexts,
  checkExercise,
  conditionTime,
  fillPlaceholders,
  formatMetric,
  parseLesson,
  resolveSelector,
  runOf,
  variant,
} from '../../src/lessons';
import { computeMetrics } from '../../src/sim';
import { FIELDS } from '../../src/views/fields';
import { lessonSources, scenarioFiles } from './loadLessons';

const scenarios = scenarioFiles();
const lessons = lessonSources().map(({ id, source }) => parseLesson(id, source, scenarios));

describe('every lesson', () => {
  it('there are lessons, each with steps', () => {
    expect(lessons.length).toBeGreaterThan(0);
    for (const lesson of lessons) expect(lesson.steps.length, lesson.id).toBeGreaterThan(0);
  });

  it('every tune field has a label and unit in the shared table, so no student sees a raw path', () => {
    const unlabelled = lessons.flatMap((lesson) =>
      lesson.steps.flatMap((step) =>
        step.exercise?.type === 'tune'
          ? step.exercise.fields
              .filter((f) => !Object.hasOwn(FIELDS, f))
              .map((f) => `${lesson.file}:${step.line} step ${step.number}: ${f}`)
          : [],
      ),
    );
    expect(unlabelled).toEqual([]);
  });

  // The feedback shows a byte figure with formatMetric ("7.63 MB"), so a target's label must
  // state its value the same way, or the student compares "2,000 kB" with "1.51 MB".
  it('every tune target on bytes states its value as the feedback shows bytes', () => {
    const mismatched = lessons.flatMap((lesson) =>
      lesson.steps.flatMap((step) =>
        step.exercise?.type === 'tune'
          ? step.exercise.targets
              .filter((t) => t.metric.startsWith('bytes') && t.label !== undefined)
              .filter((t) => !t.label!.includes(formatMetric(t.metric, t.value)))
              .map(
                (t) =>
                  `${lesson.file}:${step.line} step ${step.number}: "${t.label}" should say ${formatMetric(t.metric, t.value)}`,
              )
          : [],
      ),
    );
    expect(mismatched).toEqual([]);
  });

  it("the scenario picker names a step's own scenario, not the lesson's first one", () => {
    const security = lessons.find((l) => l.id === '10-security-and-abuse')!;
    expect(security.steps[0].scenario.name).toBe('Ten clients polling every 2 s');
    expect(security.steps[2].scenario.name).toBe('Security and abuse: One client asks too fast');
    expect(security.steps[1].scenario.name).toBe('Security and abuse: Easy to flood');
  });

  it('no lesson writes thousands of kB where the playground shows MB', () => {
    const found = lessonSources().flatMap(({ id, source }) =>
      [...source.matchAll(/\b\d{1,3}(,\d{3})+(\.\d+)? ?kB\b/g)].map((m) => `${id}: "${m[0]}"`),
    );
    expect(found).toEqual([]);
  });

  for (const lesson of lessons) {
    describe(lesson.id, () => {
      for (const step of lesson.steps) {
        const where = `${lesson.file}:${step.line} step ${step.number}`;
        it(`step ${step.number} "${step.title}": its condition is reached and its highlights exist`, () => {
          const run = runOf(step.scenario);
          expect(
            conditionTime(run, step.until),
            `${where}: condition never reached`,
          ).not.toBeNull();
          for (const h of step.highlight) {
            expect(
              resolveSelector(run, h),
              `${where}: highlight ${JSON.stringify(h)} matches nothing`,
            ).toBeGreaterThanOrEqual(0);
          }
          expect(fillPlaceholders(step)).not.toMatch(/\{\{/);
          const ex = step.exercise;
          for (const text of ex ? exerciseTexts(ex) : []) {
            expect(exerciseText(step, ex!, text)).not.toMatch(/\{\{/);
          }
        });

        // A step opens with the playhead at its condition, and nothing after the playhead is
        // drawn: a highlight on a later event would point at a mark the student cannot see.
        it(`step ${step.number} "${step.title}": every highlight is on screen when the step opens`, () => {
          const run = runOf(step.scenario);
          const end = conditionTime(run, step.until) ?? run.endMs;
          for (const h of step.highlight) {
            const i = resolveSelector(run, h);
            if (i < 0) continue; // reported by the test above
            expect(
              run.trace.time[i],
              `${where}: highlight ${JSON.stringify(h)} is at ${run.trace.time[i]} ms, after the step's end at ${end} ms`,
            ).toBeLessThanOrEqual(end);
          }
        });

        const exercise = step.exercise;
        if (!exercise) continue;
        // Clicking a highlighted mark must not solve a spot exercise: that would be the answer given.
        if (exercise.type === 'spot') {
          it(`step ${step.number}: spot "${exercise.id}": no highlight is itself an answer`, () => {
            for (const h of step.highlight) {
              const result = checkExercise(step, exercise, answerFor(step, exercise, h));
              expect(result.correct, `${where}: highlight ${JSON.stringify(h)} is an answer`).toBe(
                false,
              );
            }
          });
        }
        it(`step ${step.number}: ${exercise.type} "${exercise.id}": the reference passes and every wrong answer fails`, () => {
          const reference = checkExercise(
            step,
            exercise,
            answerFor(step, exercise, exercise.reference),
          );
          expect(reference.correct, `${where}: reference fails: ${reference.feedback}`).toBe(true);
          for (const wrong of exercise.wrong) {
            const result = checkExercise(step, exercise, answerFor(step, exercise, wrong));
            expect(result.correct, `${where}: wrong answer ${JSON.stringify(wrong)} passes`).toBe(
              false,
            );
          }
        });
      }
    });
  }
});

/**
 * Figures a lesson writes by hand because they come from runs with settings other than the
 * step's own (which `{{placeholders}}` cannot name): each is checked against the run it describes.
 */
describe('figures written by hand', () => {
  it('lesson 8: the jitter explanation quotes the busiest second of each run it names', () => {
    const lesson = lessons.find((l) => l.id === '08-load-and-scale');
    const step = lesson?.steps.find((s) => s.exercise?.id === 'load-and-scale-jitter');
    if (step?.exercise?.type !== 'tune') throw new Error('lesson 8 has no jitter tune exercise');
    const text = step.exercise.explanation ?? '';
    const busiest = (patch: Record<string, unknown>) =>
      computeMetrics(runOf(variant(step.scenario, patch))).server.peakRequestsPerSecond;
    const figures = [
      { patch: { backoff: { jitter: 0.5 } }, quoted: /\((\d[\d,]*) in this run\)/ },
      { patch: { backoff: { jitter: 0.25 } }, quoted: /all (\d[\d,]*) fit in one second/ },
      { patch: { backoff: { jitter: 1 } }, quoted: /over 4 s: (\d[\d,]*) in the busiest second/ },
      { patch: { faults: [] }, quoted: /at most (\d[\d,]*) a second/ },
    ];
    for (const { patch, quoted } of figures) {
      const match = text.match(quoted);
      expect(match, `the explanation no longer says ${quoted}`).not.toBeNull();
      expect(Number(match![1].replace(/,/g, '')), JSON.stringify(patch)).toBe(busiest(patch));
    }
  });
});
