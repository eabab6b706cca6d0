/**
 * fast-check arbitraries for the simulation's property tests. Importing this file also sets the
 * run's seed (see tests/property.ts).
 */
import fc from 'fast-check';
import { estimateEvents, scenario, type Scenario, type ScenarioInput } from '../../src/sim';
import { WORK_BUDGET_EVENTS } from '../property';

export const messagesArb = fc.oneof(
  fc.record({ script: fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 20 }) }),
  fc.record({ everyMs: fc.integer({ min: 200, max: 10_000 }) }),
  fc.record({ poisson: fc.record({ ratePerMin: fc.double({ min: 0, max: 120, noNaN: true }) }) }),
  fc.record({
    bursts: fc.record({
      everyMs: fc.integer({ min: 1000, max: 10_000 }),
      size: fc.integer({ min: 1, max: 6 }),
      spreadMs: fc.integer({ min: 0, max: 2000 }),
    }),
  }),
);

/** Any valid scenario, however much work it makes. */
export const anyScenarioArb: fc.Arbitrary<ScenarioInput> = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  mode: fc.constantFrom('polling' as const, 'long-polling' as const),
  durationMs: fc.integer({ min: 1000, max: 40_000 }),
  clients: fc.integer({ min: 1, max: 8 }),
  clientStartSpreadMs: fc.integer({ min: 0, max: 3000 }),
  pollIntervalMs: fc.integer({ min: 100, max: 5000 }),
  pollTimer: fc.constantFrom('fixed' as const, 'after-response' as const),
  longPollTimeoutMs: fc.integer({ min: 500, max: 30_000 }),
  repollDelayMs: fc.integer({ min: 0, max: 1000 }),
  clientTimeoutMarginMs: fc.option(fc.integer({ min: 0, max: 15_000 }), { nil: undefined }),
  backoff: fc.option(
    fc
      .record({
        initialMs: fc.integer({ min: 0, max: 3000 }),
        aboveInitialMs: fc.integer({ min: 0, max: 30_000 }),
        factor: fc.double({ min: 1, max: 4, noNaN: true }),
        jitter: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ initialMs, aboveInitialMs, factor, jitter }) => ({
        initialMs,
        maxMs: initialMs + aboveInitialMs,
        factor,
        jitter,
      })),
    { nil: undefined },
  ),
  sizes: fc.option(
    fc.record({
      requestHeaderBytes: fc.integer({ min: 0, max: 2000 }),
      responseHeaderBytes: fc.integer({ min: 0, max: 2000 }),
      messageBytes: fc.integer({ min: 0, max: 5000 }),
    }),
    { nil: undefined },
  ),
  server: fc.record(
    {
      batch: fc.boolean(),
      buffer: fc.constantFrom('log' as const, 'none' as const, 'recent' as const),
      bufferLimit: fc.integer({ min: 1, max: 12 }),
      rateLimit: fc.record({
        requestsPerMin: fc.integer({ min: 6, max: 600 }),
        burst: fc.integer({ min: 1, max: 6 }),
      }),
      maxHeldRequests: fc.integer({ min: 1, max: 6 }),
    },
    { requiredKeys: ['batch', 'buffer'] },
  ),
  network: fc.record({
    latencyMs: fc.integer({ min: 0, max: 300 }),
    jitterMs: fc.integer({ min: 0, max: 200 }),
    lossRate: fc.constantFrom(0, 0, 0.05, 0.2),
  }),
  proxy: fc.option(fc.record({ idleTimeoutMs: fc.integer({ min: 1000, max: 60_000 }) }), {
    nil: undefined,
  }),
  faults: fc.array(
    fc.record({
      atMs: fc.integer({ min: 0, max: 30_000 }),
      kind: fc.constant('server-restart' as const),
      downMs: fc.integer({ min: 100, max: 5000 }),
    }),
    { maxLength: 2 },
  ),
  messages: messagesArb,
  interventions: fc.array(
    fc.record({
      atMs: fc.integer({ min: 0, max: 30_000 }),
      set: fc.record(
        {
          mode: fc.constantFrom('polling' as const, 'long-polling' as const),
          pollIntervalMs: fc.integer({ min: 100, max: 5000 }),
          longPollTimeoutMs: fc.integer({ min: 500, max: 30_000 }),
          server: fc.record(
            { buffer: fc.constantFrom('log' as const, 'none' as const, 'recent' as const) },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
    }),
    { maxLength: 2 },
  ),
});

/** Whether a scenario's estimated work is within the property tests' budget. */
export const withinBudget = (s: Scenario) => estimateEvents(s) <= WORK_BUDGET_EVENTS;

/** Any valid scenario within the work budget: most run in milliseconds, none in much more. */
export const scenarioArb = anyScenarioArb.filter((input) => withinBudget(scenario(input)));

/**
 * The scenario a property builds from a drawn one (with some settings forced), if it is still
 * within the budget; otherwise fast-check draws another case instead of this one.
 */
export function bounded(input: ScenarioInput): Scenario {
  const s = scenario(input);
  fc.pre(withinBudget(s));
  return s;
}
