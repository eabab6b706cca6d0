/**
 * A guard against runs beyond reason: the size of a run is estimated from its scenario before
 * anything is simulated, and a run estimated too large is refused with the figures, rather than
 * left to hang a terminal or a browser tab or to run out of memory.
 */
import { applySet, type MessagesSpec, type Scenario } from './scenario';

/** About 22 bytes an event in the trace: 25 million events is about 550 MB. */
export const MAX_TRACE_EVENTS = 25_000_000;

export class WorkTooLargeError extends Error {
  constructor(
    readonly estimatedEvents: number,
    readonly limit: number,
  ) {
    super(
      `this scenario would make about ${fmt(estimatedEvents)} trace events, over the limit of ` +
        `${fmt(limit)}: use fewer clients, a longer poll interval, fewer messages or a shorter duration`,
    );
    this.name = 'WorkTooLargeError';
  }
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** Expected messages published in `durationMs` by a workload. */
export function expectedMessages(spec: MessagesSpec, durationMs: number): number {
  if (spec.script) return spec.script.filter((t) => t < durationMs).length;
  if (spec.everyMs !== undefined) return Math.floor(durationMs / spec.everyMs);
  if (spec.poisson) return (spec.poisson.ratePerMin * durationMs) / 60_000;
  if (spec.bursts) return Math.floor(durationMs / spec.bursts.everyMs) * spec.bursts.size;
  return 0;
}

/**
 * An upper estimate of the trace events of a run. Each request makes about five events (sent,
 * arrived, held or answered, response sent, response arrived) and each message one per client;
 * without a cursor (`buffer: "recent"`), each response also repeats what the server keeps.
 * Every configuration an intervention can bring is priced as if it held for the whole run.
 */
export function estimateEvents(s: Scenario): number {
  const configs = [s];
  for (const iv of [...s.interventions].sort((a, b) => a.atMs - b.atMs)) {
    configs.push(applySet(configs[configs.length - 1], iv.set));
  }
  let worst = 0;
  for (const c of configs) {
    const messages = expectedMessages(c.messages, s.durationMs);
    const gapMs = 2 * c.network.latencyMs + c.repollDelayMs;
    const perClientRequests =
      c.mode === 'polling'
        ? s.durationMs / c.pollIntervalMs
        : s.durationMs / Math.max(1, c.longPollTimeoutMs + gapMs) + messages;
    // Without a cursor every response carries what the server keeps, seen before or not.
    const resent =
      c.server.buffer === 'recent' && c.server.batch
        ? perClientRequests * Math.min(c.server.bufferLimit ?? messages, messages)
        : 0;
    const events = s.clients * (perClientRequests * 5 + messages * 2 + resent) + messages;
    worst = Math.max(worst, events);
  }
  return worst;
}

export function checkWork(s: Scenario, limit = MAX_TRACE_EVENTS): void {
  const events = estimateEvents(s);
  if (events > limit) throw new WorkTooLargeError(events, limit);
}
