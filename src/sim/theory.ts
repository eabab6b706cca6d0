/**
 * Closed-form expectations from queueing theory (../shared/PRODUCT.md), for messages that arrive
 * at the server as a Poisson process of rate λ, a constant one-way delay d and no loss. Tests hold
 * the simulation to them; the lessons and the compare view show them beside measured figures.
 * Times are in milliseconds and rates per millisecond, unless a name ends in another unit.
 */
import { heartbeatBytes, heartbeatReplyBytes, messageFrameBytes } from './framing';
import type { Scenario } from './scenario';
import { RequestKind } from './trace';

export interface PollingTheory {
  /** The period between polls: the interval on a fixed timer, interval + 2d after each response. */
  periodMs: number;
  meanLatencyMs: number;
  maxLatencyMs: number;
  emptyFraction: number;
  requestsPerMin: number;
  meanMessagesPerNonEmptyResponse: number;
}

export function pollingTheory(p: {
  ratePerMs: number;
  latencyMs: number;
  pollIntervalMs: number;
  pollTimer: 'fixed' | 'after-response';
}): PollingTheory {
  const d = p.latencyMs;
  const period = p.pollTimer === 'fixed' ? p.pollIntervalMs : p.pollIntervalMs + 2 * d;
  const lp = p.ratePerMs * period;
  return {
    periodMs: period,
    meanLatencyMs: period / 2 + d,
    maxLatencyMs: period + d,
    emptyFraction: Math.exp(-lp),
    requestsPerMin: 60_000 / period,
    meanMessagesPerNonEmptyResponse: lp / (1 - Math.exp(-lp)),
  };
}

export interface LongPollingTheory {
  /** The re-request gap G = 2d + I: from a response leaving the server to the next request arriving. */
  gapMs: number;
  meanCycleMs: number;
  /**
   * The standard deviation of a cycle. Cycles are independent (each depends on arrivals in its
   * own stretch of time), so a run of length T sends about T/E[C] requests, give or take
   * √(T·σ²/E[C]³) (the renewal central limit theorem).
   */
  cycleStdDevMs: number;
  requestsPerMin: number;
  /** Share of responses that are empty hold timeouts. */
  emptyFraction: number;
  meanLatencyMs: number;
  maxLatencyMs: number;
  /** Share of messages lost when the server keeps no buffer. */
  lossFractionWithoutBuffer: number;
}

export function longPollingTheory(p: {
  ratePerMs: number;
  latencyMs: number;
  holdMs: number;
  repollDelayMs: number;
}): LongPollingTheory {
  const { ratePerMs: l, holdMs: h } = p;
  const g = 2 * p.latencyMs + p.repollDelayMs;
  // A cycle is G, plus, when no message came during the gap (chance p = e^-λG), a wait for the
  // next message cut at the hold: W = min(Exp(λ), H), with E[W] = (1 - e^-λH)/λ and
  // Var W = (1 - e^-2λH - 2λH·e^-λH)/λ². So Var C = p·Var W + p(1 - p)·E[W]², written with
  // expm1 because with rare messages both are small differences of numbers near 1 (still good
  // to a part in a million at one message a week on a 30 s hold).
  const idle = Math.exp(-l * g);
  const waitMs = (1 - Math.exp(-l * h)) / l;
  const waitVarianceMs2 = (-Math.expm1(-2 * l * h) - 2 * l * h * Math.exp(-l * h)) / (l * l);
  const cycle = g + idle * waitMs;
  const cycleWithoutBuffer = g + (1 - Math.exp(-l * h)) / l;
  return {
    gapMs: g,
    meanCycleMs: cycle,
    cycleStdDevMs: Math.sqrt(idle * waitVarianceMs2 - idle * Math.expm1(-l * g) * waitMs ** 2),
    requestsPerMin: 60_000 / cycle,
    emptyFraction: Math.exp(-l * (g + h)),
    meanLatencyMs: p.latencyMs + (g * g) / (2 * cycle),
    maxLatencyMs: p.latencyMs + g,
    lossFractionWithoutBuffer: g / cycleWithoutBuffer,
  };
}

