/**
 * Push (../shared/PRODUCT.md, "Push"): Server-Sent Events and WebSocket held to their closed forms
 * (streamTheory in src/sim/theory.ts) over a sweep of message rates and settings: with a proxy
 * that cuts idle streams and without one, with heartbeats under its timeout and without, SSE and
 * WebSocket, a server that replays what a broken stream missed and one that does not. Then the
 * four modes side by side (modesTheory), as the sweep chart will draw them.
 *
 * One client a run: every client sees the same messages, so the proxy cuts their streams in the
 * same quiet spells; more clients would add work but no independent samples. Each point has a
 * seed of its own, so that the points' sampling errors are independent.
 */
import { describe, expect, it } from 'vitest';
import {
  computeMetrics,
  estimateEvents,
  longPollingTheory,
  meanMessageFrameBytes,
  modesTheory,
  pollingTheory,
  scenario,
  simulate,
  streamTheory,
  streamTheoryInput,
  type Metrics,
  type Scenario,
  type ScenarioInput,
  type StreamTheory,
  type StreamTheoryInput,
} from '../../src/sim';
import { heartbeatBytes, heartbeatReplyBytes } from '../../src/sim/framing';
import { RequestKind } from '../../src/sim/trace';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Standard deviations allowed: a 4σ miss has odds of about 1 in 16,000 a check. */
const SIGMAS = 4;
/** Cuts a proxied run should hold (a run is at most a day, the longest a scenario may be). */
const CYCLES = 2000;

interface Point {
  name: string;
  mode: 'sse' | 'websocket';
  ratePerMin: number;
  seed: number;
  input: ScenarioInput;
}

const nginx = { idleTimeoutMs: 60_000 };
const heroku = { idleTimeoutMs: 30_000 };

/**
 * Where the proxy cuts: no heartbeats. Timeouts of nginx and AWS ALB (60 s), Heroku (30 s) and a
 * short 15 s; SSE's retry of Chromium (3 s) and Firefox (5 s); WebSocket's backoff from a first
 * wait of 3 or 5 s (Socket.IO's cap), ± 50 %. Socket.IO's own 1 s would do for requests and bytes,
 * but its gap is too short for a day's run to tell its wait for the replay from none. The rates
 * run from a message every other timeout to several a timeout, where quiet spells long enough to
 * cut become rare.
 */
const CUT_SWEEP: Point[] = [
  ...[0.5, 1, 2].map((ratePerMin, i) => ({
    name: 'T=60s, retry=3s',
    mode: 'sse' as const,
    ratePerMin,
    seed: 1 + i,
    input: { proxy: nginx, sse: { retryMs: 3000 } },
  })),
  ...[1, 4].map((ratePerMin, i) => ({
    name: 'T=30s, retry=5s',
    mode: 'sse' as const,
    ratePerMin,
    seed: 4 + i,
    input: { proxy: heroku, sse: { retryMs: 5000 } },
  })),
  {
    name: 'T=30s, retry=3s, no log',
    mode: 'sse',
    ratePerMin: 4,
    seed: 6,
    input: { proxy: heroku, sse: { retryMs: 3000 }, server: { buffer: 'none' } },
  },
  ...[0.5, 2].map((ratePerMin, i) => ({
    name: 'T=60s, backoff=5s±50%, resume',
    mode: 'websocket' as const,
    ratePerMin,
    seed: 7 + i,
    input: { proxy: nginx, backoff: { initialMs: 5000 }, websocket: { resume: true } },
  })),
  {
    name: 'T=15s, backoff=3s±50%, resume',
    mode: 'websocket',
    ratePerMin: 2,
    seed: 9,
    input: {
      proxy: { idleTimeoutMs: 15_000 },
      backoff: { initialMs: 3000 },
      websocket: { resume: true },
    },
  },
  {
    name: 'T=30s, backoff=5s±50%, no resume',
    mode: 'websocket',
    ratePerMin: 6,
    seed: 10,
    input: { proxy: heroku, backoff: { initialMs: 5000 } },
  },
];

/**
 * Where nothing cuts: heartbeats under the proxy's timeout (the HTML spec's 15 s comments,
 * Engine.IO's 25 s pings), or no proxy at all. Rates up to ten messages a second.
 */
