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
  meanMessageFrameBytes,
  modesTheory,
  pollingTheory,
  scenario,
  streamTheory,
  type StreamTheoryInput,
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

describe('push: closed forms for a stream or socket, by hand', () => {
  /** SSE behind nginx (T = 60 s), Chromium's 3 s retry, d = 50 ms, a 10-minute run, a log. */
  const sse: StreamTheoryInput = {
    kind: 'sse',
    ratePerMs: 1 / 60_000,
    latencyMs: 50,
    durationMs: 600_000,
    proxyIdleTimeoutMs: 60_000,
    heartbeatMs: 0,
    reconnectWaitMs: 3000,
    reconnectJitter: 0,
    replays: true,
    sizes: { requestHeaderBytes: 700, responseHeaderBytes: 300, messageBytes: 100 },
  };

  const cases: { name: string; p: StreamTheoryInput; expected: Record<string, number> }[] = [
    {
      // E[S] = (e − 1)·60 s, D = 3 s + 2·50 ms, latency d + D²/2E[C] = 50 + 3100²/212,394.
      name: 'a message a minute: cut after (e^λT − 1)/λ ≈ 103.1 s, every 106.2 s with the gap',
      p: sse,
      expected: {
        meanOpenMs: 103_096.91,
        meanGapMs: 3100,
        meanCycleMs: 106_196.91,
        cutsPerMin: 0.565,
        meanLatencyMs: 95.25,
        maxLatencyMs: 3150,
      },
    },
    {
      name: 'no messages: cut every T, then the gap',
      p: { ...sse, ratePerMs: 0 },
      expected: {
        meanOpenMs: 60_000,
        meanCycleMs: 63_100,
        cycleStdDevMs: 0,
        meanLatencyMs: 126.15,
      },
    },
    {
      // The gap 2d + 1 s·(1 ± 0.5): E[D²] = 1100² + 500²/3, latency 50 + E[D²]/(2·61,100).
      name: 'a WebSocket with a jittered backoff: the gap’s spread lengthens the mean wait',
      p: { ...sse, kind: 'websocket', ratePerMs: 0, reconnectWaitMs: 1000, reconnectJitter: 0.5 },
      expected: {
        meanGapMs: 1100,
        cycleStdDevMs: 288.68,
        meanLatencyMs: 60.58,
        maxLatencyMs: 1650,
      },
    },
    {
      name: 'a WebSocket without resume: loses E[D]/E[C], delivers in d',
      p: { ...sse, kind: 'websocket', replays: false },
      expected: { lossFraction: 3100 / 106_196.91, meanLatencyMs: 50, maxLatencyMs: 50 },
    },
    {
      // One opening in 10 minutes; 60 frames of 2 + 100 bytes; 2.4 pings of 2 bytes, pongs of 6.
      name: 'no proxy, pings every 25 s: one request for the run, every message one trip',
      p: {
        ...sse,
        kind: 'websocket',
        ratePerMs: 1 / 1000,
        proxyIdleTimeoutMs: undefined,
        heartbeatMs: 25_000,
      },
      expected: {
        cutsPerMin: 0,
        requests: 1,
        requestsPerMin: 0.1,
        heartbeatsPerMin: 2.4,
        meanLatencyMs: 50,
        maxLatencyMs: 50,
      },
    },
  ];
  for (const { name, p, expected } of cases) {
    it(`push: ${name}`, () => {
      const t = streamTheory(p) as unknown as Record<string, number>;
      for (const [key, value] of Object.entries(expected)) {
        expect(t[key], key).toBeCloseTo(value, 2);
      }
    });
  }

  it('push: bytes a minute: openings × headers, frames × λ, heartbeats and pongs (websocket, no proxy, λ=1/s, ping=25s, 10 min)', () => {
    const t = streamTheory({
      ...sse,
      kind: 'websocket',
      ratePerMs: 1 / 1000,
      proxyIdleTimeoutMs: undefined,
      heartbeatMs: 25_000,
    });
    expect(t.bytesPerMin.requests).toBeCloseTo(0.1 * 700 + 2.4 * 6, 9);
    expect(t.bytesPerMin.responses).toBeCloseTo(0.1 * 300 + 60 * 102 + 2.4 * 2, 9);
  });

  it('push: an SSE frame grows with its id: ids 1–9 take 120 bytes, 10–99 take 121 (payload 100)', () => {
    // `id: N\n` (5 + digits) and `data: …\n\n` (8 + 100) in one chunk: 2 hex digits + CRLF + CRLF.
    expect(meanMessageFrameBytes('sse', 9, 100)).toBe(120);
    expect(meanMessageFrameBytes('sse', 15, 100)).toBeCloseTo((9 * 120 + 6 * 121) / 15, 12);
    expect(meanMessageFrameBytes('websocket', 1e6, 100)).toBe(102);
  });

  it('push: the spread of a stream’s life is continuous where its small-λT series takes over', () => {
    const spread = (ratePerMs: number) => streamTheory({ ...sse, ratePerMs }).cycleStdDevMs;
    // λT = 0.1 either side; Var S ≈ λT³/3 when messages are rare.
    const edge = 0.1 / 60_000;
    expect(spread(edge * (1 - 1e-12)) / spread(edge * (1 + 1e-12))).toBeCloseTo(1, 9);
    // 2e^u·(sinh u − u) = (u³/3)(1 + u + O(u²)), u = λT = 6·10⁻⁵.
    expect(spread(1e-9) ** 2 / ((1e-9 * 60_000 ** 3) / 3)).toBeCloseTo(1 + 6e-5, 7);
  });

  it('push: heartbeats at or above the proxy’s timeout race it: no closed form, said so', () => {
    expect(() => streamTheory({ ...sse, heartbeatMs: 60_000 })).toThrow(RangeError);
  });

  it('four modes at the product notes’ chat (λ=120/min, interval=2s, hold=30s, d=50ms, 10 min, no proxy)', () => {
    const t = modesTheory(scenario({ durationMs: 600_000 }), 120 / 60_000);
    // Polling: 30 a minute. Long polling: E[C] = 0.1 s + e^-0.2·0.5 s: 117.8 a minute (the notes'
    // 11,779 for 10 clients). Push: one opening in 10 minutes. Bytes: headers 700 + 300 each, 100
    // a message in a response body, SSE's ids 1–1,200 mean 122.08 bytes a frame, WebSocket's 102.
    expect(t.polling).toMatchObject({ requestsPerMin: 30, bytesPerMin: 42_000 });
    expect(t.longPolling.requestsPerMin).toBeCloseTo(117.79, 2);
    expect(t.longPolling.bytesPerMin).toBeCloseTo(117.79 * 1000 + 12_000, -1);
    expect(t.sse.requestsPerMin).toBeCloseTo(0.1, 12);
    expect(t.sse.bytesPerMin).toBeCloseTo(100 + 120 * (146_493 / 1200), 9);
    expect(t.websocket.bytesPerMin).toBeCloseTo(100 + 120 * 102, 9);
    expect([t.sse.meanLatencyMs, t.websocket.meanLatencyMs]).toEqual([50, 50]);
    expect(t.polling.meanLatencyMs).toBe(1050);
  });
});
