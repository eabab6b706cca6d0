/**
 * The lesson format's schema: the frontmatter of `lessons/NN-slug/index.md` and the ```step
 * blocks inside it. A malformed lesson is refused with its file, line and field.
 */
import * as v from 'valibot';
import { METRIC_NAMES } from './metricValues';
import { SelectorSchema } from './selectors';

const text = (what: string) =>
  v.pipe(v.string(`expected ${what} (text)`), v.minLength(1, `expected ${what}`));

const Metric = v.picklist(
  METRIC_NAMES as string[],
  `expected a metric: one of ${METRIC_NAMES.join(', ')}`,
);
const Op = v.picklist(['<', '<=', '>', '>=', '='], 'expected one of <, <=, >, >=, =');

/** A scenario or a change to one; validated in full by the simulation's own schema later. */
const ScenarioPatch = v.record(v.string(), v.unknown(), 'expected scenario fields (an object)');

/** "metric op value", or "metric op (the same metric in another run)". */
export const ClaimSchema = v.strictObject({
  metric: Metric,
  op: Op,
  value: v.optional(v.number('expected a number')),
  /** Compare with the same metric of the step's scenario changed by this patch. */
  than: v.optional(ScenarioPatch),
});
export type Claim = v.InferOutput<typeof ClaimSchema>;

const Predict = v.strictObject({
  type: v.literal('predict'),
  id: text('an exercise id'),
  question: text('a question'),
  /** A "what if": the step's scenario changed by this patch, for this exercise only. */
  scenario: v.optional(ScenarioPatch),
  metric: Metric,
  /** How far an answer may be from the run's value and still count as right. */
  tolerance: v.optional(
    v.pipe(v.number('expected a number'), v.minValue(0, 'expected at least 0')),
    0,
  ),
  unit: v.optional(v.string()),
  reference: v.number('expected the reference answer (a number)'),
  wrong: v.pipe(
    v.array(v.number('expected numbers')),
    v.minLength(1, 'expected at least one wrong answer'),
  ),
  explanation: v.optional(v.string()),
});

const Choose = v.strictObject({
  type: v.literal('choose'),
  id: text('an exercise id'),
  question: text('a question'),
  scenario: v.optional(ScenarioPatch),
  options: v.pipe(
    v.array(
      v.strictObject({
        text: text('the option'),
        /** The option is right exactly when its claim holds in the run. */
        claim: ClaimSchema,
        explanation: text('an explanation for the option'),
      }),
    ),
    v.minLength(2, 'expected at least two options'),
  ),
  /** Index (from 0) of an option the author says is right; the test checks it against the run. */
  reference: v.pipe(v.number(), v.integer()),
  wrong: v.pipe(
    v.array(v.pipe(v.number(), v.integer())),
    v.minLength(1, 'expected at least one wrong option'),
  ),
});

const Tune = v.strictObject({
  type: v.literal('tune'),
  id: text('an exercise id'),
  question: text('a question'),
  /** The scenario fields the student may set (dotted paths, e.g. "network.latencyMs"). */
  fields: v.pipe(v.array(v.string()), v.minLength(1, 'expected at least one field to tune')),
  targets: v.pipe(
    v.array(
      v.pipe(
        v.strictObject({
          metric: Metric,
          op: Op,
          value: v.number('expected a number'),
          label: v.optional(v.string()),
          /**
           * Measure this target on the tuned scenario changed by this patch: the same server
           * settings met by other clients (one that polls every 100 ms, say). A scenario has one
           * kind of client, so a per-client limit is judged on each kind in a run of its own.
           */
          scenario: v.optional(ScenarioPatch),
        }),
        v.check(
          (t) => t.scenario === undefined || (t.label ?? '').trim() !== '',
          'expected a label: a target measured with other clients must say which',
        ),
      ),
    ),
    v.minLength(1, 'expected at least one target'),
  ),
  reference: ScenarioPatch,
  wrong: v.pipe(v.array(ScenarioPatch), v.minLength(1, 'expected at least one wrong answer')),
  explanation: v.optional(v.string()),
});

const Spot = v.strictObject({
  type: v.literal('spot'),
  id: text('an exercise id'),
  question: text('a question'),
  target: SelectorSchema,
  /** Events a student might click: the reference is right, the wrong ones are not. */
  reference: SelectorSchema,
  wrong: v.pipe(v.array(SelectorSchema), v.minLength(1, 'expected at least one wrong answer')),
  explanation: v.optional(v.string()),
});

export const ExerciseSchema = v.variant(
  'type',
  [Predict, Choose, Tune, Spot],
  'expected an exercise type: predict, choose, tune or spot',
);
export type Exercise = v.InferOutput<typeof ExerciseSchema>;
export type PredictExercise = v.InferOutput<typeof Predict>;
export type ChooseExercise = v.InferOutput<typeof Choose>;
export type TuneExercise = v.InferOutput<typeof Tune>;
export type SpotExercise = v.InferOutput<typeof Spot>;

/** The texts of an exercise a student reads, which may hold `{{metric}}` placeholders. */
export function exerciseTexts(ex: Exercise): string[] {
  return [
    ex.question,
    'explanation' in ex ? (ex.explanation ?? '') : '',
    ...(ex.type === 'choose' ? ex.options.flatMap((o) => [o.text, o.explanation]) : []),
  ];
}

/** Run the simulation until a time or until an event happens. */
export const ConditionSchema = v.union(
  [
    v.strictObject({ atMs: v.pipe(v.number(), v.minValue(0)) }),
    SelectorSchema,
    v.strictObject({ end: v.literal(true) }),
  ],
  'expected { atMs }, { end: true } or an event selector like { event: "hold.timeout" }',
);
export type Condition = v.InferOutput<typeof ConditionSchema>;

export const StepBlockSchema = v.strictObject({
  /** Changes to the scenario from this step on (nested objects merge). */
  scenario: v.optional(ScenarioPatch),
  until: v.optional(ConditionSchema),
  highlight: v.optional(v.array(SelectorSchema)),
  notes: v.optional(v.string()),
  exercise: v.optional(ExerciseSchema),
});
export type StepBlock = v.InferOutput<typeof StepBlockSchema>;

export const FrontmatterSchema = v.strictObject({
  title: text('a title'),
  summary: text('a summary'),
  /** A file of scenarios/ by name (e.g. "chat-room"), or the scenario itself. */
  scenario: v.union([v.string(), ScenarioPatch], 'expected a scenario name or scenario fields'),
  teacherNotes: v.optional(v.string()),
  sources: v.optional(
    v.array(
      v.strictObject({
        title: text('a source title'),
        url: v.optional(v.pipe(v.string(), v.url('expected a URL'))),
      }),
    ),
    [],
  ),
});
export type Frontmatter = v.InferOutput<typeof FrontmatterSchema>;
