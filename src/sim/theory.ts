/**
 * Closed-form expectations from queueing theory (../shared/PRODUCT.md), for messages that arrive
 * at the server as a Poisson process of rate λ, a constant one-way delay d and no loss. Tests hold
 * the simulation to them; the lessons and the compare view show them beside measured figures.
 * Times are in milliseconds and rates per millisecond.
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
  const cycle = g + (Math.exp(-l * g) * (1 - Math.exp(-l * h))) / l;
  const cycleWithoutBuffer = g + (1 - Math.exp(-l * h)) / l;
  return {
    gapMs: g,
    meanCycleMs: cycle,
    requestsPerMin: 60_000 / cycle,
    emptyFraction: Math.exp(-l * (g + h)),
    meanLatencyMs: p.latencyMs + (g * g) / (2 * cycle),
    maxLatencyMs: p.latencyMs + g,
    lossFractionWithoutBuffer: g / cycleWithoutBuffer,
  };
}