const OPEN_SWEEP: Point[] = [
  ...[1, 60, 600].map((ratePerMin, i) => ({
    name: 'T=60s, heartbeat=15s',
    mode: 'sse' as const,
    ratePerMin,
    seed: 11 + i,
    input: { proxy: nginx, sse: { heartbeatMs: 15_000 } },
  })),
  ...[1, 60, 600].map((ratePerMin, i) => ({
    name: 'T=60s, ping=25s',
    mode: 'websocket' as const,
    ratePerMin,
    seed: 14 + i,
    input: { proxy: nginx, websocket: { pingIntervalMs: 25_000 } },
  })),
  { name: 'no proxy', mode: 'sse', ratePerMin: 60, seed: 17, input: {} },
  {
    name: 'no proxy, heartbeat=15s',
    mode: 'sse',
    ratePerMin: 6,
    seed: 18,
    input: { sse: { heartbeatMs: 15_000 } },
  },
  { name: 'no proxy', mode: 'websocket', ratePerMin: 600, seed: 19, input: {} },
];

const ratePerMs = (p: Point) => p.ratePerMin / 60_000;

function pointScenario(p: Point, durationMs: number): Scenario {
  return scenario({
    ...p.input,
    mode: p.mode,
    seed: p.seed,
    clients: 1,
    durationMs,
    network: { latencyMs: 50 },
    messages: { poisson: { ratePerMin: p.ratePerMin } },
  });
}

/** A proxied run long enough for about `CYCLES` cuts, in whole minutes, at most a day. */
function cutRunMs(p: Point): number {
  const t = streamTheory(streamTheoryInput(pointScenario(p, DAY_MS), p.mode, ratePerMs(p)));
  return Math.min(DAY_MS, Math.ceil((CYCLES * t.meanCycleMs) / 60_000) * 60_000);
}

/** An open stream's run: ten minutes, or an hour when messages are rare. */
const openRunMs = (p: Point) => (p.ratePerMin < 10 ? HOUR_MS : 10 * 60_000);

const runs = [
  ...CUT_SWEEP.map((p) => ({ ...p, scenario: pointScenario(p, cutRunMs(p)) })),
  ...OPEN_SWEEP.map((p) => ({ ...p, scenario: pointScenario(p, openRunMs(p)) })),
];

/** Each point is simulated once, whichever test asks first. */
const measured = new Map<Scenario, Metrics>();
function metricsOf(s: Scenario): Metrics {
  let m = measured.get(s);
  if (!m) {
    m = computeMetrics(simulate(s));
    measured.set(s, m);
  }
  return m;
}

/**
 * The standard error of a run's mean latency. Per cycle (a stream's life S, then the gap D) the
 * excess over d is Z, the sum over the gap's messages of the wait for the replay, and N the
 * cycle's messages: N_S while the stream is open (the messages before the first quiet spell of T,
 * a geometric count: Var = (1 − p)/p², p = e^(−λT)) and N_D in the gap. The run's mean excess
 * ΣZ/ΣN is a ratio over n = L/E[C] independent cycles, so (the delta method) its variance is
 * Var(Z − rN)/(n·E[N]²), with r = E[Z]/E[N] the mean excess and E[N] = λ·E[C]. N_S is independent
 * of the gap, and given D the gap's messages are Poisson(λD), each at a uniform point x of it
 * contributing D − x − r, so
 *   Var(Z − rN) = r²·Var N_S + E[λD·(D²/3 − rD + r²)] + Var(λD·(D/2 − r)),
 * with D uniform on 2d + R·(1 ± jitter) (a constant for SSE). Checked against day-long runs of
 * two points over many seeds: the spread of their means was within 20 % of this (SSE, T = 30 s,
 * retry 5 s, λ = 2/min, 30 seeds: 13.7 ms against 16.8; WebSocket, T = 15 s, backoff 3 s ± 50 %,
 * λ = 2/min, 90 seeds: 14.9 ms against 13.6), and their means within two standard errors of the
 * formula.
 */
function meanLatencyStdErrMs(inp: StreamTheoryInput, t: StreamTheory, durationMs: number): number {
  const l = inp.ratePerMs;
  const p = Math.exp(-l * inp.proxyIdleTimeoutMs!);
  const lowMs = inp.reconnectWaitMs * (1 - inp.reconnectJitter) + 2 * inp.latencyMs;
  const highMs = inp.reconnectWaitMs * (1 + inp.reconnectJitter) + 2 * inp.latencyMs;
  const moment = (k: number) =>
    highMs === lowMs
      ? lowMs ** k
      : (highMs ** (k + 1) - lowMs ** (k + 1)) / ((k + 1) * (highMs - lowMs));
  const r = t.meanLatencyMs - inp.latencyMs;
  const openVariance = (r * r * (1 - p)) / (p * p);
  const gapMean = l * (moment(3) / 3 - r * moment(2) + r * r * moment(1));
  const gapSpread =
    l * l * (moment(4) / 4 - r * moment(3) + r * r * moment(2)) -
    (l * (moment(2) / 2 - r * moment(1))) ** 2;
  const cycles = durationMs / t.meanCycleMs;
  return Math.sqrt((openVariance + gapMean + gapSpread) / cycles) / (l * t.meanCycleMs);
}

