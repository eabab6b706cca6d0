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
  variant,
  type CheckResult,
  type Answer,
  type TargetResult,
} from './check';
export { resolveSelector, describeSelector, sameThing, type Selector } from './selectors';
export { METRIC_NAMES, metricValue, formatMetric } from './metricValues';
export { exerciseTexts, type Exercise, type Condition, type Claim } from './schema';
export { fillPlaceholders } from './prose';
