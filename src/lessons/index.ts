/** The lesson engine: the format, its checks, and exercises checked by running the simulation. */
export { parseLesson, mergeScenario, LessonError, type Lesson, type LessonStep } from './parse';
export {
  checkExercise,
  exerciseText,
  conditionTime,
  evaluateClaim,
  answerFor,
  setField,
  runOf,
  type CheckResult,
  type Answer,
  type TargetResult,
} from './check';
export { resolveSelector, describeSelector, sameThing, type Selector } from './selectors';
export { METRIC_NAMES, metricValue, formatMetric } from './metricValues';
export type { Exercise, Condition, Claim } from './schema';
export { fillPlaceholders } from './prose';
