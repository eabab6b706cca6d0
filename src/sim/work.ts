/**
 * A guard against runs beyond reason: the size of a run is estimated from its scenario before
 * anything is simulated, and a run estimated too large is refused with the figures, rather than
 * left to hang a terminal or a browser tab or to run out of memory.
 */
import { count } from '../format';
import { backoffDelayMs } from './clientMachine';
import { modeOf } from './modes';
import { applySet, type MessagesSpec, type Scenario } from './scenario';

/** About 22 bytes an event in the trace: 25 million events is about 550 MB. */
export const MAX_TRACE_EVENTS = 25_000_000;

export class WorkTooLargeError extends Error {
  constructor(
    readonly estimatedEvents: number,
    readonly limit: number,
  ) {
    super(
      `this scenario would make about ${count(estimatedEvents)} trace events, over the limit of ` +
        `${count(limit)}: use fewer clients, a longer poll interval, fewer messages or a shorter duration`,
    );
    this.name = 'WorkTooLargeError';
  }
}

/** Expected messages published in `durationMs` by a workload. */
export function expectedMessages(spec: MessagesSpec, durationMs: number): number {
  if (spec.script) return spec.script.filter((t) => t < durationMs).length;
  if (spec.everyMs !== undefined) return Math.floor(durationMs / spec.everyMs);
  if (spec.poisson) return (spec.poisson.ratePerMin * durationMs) / 60_000;
  if (spec.bursts) return Math.floor(durationMs / spec.bursts.everyMs) * spec.bursts.size;
  return 0;
}

/** The shortest a backoff wait can be: jitter takes up to `jitter` of each wait off. */
const shortestWaitMs = (b: Scenario['backoff'], attempt: number) =>
  backoffDelayMs(b, attempt, () => 0);

/**
 * The most requests a client can send in `windowMs` of failures one after another, each failure
 * taking `cycleMs` (the round trip, and a hold cut short) and then a backoff wait, which grows
 * from the first wait to the cap.
 */
export function failuresWithin(windowMs: number, cycleMs: number, b: Scenario['backoff']): number {
  let usedMs = 0;
  let requests = 0;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const stepMs = cycleMs + shortestWaitMs(b, attempt);
    if (usedMs + stepMs > windowMs) return requests;
    usedMs += stepMs;
    requests++;
    // Once the wait stops growing, the rest of the window is spent in equal steps.
    if (shortestWaitMs(b, attempt + 1) === shortestWaitMs(b, attempt)) {
      return requests + Math.floor((windowMs - usedMs) / stepMs);
    }
  }
  return requests + Math.floor((windowMs - usedMs) / (cycleMs + shortestWaitMs(b, 10_000)));
}

/**
 * An upper estimate of the requests a client sends again after failures, over and above its
 * usual ones: every error and every request given up on is followed by a backoff wait and a
 * retry. A success starts the backoff again from its first wait, so a run of failures between
 * successes (a chain) is priced as if each chain had an equal share of the time, or as one chain. A client on a
 * fixed poll timer does not back off: it waits for its next tick, so its usual requests bound it.
 */
