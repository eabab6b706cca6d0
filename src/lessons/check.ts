/**
 * Exercises are checked by running the simulation, never against a stored key: the run of the
 * step's scenario (or of the student's tuned scenario) decides what is right.
 */
import {
  computeMetrics,
  EMPTY_REMOVES,
  getPath,
  leafPaths,
  mergeScenario,
  parseScenario,
  replacedWhole,
  setPath,
  simulate,
  type Metrics,
  type Run,
  type Scenario,
} from '../sim';
import { clock } from '../format';
import { fillFromRun } from './fill';
import { formatMetric, metricValue } from './metricValues';
import type { LessonStep } from './parse';
import type {
  ChooseExercise,
  Claim,
  Condition,
  Exercise,
  PredictExercise,
  SpotExercise,
  TuneExercise,
} from './schema';
import { describeSelector, resolveSelector, sameThing } from './selectors';

/**
 * Runs are pure functions of their scenario, so equal scenarios share one run: steps that share
 * a scenario, and the "what if" variants a choose exercise evaluates for each option.
 */
const runs = new Map<string, Run>();
const MAX_CACHED_RUNS = 24;
export function runOf(s: Scenario): Run {
  const key = JSON.stringify(s);
  let run = runs.get(key);
  if (run) {
    runs.delete(key);
  } else {
    run = simulate(s);
    if (runs.size >= MAX_CACHED_RUNS) runs.delete(runs.keys().next().value!);
  }
  runs.set(key, run);
  return run;
}

/**
 * The time a condition is reached in a run, or null if it never is. A step without a condition
 * shows its whole run.
 */
export function conditionTime(run: Run, c: Condition | undefined): number | null {
  if (!c) return run.endMs;
  if ('end' in c) return run.endMs;
  if ('atMs' in c) return Math.min(c.atMs, run.endMs);
  const i = resolveSelector(run, c);
  return i < 0 ? null : run.trace.time[i];
}

const compare = (a: number, op: Claim['op'], b: number) =>
  op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : op === '>=' ? a >= b : a === b;

/** A scenario with a lesson's change merged in (as a step or a "what if" is), checked. */
export function variant(s: Scenario, patch: Record<string, unknown>): Scenario {
  const parsed = parseScenario(mergeScenario(s, patch));
  if (!parsed.ok) throw new Error(`invalid scenario change: ${parsed.message}`);
  return parsed.scenario;
}

/** Whether a claim holds for the run of a scenario, with the numbers that decided it. */
export function evaluateClaim(
  s: Scenario,
  claim: Claim,
): { holds: boolean; actual: number; other: number } {
  const actual = metricValue(claim.metric, computeMetrics(runOf(s)), s);
  let other = claim.value ?? 0;
  if (claim.than) {
    const t = variant(s, claim.than);
    other = metricValue(claim.metric, computeMetrics(runOf(t)), t);
  }
  return { holds: compare(actual, claim.op, other), actual, other };
}

export interface TargetResult {
  label: string;
  met: boolean;
  actual: number;
  target: number;
  /** How far the run is from the target, in the metric's unit (positive: by how much it was missed). */
  missBy: number;
}

export type CheckResult =
  | { kind: 'predict'; correct: boolean; actual: number; feedback: string; metrics: Metrics }
  | { kind: 'choose'; correct: boolean; feedback: string; holds: boolean[] }
  | {
      kind: 'tune';
      correct: boolean;
      feedback: string;
      targets: TargetResult[];
      scenario: Scenario;
    }
  | { kind: 'spot'; correct: boolean; feedback: string; targetIndex: number };

/** The scenario an exercise is about: the step's, or its "what if" variant. */
export function exerciseScenario(step: LessonStep, exercise: Exercise): Scenario {
  return 'scenario' in exercise && exercise.scenario
    ? variant(step.scenario, exercise.scenario)
    : step.scenario;
}

/** An answer to an exercise: a number, an option index, a scenario patch, or a clicked event index. */
export type Answer = number | Record<string, unknown>;

export function checkExercise(step: LessonStep, exercise: Exercise, answer: Answer): CheckResult {
  switch (exercise.type) {
    case 'predict':
      return checkPredict(exerciseScenario(step, exercise), exercise, answer as number);
    case 'choose':
      return checkChoose(exerciseScenario(step, exercise), exercise, answer as number, (text) =>
        exerciseText(step, exercise, text),
      );
    case 'tune':
      return checkTune(step.scenario, exercise, answer as Record<string, unknown>);
    case 'spot':
      return checkSpot(step.scenario, exercise, answer as number);
  }
}

function checkPredict(s: Scenario, e: PredictExercise, answer: number): CheckResult {
  const metrics = computeMetrics(runOf(s));
  const actual = metricValue(e.metric, metrics, s);
  const correct = Number.isFinite(answer) && Math.abs(answer - actual) <= e.tolerance + 1e-9;
  const shown = formatMetric(e.metric, actual);
  const feedback = correct
    ? `Right: the run gives ${shown}.`
    : `Not quite: the run gives ${shown}${e.tolerance > 0 ? ` (answers within ${e.tolerance} count)` : ''}.`;
  return { kind: 'predict', correct, actual, feedback, metrics };
}