const show = (got: number, expected: number, tolerance: number) =>
  `${got.toFixed(3)} vs ${expected.toFixed(3)} ± ${tolerance.toFixed(3)}`;

describe('push agrees with its closed forms', () => {
  // The estimate is an upper bound (it prices a cut every T + 2d, as if no message kept a stream
  // open, 0.44 million in all): the runs make about 0.27 million events, and with the four
  // modes' grid below (0.17 million) the file's tests take 1.3 s on two cores, one of them busy.
  it(`the sweep stays small: under 0.6 million trace events estimated in all (${runs.length} runs)`, () => {
    const events = runs.reduce((sum, r) => sum + estimateEvents(r.scenario), 0);
    expect(events).toBeLessThan(600_000);
  });

  for (const p of runs.slice(0, CUT_SWEEP.length)) {
    const { mode, ratePerMin, seed, name, scenario: s } = p;
    const minutes = s.durationMs / 60_000;
    const inp = streamTheoryInput(s, mode, ratePerMs(p));
    const t = streamTheory(inp);
    const where = `(λ=${ratePerMin}/min, ${name}, d=50ms, minutes=${minutes}, seed=${seed})`;
    const cycles = s.durationMs / t.meanCycleMs;
    // A run of length L has L/E[C] ± √(L·σ²/E[C]³) cuts (renewal CLT), one request each; one
    // more or less at the run's edges.
    const requestsSd = (t.cycleStdDevMs / t.meanCycleMs) * Math.sqrt(cycles);
    // Without a replay the gaps' messages are lost: Poisson(λD) for each of n gaps, so
    // Var = E[n]·(λE[D] + λ²·Var D) + (λE[D])²·Var n.
    const l = ratePerMs(p);
    const gapVariance = (inp.reconnectJitter * inp.reconnectWaitMs) ** 2 / 3;
    const lostSd = inp.replays
      ? 0
      : Math.sqrt(
          cycles * (l * t.meanGapMs + l * l * gapVariance) + (l * t.meanGapMs * requestsSd) ** 2,
        );
    const frameBytes = meanMessageFrameBytes(mode, l * s.durationMs, s.sizes.messageBytes);

    it(`${mode}: proxy cuts: one request per cut, cuts every (e^λT − 1)/λ + R + 2d, within ${SIGMAS}σ ${where}`, () => {
      const m = metricsOf(s);
      const tolerance = (SIGMAS * requestsSd + 1) / minutes;
      expect(t.cuts).toBe(true);
      expect(
        Math.abs(m.requests / minutes - t.requestsPerMin),
        show(m.requests / minutes, t.requestsPerMin, tolerance),
      ).toBeLessThan(tolerance);
      // Every request but the first follows a cut, and the run may end in a gap.
      expect(m.requests - m.streamBreaks).toBeGreaterThanOrEqual(0);
      expect(m.requests - m.streamBreaks).toBeLessThanOrEqual(1);
    });

    if (inp.replays) {
      it(`${mode}: proxy cuts: mean latency d + E[D²]/2E[C], within ${SIGMAS}σ; none lost; at most d + max D ${where}`, () => {
        const m = metricsOf(s);
        const tolerance = SIGMAS * meanLatencyStdErrMs(inp, t, s.durationMs);
        expect(
          Math.abs(m.latencyMs.mean - t.meanLatencyMs),
          show(m.latencyMs.mean, t.meanLatencyMs, tolerance),
        ).toBeLessThan(tolerance);
        // A tolerance that cannot tell the gap's wait from none would prove nothing.
        expect(tolerance).toBeLessThan(t.meanLatencyMs - inp.latencyMs);
        expect(m.messagesLost).toBe(0);
        expect(m.latencyMs.max).toBeLessThanOrEqual(t.maxLatencyMs);
      });
    } else {
      it(`${mode}: proxy cuts, no replay: the share E[D]/E[C] is lost, the rest take d ${where}`, () => {
        const m = metricsOf(s);
        const tolerance = (SIGMAS * lostSd) / m.messagesPublished;
        const share = m.messagesLost / m.messagesPublished;
        expect(
          Math.abs(share - t.lossFraction),
          show(share, t.lossFraction, tolerance),
        ).toBeLessThan(tolerance);
        expect(tolerance).toBeLessThan(t.lossFraction / 2);
        expect(m.latencyMs).toMatchObject({ mean: 50, max: 50 });
      });
    }

    it(`${mode}: proxy cuts: bytes a minute = headers × openings + frames × λ, within ${SIGMAS}σ ${where}`, () => {
      const m = metricsOf(s);
      const headerBytes = s.sizes.requestHeaderBytes + s.sizes.responseHeaderBytes;
      // The spread of a sum is at most the sum of its parts' spreads, however they correlate:
      // the openings' (above), the messages' (Poisson: √(λL)) and, without a replay, the
      // losses'; and one opening more or less at the run's edges.
      const sd = headerBytes * requestsSd + frameBytes * (Math.sqrt(ratePerMin * minutes) + lostSd);
      const tolerance = (SIGMAS * sd + headerBytes) / minutes;
      const got = m.bytes.total / minutes;
      expect(
        Math.abs(got - t.bytesPerMin.total),
        show(got, t.bytesPerMin.total, tolerance),
      ).toBeLessThan(tolerance);
    });
  }

  for (const p of runs.slice(CUT_SWEEP.length)) {
    const { mode, ratePerMin, seed, name, scenario: s } = p;
    const minutes = s.durationMs / 60_000;
    const inp = streamTheoryInput(s, mode, ratePerMs(p));
    const t = streamTheory(inp);
    const where = `(λ=${ratePerMin}/min, ${name}, d=50ms, minutes=${minutes}, seed=${seed})`;

    it(`${mode}: nothing cuts: one request for the run, every message one trip d ${where}`, () => {
      const m = metricsOf(s);
      expect(t.cuts).toBe(false);
      expect(m.requests).toBe(1);
      expect(t.requests).toBe(1);
      expect(m.streamBreaks).toBe(0);
      expect(m.latencyMs).toMatchObject({ mean: t.meanLatencyMs, max: t.maxLatencyMs });
      expect(m.messagesLost).toBe(0);
    });

    it(`${mode}: nothing cuts: bytes a minute = headers once + frames × λ + heartbeats, within ${SIGMAS}σ ${where}`, () => {
      const m = metricsOf(s);
      // Heartbeats come every H from the opening: the count is exact but for the last one.
      expect(Math.abs(m.heartbeats - t.heartbeatsPerMin * minutes)).toBeLessThanOrEqual(1);
      const frameBytes = meanMessageFrameBytes(
        mode,
        ratePerMs(p) * s.durationMs,
        s.sizes.messageBytes,
      );
      const kind = mode === 'sse' ? RequestKind.sse : RequestKind.websocket;
      const oneHeartbeatBytes = heartbeatBytes(kind) + heartbeatReplyBytes(kind);
      // Messages are Poisson, √(λL) of spread; one heartbeat (and its pong) more or less.
      const tolerance =
        (SIGMAS * frameBytes * Math.sqrt(ratePerMin * minutes) + oneHeartbeatBytes) / minutes;
      const got = m.bytes.total / minutes;
      expect(
        Math.abs(got - t.bytesPerMin.total),
        show(got, t.bytesPerMin.total, tolerance),
      ).toBeLessThan(tolerance);
    });
  }
});

