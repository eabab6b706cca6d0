/**
 * The crossover (../shared/PRODUCT.md): long polling sends fewer requests than polling only while
 * messages are rarer than polls. A sweep of Poisson message rates from well below the crossover
 * λ* to well above it holds each simulated run's requests per minute to the closed forms, and the
 * simulated crossover to the theoretical one.
 *
 * The closed forms assume a server that keeps a log and sends all pending messages in each
 * response (`server.batch: true`, `server.buffer: "log"`): with batching off, a backlog comes one
 * message per response and long polling sends about a request per message instead.
 */
import { describe, expect, it } from 'vitest';
import {
  EventKind,
  computeMetrics,
  crossoverRatePerMin,
  estimateEvents,
  longPollingTheory,
  pollingTheory,
  scenario,
  simulate,
  type Run,
  type ScenarioInput,
} from '../../src/sim';

const DAY_MS = 24 * 60 * 60 * 1000;
const settings = {
  latencyMs: 50,
  pollIntervalMs: 2000,
  pollTimer: 'fixed',
  holdMs: 30_000,
  repollDelayMs: 0,
} as const;
/** λ* for these settings: about 30 messages a minute, one per poll. */
const crossover = crossoverRatePerMin(settings);

/**
 * Messages per minute: well below and well above λ*, and a step either side of it. Each rate has
 * a seed of its own, so that the runs' sampling errors are independent.
 */
const SWEEP = [
  { ratePerMin: 1, seed: 1 },
  { ratePerMin: 6, seed: 2 },
  { ratePerMin: 20, seed: 3 },
  { ratePerMin: 27, seed: 4 },
  { ratePerMin: 33, seed: 5 },
  { ratePerMin: 45, seed: 6 },
  { ratePerMin: 150, seed: 7 },
  { ratePerMin: 600, seed: 8 },
];
const RATES_PER_MIN = SWEEP.map((x) => x.ratePerMin);

/**
 * Long polling's cycles a run should hold. Cycles are independent with spread σ ≈ E[C] (at most),
 * so the measured rate has a relative standard deviation of about 1/√n: 1 % here.
 */
const CYCLES = 10_000;
/** Standard deviations allowed: a 4σ miss has odds of about 1 in 16,000 a run. */
const SIGMAS = 4;
/** Polling's count does not depend on the messages, so an hour pins it. */
const POLLING_MAX_MS = 60 * 60 * 1000;

/**
 * One client: every client sees the same message stream, so once the first message has answered
 * them all, long-polling clients move in lockstep (ten clients send exactly ten times one client's
 * requests). More clients would add work but no independent samples; only a longer run tightens
 * the statistics.
 */
function sweepScenario(
  mode: 'polling' | 'long-polling',
  { ratePerMin, seed }: (typeof SWEEP)[number],
  durationMs: number,
) {
  const input: ScenarioInput = {
    mode,
    seed,
    clients: 1,
    durationMs,
    pollIntervalMs: settings.pollIntervalMs,
    pollTimer: settings.pollTimer,
    longPollTimeoutMs: settings.holdMs,
    repollDelayMs: settings.repollDelayMs,
    network: { latencyMs: settings.latencyMs },
    server: { batch: true, buffer: 'log' },
    messages: { poisson: { ratePerMin } },
  };
  return scenario(input);
}

/** A run long enough for about `CYCLES` long-poll cycles, in whole minutes, at most a day. */
function durationFor(ratePerMin: number): number {
  const t = longPollingTheory({ ...settings, ratePerMs: ratePerMin / 60_000 });
  return Math.min(DAY_MS, Math.ceil((CYCLES * t.meanCycleMs) / 60_000) * 60_000);
}

const scenarios = SWEEP.map((point) => {
  const durationMs = durationFor(point.ratePerMin);
  return {
    ...point,
    durationMs,
    polling: sweepScenario('polling', point, Math.min(durationMs, POLLING_MAX_MS)),
    longPolling: sweepScenario('long-polling', point, durationMs),
  };
});

const perClientPerMin = (run: Run, durationMs: number) =>
  computeMetrics(run).requests / (durationMs / 60_000);

/** The spread of the gaps between one client's requests, each gap being one cycle. */
function cycleStdDevMs(run: Run): number {
  const { trace } = run;
  const gaps: number[] = [];
  let last = -1;
  for (let i = 0; i < trace.length; i++) {
    if (trace.kind[i] !== EventKind.requestSent) continue;
    if (last >= 0) gaps.push(trace.time[i] - last);
    last = trace.time[i];
  }
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  return Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / (gaps.length - 1));
}