/**
 * The crossover: the message rate λ* (per client per minute) at which long polling sends as many
 * requests as polling with the same one-way delay, that is E[C](λ*) = P. Below it long polling
 * sends fewer requests, above it more. E[C] falls steadily with λ, from H + G when messages are
 * rare to G when they are frequent (both factors of e^-λG·(1 - e^-λH)/λ fall), so λ* is found by
 * bisection. It is 0 when P ≥ H + G (long polling sends more requests at any rate) and Infinity
 * when P ≤ G (it never does).
 *
 * For the product notes' chat (P = 2 s fixed, H = 30 s, d = 50 ms, I = 0) λ* ≈ 30.0 a minute:
 * about one message per poll. Their measured point, 120 a minute (10 clients, 10 minutes, polling
 * 3,000 requests and long polling 11,618, about three times the bytes), is well above it; the
 * simulation reproduces those figures exactly with scenarios/polling-vs-long-polling.json at
 * `ratePerMin: 120` (seed 1, `server.batch: true`, `server.buffer: "log"`, the defaults), and
 * theory predicts 11,779 there (that seed publishes 1,182 messages rather than 1,200).
 */
export function crossoverRatePerMin(p: {
  latencyMs: number;
  pollIntervalMs: number;
  pollTimer: 'fixed' | 'after-response';
  holdMs: number;
  repollDelayMs: number;
}): number {
  const periodMs = pollingTheory({ ...p, ratePerMs: 0 }).periodMs;
  const cycleMs = (ratePerMs: number) => longPollingTheory({ ...p, ratePerMs }).meanCycleMs;
  const gapMs = longPollingTheory({ ...p, ratePerMs: 1 / periodMs }).gapMs;
  if (periodMs >= p.holdMs + gapMs) return 0;
  if (periodMs <= gapMs) return Infinity;
  // Bracket λ* between a rate whose cycle is at least P and one whose cycle is shorter.
  let lo = 1 / periodMs;
  let hi = lo;
  while (cycleMs(lo) < periodMs) lo /= 2;
  while (cycleMs(hi) >= periodMs) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (cycleMs(mid) >= periodMs) lo = mid;
    else hi = mid;
  }
  return ((lo + hi) / 2) * 60_000;
}

/**
 * Push: a stream (SSE) or a socket (WebSocket) stays open and carries each message as it is
 * published, one one-way trip d after it. Only a proxy's idle timeout T ends it, and only when
 * nothing is sent for T: every frame (a message, a heartbeat) starts the proxy's count again.
 *
 * The renewal argument. Call a cycle one stream's life S (from the server's open to the proxy's
 * cut) and the reconnect gap D after it (from the cut to the next opening request's arrival:
 * the cut reaches the client after d, the client waits R, SSE's retryMs or WebSocket's first
 * backoff wait, and its request takes d more, so D = R + 2d). Arrivals in one cycle are
 * independent of those in another, so cycles are independent and alike: a renewal process.
 *
 * S ends at the first spell of T without a message. Each gap X between messages is Exp(λ); with
 * chance p = e^(−λT) the next one is at least T and the cut comes at T, otherwise the stream
 * lives on to the next message at X < T and starts counting again:
 *   E[S] = p·T + E[X; X < T] + (1 − p)·E[S], with E[X; X < T] = (1 − p)/λ − T·p,
 *   so E[S] = (e^(λT) − 1)/λ (T when messages are rare; e^(λT)/λ, ever rarer, when frequent).
 * The same first-step argument on the second moment gives
 *   Var S = (e^(2λT) − 1 − 2λT·e^(λT))/λ² = 2·e^(λT)·(sinh λT − λT)/λ².
 * The cut rate is 1/E[C] with E[C] = E[S] + E[D], and every cut costs one new opening request.
 *
 * Latency. A message published while the stream is open takes d. One published in the gap
 * waits for the replay: published x after the cut, it leaves with the new stream's replay D − x
 * later and arrives d after that. Messages in the gap are Poisson (D does not depend on them),
 * so a cycle's extra wait is λ·E[D²]/2 on average, shared among λ·E[C] messages (Wald's identity
 * for the λ·E[S] of them that come while the stream is open, S being a stopping time):
 *   mean latency = d + E[D²]/(2·E[C]),
 * the same shape as long polling's d + G²/(2·E[C]); the longest wait is d + max D. A server that
 * does not replay (no log, or a WebSocket without `resume`) loses the share E[D]/E[C] instead,
 * and what it delivers takes d.
 *
 * Heartbeats sent more often than T mean no cut at all: one request for the whole run.
 */
