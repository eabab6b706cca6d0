/**
 * Long runs agree with the closed forms of ../shared/PRODUCT.md (Poisson arrivals of rate λ,
 * one-way delay d, no loss). Tolerances allow for sampling error over the run's few thousand
 * cycles and for publication times rounded to whole milliseconds.
 */
import { describe, expect, it } from 'vitest';
import {
  computeMetrics,
  crossoverRatePerMin,
  longPollingTheory,
  pollingTheory,
  scenario,
  simulate,
  type ScenarioInput,
} from '../../src/sim';

const HOUR_MS = 3_600_000;

function measure(input: ScenarioInput) {
  const s = scenario(input);
  const m = computeMetrics(simulate(s));
  return { m, s, okResponses: m.emptyResponses + m.messageResponses };
}

const within = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual - expected) / expected, `${actual} vs ${expected}`).toBeLessThan(relative);

describe('polling agrees with queueing theory', () => {
  for (const pollTimer of ['fixed', 'after-response'] as const) {
    it(`polling: chat: empty share e^-λP, latency P/2 + d, batch λP/(1-e^-λP) (λ=30/min, interval=2s, d=50ms, timer=${pollTimer})`, () => {
      const { m, okResponses } = measure({
        mode: 'polling',
        pollIntervalMs: 2000,
        pollTimer,
        durationMs: 6 * HOUR_MS,
        network: { latencyMs: 50 },
        messages: { poisson: { ratePerMin: 30 } },
        seed: 11,
      });
      const t = pollingTheory({
        ratePerMs: 30 / 60_000,
        latencyMs: 50,
        pollIntervalMs: 2000,
        pollTimer,
      });
      within(m.emptyResponses / okResponses, t.emptyFraction, 0.06);
      within(m.latencyMs.mean, t.meanLatencyMs, 0.03);
      expect(m.latencyMs.max).toBeLessThanOrEqual(t.maxLatencyMs);
      within(m.requests / (6 * 60), t.requestsPerMin, 0.01);
      within(m.messagesDelivered / m.messageResponses, t.meanMessagesPerNonEmptyResponse, 0.03);
    });
  }
});

describe('long polling agrees with queueing theory', () => {
  /**
   * A long run of one long-polling client (hold 30 s, one-way delay 100 ms) on a Poisson chat,
   * and what theory says of it.
   */
  function longPolling(input: {
    ratePerMin: number;
    hours: number;
    seed: number;
    repollDelayMs?: number;
    server?: ScenarioInput['server'];
  }) {
    const { ratePerMin, hours, seed, repollDelayMs = 0, server } = input;
    const measured = measure({
      mode: 'long-polling',
      durationMs: hours * HOUR_MS,
      repollDelayMs,
      network: { latencyMs: 100 },
      server,
      messages: { poisson: { ratePerMin } },
      seed,
    });
    const t = longPollingTheory({
      ratePerMs: ratePerMin / 60_000,
      latencyMs: 100,
      holdMs: 30_000,
      repollDelayMs,
    });
    return { ...measured, t, minutes: hours * 60 };
  }

  it('long polling: busy chat: request rate 1/E[C] and latency d + G²/2E[C] (λ=2/s, hold=30s, d=100ms)', () => {
    const { m, t, minutes } = longPolling({ ratePerMin: 120, hours: 2, seed: 3 });
    within(m.requests / minutes, t.requestsPerMin, 0.03);
    within(m.latencyMs.mean, t.meanLatencyMs, 0.03);
    // Three transits at most: the gap (two) and the response (one).
    expect(m.latencyMs.max).toBeLessThanOrEqual(t.maxLatencyMs);
    expect(m.latencyMs.max).toBeGreaterThan(0.9 * t.maxLatencyMs);
  });

  it('long polling: quiet channel: empty share e^-λ(G+H) and request rate near 1/(H+G) (λ=1/min, hold=30s, d=100ms)', () => {
    const { m, t, minutes, okResponses } = longPolling({ ratePerMin: 1, hours: 24, seed: 5 });
    within(m.timeouts / okResponses, t.emptyFraction, 0.04);
    within(m.requests / minutes, t.requestsPerMin, 0.02);
  });

  it('long polling: no buffer loses the share G/E[C] of messages (λ=2/s, hold=30s, d=100ms, repoll=100ms)', () => {
    const { m, t } = longPolling({
      ratePerMin: 120,
      hours: 2,
      seed: 9,
      repollDelayMs: 100,
      server: { buffer: 'none' },
    });
    within(m.messagesLost / m.messagesPublished, t.lossFractionWithoutBuffer, 0.04);
    expect(m.messagesLost + m.messagesDelivered).toBe(m.messagesPublished);
  });

  it('long polling beats polling on requests and latency for the same chat (λ=6/min, interval=2s, hold=30s)', () => {
    const base: ScenarioInput = {
      durationMs: HOUR_MS,
      messages: { poisson: { ratePerMin: 6 } },
      seed: 2,
    };
    const poll = measure({ ...base, mode: 'polling' }).m;
    const long = measure({ ...base, mode: 'long-polling' }).m;
    expect(long.messagesPublished).toBe(poll.messagesPublished);
    // A request about every 1/λ = 10 s against one every 2 s.
    expect(long.requests).toBeLessThan(poll.requests / 4);
    expect(long.latencyMs.mean).toBeLessThan(poll.latencyMs.mean / 5);
    expect(long.bytes.total).toBeLessThan(poll.bytes.total / 3);
  });
});