/**
 * An exercise's text (its question, an explanation) with `{{metric}}` filled from the exercise's
 * run: the step's, or its "what if" variant; `{{metric}}` at the step's condition and
 * `{{metric@end}}` over the whole run, as in the prose.
 */
export function exerciseText(step: LessonStep, exercise: Exercise, text: string): string {
  if (!text.includes('{{')) return text;
  const s = exerciseScenario(step, exercise);
  const run = runOf(s);
  return fillFromRun(text, run, s, conditionTime(run, step.until) ?? run.endMs);
}

function checkChoose(
  s: Scenario,
  e: ChooseExercise,
  answer: number,
  fill: (text: string) => string,
): CheckResult {
  const holds = e.options.map((o) => evaluateClaim(s, o.claim).holds);
  const option = e.options[answer];
  const correct = option !== undefined && holds[answer] === true;
  const feedback = option
    ? `${correct ? 'Right' : 'Not quite'}: ${fill(option.explanation)}`
    : 'Choose an option.';
  return { kind: 'choose', correct, feedback, holds };
}

/** Sets a dotted field ("network.latencyMs") in a patch object. */
export const setField = setPath;

/** The fields a patch sets, by dotted path; the workload is one field, as a merge replaces it whole. */
const fieldsOf = (patch: Record<string, unknown>) => leafPaths(patch, replacedWhole);

const cleared = (x: unknown) => x === null || x === undefined;

/**
 * The step's scenario with a tune answer in force: each setting an empty field removes is taken
 * out of the scenario (absent, as the schema reads it) and out of the answer, and the rest of the
 * answer merges in. The setting itself may be given as `null` (`server: { rateLimit: null }`), as
 * an intervention removes it.
 */
function tunedScenario(s: Scenario, answer: Record<string, unknown>): Scenario {
  const empty = fieldsOf(answer).filter((f) => cleared(getPath(answer, f)));
  const settings = Object.values(EMPTY_REMOVES);
  const removed = empty.flatMap((f) => EMPTY_REMOVES[f] ?? (settings.includes(f) ? f : []));
  // Any other empty field, outside a removed setting (a burst with no rate limit), is a mistake.
  const missing = empty.filter(
    (f) => !removed.some((setting) => f === setting || f.startsWith(`${setting}.`)),
  );
  if (missing.length > 0) throw new Error(`${missing.join(', ')} needs a value`);
  let base = s;
  let patch = answer;
  for (const setting of removed) {
    base = setPath(base, setting, undefined);
    // An undefined field of a patch changes nothing in a merge.
    patch = setPath(patch, setting, undefined);
  }
  return variant(base, patch);
}

function checkTune(s: Scenario, e: TuneExercise, answer: Record<string, unknown>): CheckResult {
  // A student who may leave a setting's field empty may also remove the setting (null).
  const removable = e.fields.map((f) => EMPTY_REMOVES[f]).filter(Boolean);
  const stray = fieldsOf(answer).filter(
    (f) =>
      !e.fields.some((allowed) => f === allowed || f.startsWith(`${allowed}.`)) &&
      !(removable.includes(f) && cleared(getPath(answer, f))),
  );
  if (stray.length > 0) throw new Error(`this exercise does not let you set ${stray.join(', ')}`);
  const tuned = tunedScenario(s, answer);
  const metrics = computeMetrics(runOf(tuned));
  const targets = e.targets.map((t): TargetResult => {
    // A target on other clients runs the tuned server settings against them.
    const measured = t.scenario ? variant(tuned, t.scenario) : tuned;
    const actual = metricValue(
      t.metric,
      t.scenario ? computeMetrics(runOf(measured)) : metrics,
      measured,
    );
    const met = compare(actual, t.op, t.value);
    return {
      label: t.label ?? `${t.metric} ${t.op} ${formatMetric(t.metric, t.value)}`,
      met,
      actual,
      target: t.value,
      missBy: met ? 0 : Math.abs(actual - t.value),
    };
  });
  const correct = targets.every((t) => t.met);
  const summary = targets
    .map(
      (t) =>
        `${t.met ? '✓' : '✗'} ${t.label}: ${formatMetric(e.targets[targets.indexOf(t)].metric, t.actual)}`,
    )
    .join('; ');
  return {
    kind: 'tune',
    correct,
    feedback: `${correct ? 'All targets met' : 'Not yet'} — ${summary}`,
    targets,
    scenario: tuned,
  };
}

function checkSpot(s: Scenario, e: SpotExercise, clicked: number): CheckResult {
  const run = runOf(s);
  const targetIndex = resolveSelector(run, e.target);
  if (targetIndex < 0) throw new Error(`this run has no ${describeSelector(e.target)}`);
  const correct = sameThing(run, clicked, targetIndex);
  const at = clock(run.trace.time[targetIndex], 2);
  const feedback = correct
    ? `Right: that is ${describeSelector(e.target)}, at ${at}.`
    : `Not that one: look for ${describeSelector(e.target)} — it happens at ${at}.`;
  return { kind: 'spot', correct, feedback, targetIndex };
}

/** The answer an exercise's reference or wrong entry stands for, for the tests and teacher mode. */
export function answerFor(step: LessonStep, exercise: Exercise, entry: unknown): Answer {
  if (exercise.type === 'spot')
    return resolveSelector(runOf(step.scenario), entry as SpotExercise['reference']);
  return entry as Answer;
}
