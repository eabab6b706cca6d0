/**
 * Closed-form expectations from queueing theory (../shared/PRODUCT.md), for messages that arrive
 * at the server as a Poisson process of rate λ, a constant one-way delay d and no loss. Tests hold
 * the simulation to them; the lessons and the compare view show them beside measured figures.
 * Times are in milliseconds and rates per millisecond, unless a name ends in another unit.
 */

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
