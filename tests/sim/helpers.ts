/**
 * Small helpers the tests share: running a scenario, reading its trace, and the few scenarios that
 * the simulation's, the views' and the components' tests all look at.
 */
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

/** Polls every 0.5 s for 3 s against a limit of 60 a minute with a burst of 1: every other one is refused. */
export const rateLimitedPolls: ScenarioInput = {
  ...idle,
  mode: 'polling',
  pollIntervalMs: 500,
  durationMs: 3000,
  server: { rateLimit: { requestsPerMin: 60, burst: 1 } },
};

/** `clients` clients long-polling an idle server that holds at most one request, for 3 s. */
export const cappedLongPolls = (clients: number): ScenarioInput => ({
  ...idleLongPoll,
  clients,
  durationMs: 3000,
  server: { maxHeldRequests: 1 },
});

/**
 * A long poll sent under a 30 s hold that the teacher lengthens to 60 s while it is on its way
 * (1 s of latency each way): the client gives up at 40 s, and its close reaches the server at 41 s.
 */
export const clientGivesUp: ScenarioInput = {
  ...idleLongPoll,
  durationMs: 45_000,
  network: { latencyMs: 1000 },
  interventions: [{ atMs: 500, set: { longPollTimeoutMs: 60_000 } }],
};