function retries(c: Scenario, durationMs: number, usual: number, messages: number): number {
  const mode = modeOf(c);
  if (mode.fixedTimer(c)) return 0;
  const roundTripMs = 2 * c.network.latencyMs;
  // Runs of failures between `count - 1` successes: at most as many as equal shares of the time
  // allow, or one run through the whole of it (when a share is shorter than one retry).
  const chains = (count: number, cycleMs: number) =>
    Math.max(
      count * failuresWithin(durationMs / count, cycleMs, c.backoff),
      failuresWithin(durationMs, cycleMs, c.backoff),
    );
  let total = 0;
  // A restart: each outage is one run of failures, from the reset to the server coming back.
  for (const fault of c.faults) total += 1 + failuresWithin(fault.downMs, roundTripMs, c.backoff);
  // A proxy that cuts every hold: only a message (a success) ends a run of cuts.
  if (c.proxy && mode.longPoll && c.longPollTimeoutMs > c.proxy.idleTimeoutMs) {
    total += chains(messages + 1, c.proxy.idleTimeoutMs + roundTripMs);
  }
  // A rate limit refuses at once; the requests it lets through end the runs of refusals.
  const limit = c.server.rateLimit;
  if (limit) {
    const allowed = (limit.requestsPerMin * durationMs) / 60_000 + limit.burst;
    total += chains(Math.ceil(allowed) + 1, roundTripMs);
  }
  // A cap on held requests refuses long polls (and streams) at once, while any usual request
  // may succeed.
  if (c.server.maxHeldRequests != null && (mode.longPoll || mode.stream)) {
    total += chains(Math.ceil(usual) + 1, roundTripMs);
  }
  // An application that reopens a refused EventSource after a fixed wait retries without backing
  // off: while anything can refuse it, it may reopen once per wait and round trip.
  const reopenMs = mode.stream?.reopenAfterErrorMs(c);
  const refusals = c.faults.length > 0 || limit || c.server.maxHeldRequests != null;
  if (typeof reopenMs === 'number' && refusals) {
    total += durationMs / Math.max(1, reopenMs + roundTripMs) + 1;
  }
  const timeoutMs = mode.requestTimeoutMs(c);
  const lossRate = c.network.lossRate;
  if (c.clientTimeoutMarginMs < 2 * (c.network.latencyMs + c.network.jitterMs)) {
    // A client that gives up before a round trip can be over may give up on every request.
    total += chains(Math.ceil(usual) + 1, timeoutMs);
  } else if (lossRate > 0) {
    // A request or its response is lost with chance q; each loss costs a client timeout.
    const q = 1 - (1 - lossRate) ** 2;
    total += Math.min(
      (usual * q) / (1 - q),
      durationMs / (timeoutMs + shortestWaitMs(c.backoff, 0)),
    );
  }
  return total;
}

/**
 * An upper estimate of the trace events of a run. A request makes at most six events when polling
 * (sent, arrived, response sent, response arrived or late, a client timeout, a backoff) and eight
 * when long polling (also held, and its hold's end); a message makes one per client (delivered or
 * lost); without a cursor (`buffer: "recent"`), each response also repeats what the server
 * keeps. Every configuration an intervention can bring is priced as if it held for the whole run.
 */
export function estimateEvents(s: Scenario): number {
  const configs = [s];
  for (const iv of [...s.interventions].sort((a, b) => a.atMs - b.atMs)) {
    configs.push(applySet(configs[configs.length - 1], iv.set));
  }
  // Interventions, and each restart's going down and coming back.
  const controlEvents = s.interventions.length + 2 * s.faults.length;
  let worst = 0;
  for (const c of configs) {
    const expected = expectedMessages(c.messages, s.durationMs);
    // A Poisson workload may publish more than expected: four standard deviations more is priced.
    const messages = c.messages.poisson ? expected + 4 * Math.sqrt(expected) + 4 : expected;
    const mode = modeOf(c);
    // The first request goes at the client's start, the rest as the mode sends them; a change of
    // settings may send one at once (a client leaving its poll timer).
    const usual = 1 + s.interventions.length + mode.usualRequests(c, s.durationMs, messages);
    const requests = usual + retries(c, s.durationMs, usual, messages);
    const eventsPerRequest = mode.eventsPerRequest;
    // Without a cursor every response carries what the server keeps, seen before or not.
    const resent =
      c.server.buffer === 'recent' && c.server.batch
        ? requests * Math.min(c.server.bufferLimit ?? messages, messages)
        : 0;
    const perClient =
      requests * eventsPerRequest +
      messages * mode.eventsPerMessage +
      resent +
      mode.otherEvents(c, s.durationMs);
    const events = s.clients * perClient + messages + controlEvents;
    worst = Math.max(worst, events);
  }
  return worst;
}

export function checkWork(s: Scenario, limit = MAX_TRACE_EVENTS): void {
  const events = estimateEvents(s);
  if (events > limit) throw new WorkTooLargeError(events, limit);
}