describe('the crossover rate λ*, where long polling sends as many requests as polling', () => {
  type Settings = Parameters<typeof crossoverRatePerMin>[0];
  const chat: Settings = {
    latencyMs: 50,
    pollIntervalMs: 2000,
    pollTimer: 'fixed',
    holdMs: 30_000,
    repollDelayMs: 0,
  };
  const requestsPerMin = (p: Settings, ratePerMin: number) => {
    const ratePerMs = ratePerMin / 60_000;
    return {
      polling: pollingTheory({ ...p, ratePerMs }).requestsPerMin,
      longPolling: longPollingTheory({ ...p, ratePerMs }).requestsPerMin,
    };
  };

  const cases: { name: string; p: Settings; expected: number }[] = [
    { name: 'the product notes’ chat (interval=2s, hold=30s, d=50ms)', p: chat, expected: 30.04 },
    {
      name: 'a timer restarted after each response (P = interval + 2d = 2.1s)',
      p: { ...chat, pollTimer: 'after-response' },
      expected: 28.6,
    },
    {
      name: 'a slow poll (interval=10s)',
      p: { ...chat, pollIntervalMs: 10_000 },
      expected: 5.65,
    },
    {
      name: 'a re-poll delay and a long trip (repoll=1s, d=200ms)',
      p: { ...chat, repollDelayMs: 1000, latencyMs: 200 },
      expected: 39.65,
    },
  ];
  for (const { name, p, expected } of cases) {
    it(`crossover: ${name}: λ* ≈ ${expected}/min, with equal request rates there and long polling fewer below`, () => {
      const x = crossoverRatePerMin(p);
      expect(x).toBeCloseTo(expected, 1);
      const at = requestsPerMin(p, x);
      expect(at.longPolling).toBeCloseTo(at.polling, 6);
      const below = requestsPerMin(p, 0.9 * x);
      const above = requestsPerMin(p, 1.1 * x);
      expect(below.longPolling).toBeLessThan(below.polling);
      expect(above.longPolling).toBeGreaterThan(above.polling);
    });
  }

  it('crossover: none: 0 when polling is slower than an idle long poll (P ≥ H + G), Infinity when faster than the gap (P ≤ G)', () => {
    expect(crossoverRatePerMin({ ...chat, pollIntervalMs: 30_100 })).toBe(0);
    expect(crossoverRatePerMin({ ...chat, pollIntervalMs: 60_000 })).toBe(0);
    expect(crossoverRatePerMin({ ...chat, pollIntervalMs: 100 })).toBe(Infinity);
    expect(crossoverRatePerMin({ ...chat, pollIntervalMs: 50 })).toBe(Infinity);
  });

  it('long polling: the spread of a cycle: none when messages are rare or frequent, about E[C] between (hold=30s, d=50ms)', () => {
    const spread = (ratePerMin: number) => {
      const t = longPollingTheory({ ...chat, ratePerMs: ratePerMin / 60_000 });
      return t.cycleStdDevMs / t.meanCycleMs;
    };
    // Rare: every cycle is a whole hold. Frequent: every cycle is the gap G alone.
    expect(spread(0.000_01)).toBeLessThan(0.01);
    expect(spread(600_000)).toBeLessThan(0.01);
    // Between, a cycle is about an exponential wait, whose spread equals its mean.
    expect(spread(30)).toBeCloseTo(1, 1);
  });
});
