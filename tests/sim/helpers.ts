/** Small helpers the simulation's tests share: running a scenario and reading its trace. */
import {
  computeMetrics,
  parseScenario,
  scenario,
  simulate,
  type Run,
  type Scenario,
  type ScenarioInput,
} from '../../src/sim';

/** Runs a scenario given as input (defaults filled in). */
export const run = (input: ScenarioInput): Run => simulate(scenario(input));

/** The metrics of a run of `input`. */
export const metricsOf = (input: ScenarioInput) => computeMetrics(run(input));

/** Every event of a run of `input`, in order. */
export const events = (input: ScenarioInput) => [...run(input).trace.events()];

/** The events of one kind in a run of `input`. */
export const eventsOf = (input: ScenarioInput, kind: string) =>
  events(input).filter((e) => e.kind === kind);

/** A run's trace as plain arrays, one per column: runs compare equal when their traces do. */
export const columns = (r: Run) => {
  const t = r.trace;
  const n = t.length;
  return [t.time, t.kind, t.status, t.client, t.request, t.a, t.b].map((c) =>
    Array.from(c.subarray(0, n)),
  );
};

/** Parses a scenario that must be valid, failing with the parser's message otherwise. */
export const valid = (input: unknown): Scenario => {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.scenario;
};

/** A channel where nothing is published: the mode's own requests and answers are all there is. */
export const idle: ScenarioInput = { messages: { script: [] } };

/** Long polling on an idle channel: every hold runs out, or something else ends it. */
export const idleLongPoll: ScenarioInput = { ...idle, mode: 'long-polling' };