export interface StreamTheory {
  /** Whether a proxy ever cuts the stream: it has one, and no heartbeat comes within its timeout. */
  cuts: boolean;
  /** E[S]: from a stream's opening at the server to the proxy's cut; Infinity when nothing cuts. */
  meanOpenMs: number;
  /** E[D]: the reconnect gap, from the cut to the server's next opening (R + 2d on average). */
  meanGapMs: number;
  /** E[C] = E[S] + E[D]. */
  meanCycleMs: number;
  /**
   * The standard deviation of a cycle, √(Var S + Var D): a run of length L has about L/E[C]
   * cuts, give or take √(L·σ²/E[C]³) (the renewal central limit theorem).
   */
  cycleStdDevMs: number;
  cutsPerMin: number;
  /** Opening requests in a run: the first, then one per cut (edges worth less than one). */
  requests: number;
  requestsPerMin: number;
  heartbeatsPerMin: number;
  /** Mean latency of the messages delivered. */
  meanLatencyMs: number;
  maxLatencyMs: number;
  /** Share of messages lost in reconnect gaps, when the new stream does not replay them. */
  lossFraction: number;
  /** Bytes a minute per client, by direction, as the metrics count them. */
  bytesPerMin: { requests: number; responses: number; total: number };
}

export interface StreamTheoryInput {
  kind: 'sse' | 'websocket';
  ratePerMs: number;
  latencyMs: number;
  /** The run's length: requests per minute include its first opening, SSE ids their digits. */
  durationMs: number;
  /** The proxy's idle timeout; absent without a proxy. */
  proxyIdleTimeoutMs?: number;
  /** SSE comments or WebSocket pings, every so often (0: none). */
  heartbeatMs: number;
  /** The client's wait before it reconnects: SSE's retryMs, WebSocket's first backoff wait. */
  reconnectWaitMs: number;
  /** ± this fraction of the wait, uniformly (WebSocket's backoff jitter; 0 for SSE). */
  reconnectJitter: number;
  /**
   * Whether a new stream replays what was published while the last was down: a server with a
   * log, and SSE (Last-Event-ID) or a WebSocket with `resume`.
   */
  replays: boolean;
  sizes: { requestHeaderBytes: number; responseHeaderBytes: number; messageBytes: number };
}

/** sinh u − u without the cancellation of its two terms when u is small. */
function sinhMinusArg(u: number): number {
  if (u > 0.1) return Math.sinh(u) - u;
  const u2 = u * u;
  return u * u2 * (1 / 6 + u2 * (1 / 120 + u2 * (1 / 5040 + u2 / 362_880)));
}

/**
 * The mean bytes of a message frame over the ids 1…n a run publishes: SSE's `id:` line grows
 * with the id's digits, so ids are taken a digit-count at a time (framing.ts sizes each).
 */
export function meanMessageFrameBytes(
  kind: 'sse' | 'websocket',
  messages: number,
  payloadBytes: number,
): number {
  const k = kind === 'sse' ? RequestKind.sse : RequestKind.websocket;
  const n = Math.max(1, Math.round(messages));
  let sum = 0;
  for (let low = 1; low <= n; low *= 10) {
    const high = Math.min(n, low * 10 - 1);
    sum += (high - low + 1) * messageFrameBytes(k, low, payloadBytes);
  }
  return sum / n;
}

export function streamTheory(p: StreamTheoryInput): StreamTheory {
  const { ratePerMs: l, latencyMs: d, heartbeatMs, proxyIdleTimeoutMs: t } = p;
  const kind = p.kind === 'sse' ? RequestKind.sse : RequestKind.websocket;
  if (t !== undefined && heartbeatMs >= t) {
    // Heartbeats at the open + k·H, not restarted by messages, race the proxy's idle count.
    throw new RangeError(
      `streamTheory: heartbeatMs ${heartbeatMs} at or above the proxy's idle timeout ${t} has no closed form here`,
    );
  }
  const cuts = t !== undefined && heartbeatMs === 0;
  const u = cuts ? l * t : 0;
  const meanOpenMs = !cuts ? Infinity : l === 0 ? t : Math.expm1(u) / l;
  const openVarianceMs2 = !cuts || l === 0 ? 0 : (2 * Math.exp(u) * sinhMinusArg(u)) / (l * l);
  // D = 2d + W, W uniform on R·(1 ± jitter): Var W = (jitter·R)²/3.
  const meanGapMs = p.reconnectWaitMs + 2 * d;
  const gapVarianceMs2 = (p.reconnectJitter * p.reconnectWaitMs) ** 2 / 3;
  const maxGapMs = p.reconnectWaitMs * (1 + p.reconnectJitter) + 2 * d;
  const meanCycleMs = meanOpenMs + meanGapMs;
  const cutsPerMin = cuts ? 60_000 / meanCycleMs : 0;
  const minutes = p.durationMs / 60_000;
  const requests = 1 + cutsPerMin * minutes;
  const requestsPerMin = requests / minutes;
  const heartbeatsPerMin = heartbeatMs > 0 ? 60_000 / heartbeatMs : 0;
  const lossFraction = cuts && !p.replays ? meanGapMs / meanCycleMs : 0;
  const gapSecondMomentMs2 = meanGapMs ** 2 + gapVarianceMs2;
  const replayed = cuts && p.replays;
  const messagesPerMin = l * 60_000;
  const frameBytes = meanMessageFrameBytes(p.kind, l * p.durationMs, p.sizes.messageBytes);
  const requestBytes =
    requestsPerMin * p.sizes.requestHeaderBytes + heartbeatsPerMin * heartbeatReplyBytes(kind);
  const responseBytes =
    requestsPerMin * p.sizes.responseHeaderBytes +
    messagesPerMin * (1 - lossFraction) * frameBytes +
    heartbeatsPerMin * heartbeatBytes(kind);
  return {
    cuts,
    meanOpenMs,
    meanGapMs,
    meanCycleMs,
    cycleStdDevMs: Math.sqrt(openVarianceMs2 + gapVarianceMs2),
    cutsPerMin,
    requests,
    requestsPerMin,
    heartbeatsPerMin,
    meanLatencyMs: replayed ? d + gapSecondMomentMs2 / (2 * meanCycleMs) : d,
    maxLatencyMs: replayed ? d + maxGapMs : d,
    lossFraction,
    bytesPerMin: {
      requests: requestBytes,
      responses: responseBytes,
      total: requestBytes + responseBytes,
    },
  };
}