/**
 * The four modes side by side, as the sweep chart draws them: one workload (the product notes'
 * chat: a 2 s fixed poll, a 30 s hold, d = 50 ms) behind nginx's 60 s proxy, SSE without
 * heartbeats (so the proxy cuts it when the chat is quiet) and WebSocket with Engine.IO's 25 s
 * pings; an hour of one client in each mode, a seed for each rate.
 */
describe('polling, long polling, SSE and WebSocket side by side (modesTheory)', () => {
  const MODES = ['polling', 'long-polling', 'sse', 'websocket'] as const;
  const KEYS = {
    polling: 'polling',
    'long-polling': 'longPolling',
    sse: 'sse',
    websocket: 'websocket',
  } as const;
  const RATES = [
    { ratePerMin: 1, seed: 21 },
    { ratePerMin: 30, seed: 22 },
    { ratePerMin: 120, seed: 23 },
  ];
  const chat = (mode: (typeof MODES)[number], ratePerMin: number, seed: number) =>
    scenario({
      mode,
      seed,
      durationMs: HOUR_MS,
      pollIntervalMs: 2000,
      pollTimer: 'fixed',
      longPollTimeoutMs: 30_000,
      network: { latencyMs: 50 },
      server: { batch: true, buffer: 'log' },
      proxy: nginx,
      websocket: { pingIntervalMs: 25_000 },
      messages: { poisson: { ratePerMin } },
    });
  const grid = RATES.flatMap(({ ratePerMin, seed }) =>
    MODES.map((mode) => ({ mode, ratePerMin, seed, scenario: chat(mode, ratePerMin, seed) })),
  );

  it(`the grid stays small: under 0.4 million trace events estimated (${grid.length} runs)`, () => {
    expect(grid.reduce((sum, g) => sum + estimateEvents(g.scenario), 0)).toBeLessThan(400_000);
  });

  /**
   * The spread of a mode's request count in a run of length L: none for polling's fixed timer,
   * the renewal spread for long polling's cycles and for SSE's cuts, none for a stream that is
   * never cut.
   */
  function requestsSd(mode: (typeof MODES)[number], s: Scenario, l: number): number {
    const cycle =
      mode === 'long-polling'
        ? longPollingTheory({ ratePerMs: l, latencyMs: 50, holdMs: 30_000, repollDelayMs: 0 })
        : mode === 'polling'
          ? undefined
          : streamTheory(streamTheoryInput(s, mode, l));
    if (!cycle || !Number.isFinite(cycle.meanCycleMs)) return 0;
    return (cycle.cycleStdDevMs / cycle.meanCycleMs) * Math.sqrt(s.durationMs / cycle.meanCycleMs);
  }

  for (const { mode, ratePerMin, seed, scenario: s } of grid) {
    it(`${mode}: chat behind a 60 s proxy: requests and bytes a minute as modesTheory says, within ${SIGMAS}σ (λ=${ratePerMin}/min, interval=2s, hold=30s, d=50ms, minutes=60, seed=${seed})`, () => {
      const l = ratePerMin / 60_000;
      const t = modesTheory(s, l)[KEYS[mode]];
      const m = metricsOf(s);
      const minutes = s.durationMs / 60_000;
      const sd = requestsSd(mode, s, l);
      const requests = m.requests / minutes;
      const requestTolerance = (SIGMAS * sd + 1) / minutes;
      expect(
        Math.abs(requests - t.requestsPerMin),
        show(requests, t.requestsPerMin, requestTolerance),
      ).toBeLessThan(requestTolerance);
      // Bytes: the requests' headers (their spread above), the messages' (Poisson), and at the
      // run's edges one request more or less and the messages of a last poll or cut not yet sent.
      const headerBytes = s.sizes.requestHeaderBytes + s.sizes.responseHeaderBytes;
      const frameBytes =
        mode === 'sse' || mode === 'websocket'
          ? meanMessageFrameBytes(mode, l * s.durationMs, s.sizes.messageBytes)
          : s.sizes.messageBytes;
      const edgeBytes = headerBytes + frameBytes * l * 60_000;
      const bytesTolerance =
        (SIGMAS * (headerBytes * sd + frameBytes * Math.sqrt(l * s.durationMs)) + edgeBytes) /
        minutes;
      const bytes = m.bytes.total / minutes;
      expect(
        Math.abs(bytes - t.bytesPerMin),
        show(bytes, t.bytesPerMin, bytesTolerance),
      ).toBeLessThan(bytesTolerance);
    });
  }

  it('the chart’s story: push sends the fewest requests and bytes at every rate; long polling beats polling below λ* ≈ 30/min and loses above it (interval=2s, hold=30s)', () => {
    const base = chat('polling', 1, 1);
    for (const { ratePerMin } of RATES) {
      const t = modesTheory(base, ratePerMin / 60_000);
      for (const push of [t.sse, t.websocket]) {
        expect(push.requestsPerMin).toBeLessThan(
          Math.min(t.polling.requestsPerMin, t.longPolling.requestsPerMin),
        );
        expect(push.bytesPerMin).toBeLessThan(
          Math.min(t.polling.bytesPerMin, t.longPolling.bytesPerMin),
        );
      }
    }
    const quiet = modesTheory(base, 1 / 60_000);
    const busy = modesTheory(base, 120 / 60_000);
    expect(quiet.longPolling.requestsPerMin).toBeLessThan(quiet.polling.requestsPerMin);
    expect(busy.longPolling.requestsPerMin).toBeGreaterThan(busy.polling.requestsPerMin);
    expect(busy.polling.requestsPerMin).toBe(
      pollingTheory({ ...base, latencyMs: 50, ratePerMs: 0 }).requestsPerMin,
    );
  });
});