/** Each rate is simulated once, whichever test asks first. */
const measured = new Map<number, { polling: number; longPolling: number; spreadMs: number }>();
function measure(ratePerMin: number) {
  let m = measured.get(ratePerMin);
  if (!m) {
    const s = scenarios.find((x) => x.ratePerMin === ratePerMin)!;
    const long = simulate(s.longPolling);
    m = {
      polling: perClientPerMin(simulate(s.polling), s.polling.durationMs),
      longPolling: perClientPerMin(long, s.durationMs),
      spreadMs: cycleStdDevMs(long),
    };
    measured.set(ratePerMin, m);
  }
  return m;
}

describe('the crossover: requests per minute as the message rate grows', () => {
  // The estimate is an upper bound: the runs make about 0.6 million events, 3.5 s of tests on a
  // two-core machine with both cores busy.
  it(`the sweep stays small: under 2.5 million trace events estimated in all (${RATES_PER_MIN.length} rates, ${CYCLES} cycles each)`, () => {
    const events = scenarios.reduce(
      (sum, s) => sum + estimateEvents(s.polling) + estimateEvents(s.longPolling),
      0,
    );
    expect(events).toBeLessThan(2_500_000);
  });

  for (const { ratePerMin, seed, durationMs, polling } of scenarios) {
    const minutes = durationMs / 60_000;
    const pollingMinutes = polling.durationMs / 60_000;
    it(`polling: Poisson chat: 60/P requests a minute, within one request a run (λ=${ratePerMin}/min, interval=2s, timer=fixed, minutes=${pollingMinutes}, seed=${seed})`, () => {
      const t = pollingTheory({ ...settings, ratePerMs: ratePerMin / 60_000 });
      // A fixed timer sends a request every P from the client's start: the count is exact
      // but for the last request, which may fall just inside or just outside the run.
      expect(Math.abs(measure(ratePerMin).polling - t.requestsPerMin)).toBeLessThanOrEqual(
        1 / pollingMinutes,
      );
    });

    it(`long polling: Poisson chat: 60/E[C] requests a minute, within ${SIGMAS}σ of the renewal spread (λ=${ratePerMin}/min, hold=30s, d=50ms, repoll=0, minutes=${minutes}, seed=${seed})`, () => {
      const t = longPollingTheory({ ...settings, ratePerMs: ratePerMin / 60_000 });
      const m = measure(ratePerMin);
      // A run of length T sends T/E[C] ± √(T·σ²/E[C]³) requests (cycles are independent, as
      // Poisson arrivals in separate stretches of time are), so the rate per minute has the
      // relative spread (σ/E[C])/√(T/E[C]). One request more or less at the run's end is added.
      const cycles = durationMs / t.meanCycleMs;
      const relative = t.cycleStdDevMs / t.meanCycleMs / Math.sqrt(cycles) + 1 / cycles;
      const tolerance = SIGMAS * relative * t.requestsPerMin;
      expect(
        Math.abs(m.longPolling - t.requestsPerMin),
        `${m.longPolling.toFixed(3)} vs ${t.requestsPerMin.toFixed(3)} ± ${tolerance.toFixed(3)}`,
      ).toBeLessThan(tolerance);
      // The spread the tolerance rests on is the one measured: a sample standard deviation over
      // n cycles is off by about √(2/n) ≈ 1.4 % for an exponential-like wait, 10 % is 7 of those.
      expect(Math.abs(m.spreadMs / t.cycleStdDevMs - 1), `σ ${m.spreadMs}`).toBeLessThan(0.1);
    });
  }

  it(`long polling overtakes polling between the two rates that bracket λ* = ${crossover.toFixed(1)}/min (interval=2s, hold=30s, d=50ms, seeds=1-${SWEEP.length})`, () => {
    const above = RATES_PER_MIN.map((r) => measure(r).longPolling > measure(r).polling);
    const first = above.indexOf(true);
    // Fewer requests below the crossover, more above it: one change of sign, at λ*.
    expect(above).toEqual(RATES_PER_MIN.map((r) => r > crossover));
    expect(RATES_PER_MIN[first - 1]).toBeLessThan(crossover);
    expect(RATES_PER_MIN[first]).toBeGreaterThan(crossover);
  });

  it('the product notes: 10 clients, 120 messages a minute, 10 minutes: polling 3,000 requests, long polling 11,618 and three times the bytes (interval=2s, hold=30s, seed=1)', () => {
    const base: ScenarioInput = {
      seed: 1,
      clients: 10,
      clientStartSpreadMs: 2000,
      durationMs: 600_000,
      pollIntervalMs: 2000,
      longPollTimeoutMs: 30_000,
      server: { batch: true, buffer: 'log' },
      messages: { poisson: { ratePerMin: 120 } },
    };
    const poll = computeMetrics(simulate(scenario({ ...base, mode: 'polling' })));
    const long = computeMetrics(simulate(scenario({ ...base, mode: 'long-polling' })));
    expect([poll.requests, long.requests]).toEqual([3000, 11_618]);
    expect(long.bytes.total / poll.bytes.total).toBeCloseTo(3, 0);
  });
});