/** `streamTheory`'s input for a push mode of a scenario, at a message rate. */
export function streamTheoryInput(
  config: Scenario,
  kind: 'sse' | 'websocket',
  ratePerMs: number,
): StreamTheoryInput {
  const sse = kind === 'sse';
  return {
    kind,
    ratePerMs,
    latencyMs: config.network.latencyMs,
    durationMs: config.durationMs,
    proxyIdleTimeoutMs: config.proxy?.idleTimeoutMs,
    heartbeatMs: sse ? config.sse.heartbeatMs : config.websocket.pingIntervalMs,
    // Both waits are at least 1 ms (clientMachine.ts); a WebSocket's backoff starts again from
    // its first wait once a socket has opened.
    reconnectWaitMs: Math.max(1, sse ? config.sse.retryMs : config.backoff.initialMs),
    reconnectJitter: sse ? 0 : config.backoff.jitter,
    replays: config.server.buffer === 'log' && (sse || config.websocket.resume),
    sizes: config.sizes,
  };
}

/** What a mode costs a client, and what its messages wait, by the closed forms. */
export interface ModeTheory {
  requestsPerMin: number;
  bytesPerMin: number;
  meanLatencyMs: number;
}

/**
 * Polling, long polling, SSE and WebSocket side by side at one message rate, with the settings
 * of a scenario (its one-way delay, poll interval and timer, hold, re-poll delay, sizes, proxy,
 * heartbeats and reconnect waits): the lines of a sweep chart. Polling and long polling assume a
 * server that keeps a log and batches (every message is sent once, in the body of one response,
 * `sizes.messageBytes` each) and a hold shorter than any proxy's idle timeout.
 */
export function modesTheory(
  config: Scenario,
  ratePerMs: number,
): Record<'polling' | 'longPolling' | 'sse' | 'websocket', ModeTheory> {
  const latencyMs = config.network.latencyMs;
  const { requestHeaderBytes, responseHeaderBytes, messageBytes } = config.sizes;
  const pull = (requestsPerMin: number, meanLatencyMs: number): ModeTheory => ({
    requestsPerMin,
    bytesPerMin:
      requestsPerMin * (requestHeaderBytes + responseHeaderBytes) +
      ratePerMs * 60_000 * messageBytes,
    meanLatencyMs,
  });
  const polling = pollingTheory({ ...config, ratePerMs, latencyMs });
  const longPolling = longPollingTheory({
    ratePerMs,
    latencyMs,
    holdMs: config.longPollTimeoutMs,
    repollDelayMs: config.repollDelayMs,
  });
  const push = (kind: 'sse' | 'websocket'): ModeTheory => {
    const t = streamTheory(streamTheoryInput(config, kind, ratePerMs));
    return {
      requestsPerMin: t.requestsPerMin,
      bytesPerMin: t.bytesPerMin.total,
      meanLatencyMs: t.meanLatencyMs,
    };
  };
  return {
    polling: pull(polling.requestsPerMin, polling.meanLatencyMs),
    longPolling: pull(longPolling.requestsPerMin, longPolling.meanLatencyMs),
    sse: push('sse'),
    websocket: push('websocket'),
  };
}
