/**
 * Every lesson, checked the way Learn Git Branching checks its levels: each step's condition is
 * reached in its run, each exercise's reference answer passes and every wrong answer fails —
 * all decided by running the simulation.
 */
import { describe, expect, it } from 'vitest';
import {
  answerFor,
  checkExercise,
  conditionTime,
  fillPlaceholders,
  parseLesson,
  resolveSelector,
  runOf,
} from '../../src/lessons';
import { lessonSources, scenarioFiles } from './loadLessons';

const scenarios = scenarioFiles();
const lessons = lessonSources().map(({ id, source }) => parseLesson(id, source, scenarios));

describe('every lesson', () => {
  it('there are lessons, each with steps', () => {
    expect(lessons.length).toBeGreaterThan(0);
    for (const lesson of lessons) expect(lesson.steps.length, lesson.id).toBeGreaterThan(0);
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
        });

        const exercise = step.exercise;
        if (!exercise) continue;
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
