/**
 * Metrics are pure functions of the trace, available at any virtual time: the playground shows
 * them as the playhead moves, and the CLI prints them for the whole run. What each one is called,
 * its unit and how it is read is in the catalogue (catalogue.ts).
 */
import type { Run } from './simulate';
import type { Scenario } from './scenario';
import { applySet } from './scenario';
import { isWastedRoundTrip } from './bins';
import { heartbeatBytes, heartbeatReplyBytes, messageFrameBytes } from './framing';
import {
  endsHold,
  EventKind,
  FrameKind,
  isOkStatus,
  RequestKind,
  ResponseStatus,
  StreamEnd,
} from './trace';

export interface LatencySummary {
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

export interface Metrics {
  /** The virtual time the metrics describe. */
  atMs: number;
  requests: number;
  /** Responses that reached their client (errors included). */
  responses: number;
  /** Successful responses that carried no message: the wasted round trips. */
  emptyResponses: number;
  messageResponses: number;
  messagesPublished: number;
  /** Counted per client: one message broadcast to ten clients and received by all is ten. */
  messagesDelivered: number;
  /** Dropped by the server for a client (no buffer, or the buffer had moved on). */
  messagesLost: number;
  /** Published, but neither delivered to nor lost for a client by then. */
  messagesUndelivered: number;
  duplicates: number;
  /** From publication at the server to arrival at the client; 0 when nothing was delivered. */
  latencyMs: LatencySummary;
  bytes: { requests: number; responses: number; total: number };
  /**
   * `peakRequestsPerSecond`: the most requests that reached the server within one second (any
   * window (t − 1 s, t]), the load a thundering herd puts on it. `rateLimited`: requests refused
   * with 429 because their client was over the rate limit; `overCapacity`: long polls refused
   * with 503 because the server held as many as its cap allows.
   */
  server: {
    peakHeldRequests: number;
    requestsHandled: number;
    peakRequestsPerSecond: number;
    rateLimited: number;
    overCapacity: number;
  };
  /** Long-poll holds that ran out (answered "no new data"). */
  timeouts: number;
  clientTimeouts: number;
  skippedTicks: number;
  /**
   * Error responses that reached a client: server down or restarted, a proxy cut, over the rate
   * limit (429) or over the cap on held requests (503).
   */
  errors: number;
  requestsLost: number;
  responsesLost: number;
  proxyCuts: number;
  /** Heartbeats sent on streams and sockets: SSE comment lines and WebSocket pings. */
  heartbeats: number;
  /** Streams and sockets that ended other than by their client's close: broken, to reconnect. */
  streamBreaks: number;
}

/** The sizes in force at each intervention, so that bytes follow a change of sizes. */
function sizesTimeline(s: Scenario): { fromMs: number; sizes: Scenario['sizes'] }[] {
  const out = [{ fromMs: 0, sizes: s.sizes }];
  let config = s;
  for (const iv of [...s.interventions].sort((a, b) => a.atMs - b.atMs)) {
    config = applySet(config, iv.set);
    if (iv.set.sizes) out.push({ fromMs: iv.atMs, sizes: config.sizes });
  }
  return out;
}

const emptyMetrics = (): Metrics => ({
  atMs: 0,
  requests: 0,
  responses: 0,
  emptyResponses: 0,
  messageResponses: 0,
  messagesPublished: 0,
  messagesDelivered: 0,
  messagesLost: 0,
  messagesUndelivered: 0,
  duplicates: 0,
  latencyMs: { mean: 0, p50: 0, p95: 0, max: 0 },
  bytes: { requests: 0, responses: 0, total: 0 },
  server: {
    peakHeldRequests: 0,
    requestsHandled: 0,
    peakRequestsPerSecond: 0,
    rateLimited: 0,
    overCapacity: 0,
  },
  timeouts: 0,
  clientTimeouts: 0,
  skippedTicks: 0,
  errors: 0,
  requestsLost: 0,
  responsesLost: 0,
  proxyCuts: 0,
  heartbeats: 0,
  streamBreaks: 0,
});

/**
 * Metrics accumulated over a prefix of the trace. It moves forward event by event, so a
 * playhead that advances costs only the events it passes; latencies are kept as a histogram of
 * whole milliseconds, so percentiles need no sort.
 */
export class MetricsAccumulator {
  /** Events [0, index) are counted. */
  index = 0;
  private m = emptyMetrics();
  private held = new Set<number>();
  /** Arrival times at the server within the last second, oldest first from `recentHead`. */
  private recent: number[] = [];
  private recentHead = 0;
  private latencyCounts: number[] = [];
  private latencySum = 0;
  private latencyMax = 0;
  private timeline: { fromMs: number; sizes: Scenario['sizes'] }[];
  private sizeIndex = 0;
  /** The kind of each stream's opening request, for its frames' bytes. */
  private streamKind = new Map<number, number>();

  constructor(private readonly run: Run) {
    this.timeline = sizesTimeline(run.scenario);
  }

  /** Counts the events up to (not including) index `end`; an earlier `end` starts again. */
  advanceTo(end: number): void {
    if (end < this.index) this.reset();
    const { m, held, timeline } = this;
    const { time, kind, status, request, a, b } = this.run.trace;
    let sizes = timeline[this.sizeIndex].sizes;
    for (let i = this.index; i < end; i++) {
      while (
        this.sizeIndex + 1 < timeline.length &&
        timeline[this.sizeIndex + 1].fromMs <= time[i]
      ) {
        sizes = timeline[++this.sizeIndex].sizes;
      }
      if (endsHold(kind[i])) held.delete(request[i]);
      switch (kind[i]) {
        case EventKind.requestSent:
          m.requests++;
          m.bytes.requests += sizes.requestHeaderBytes;
          if (b[i] >= RequestKind.sse) this.streamKind.set(request[i], b[i]);
          break;
        case EventKind.frameSent: {
          const streamKind = this.streamKind.get(request[i]) ?? RequestKind.sse;
          if (status[i] === FrameKind.open) {
            m.bytes.responses += sizes.responseHeaderBytes;
          } else if (status[i] === FrameKind.message) {
            m.bytes.responses += messageFrameBytes(streamKind, a[i], sizes.messageBytes);
          } else {
            m.heartbeats++;
            m.bytes.responses += heartbeatBytes(streamKind);
            m.bytes.requests += heartbeatReplyBytes(streamKind);
          }
          break;
        }
        case EventKind.streamClosed:
          if (status[i] !== StreamEnd.clientClosed) m.streamBreaks++;
          break;
        case EventKind.requestArrived: {
          m.server.requestsHandled++;
          const t = time[i];
          const recent = this.recent;
          recent.push(t);
          while (recent[this.recentHead] <= t - 1000) this.recentHead++;
          const inLastSecond = recent.length - this.recentHead;
          if (inLastSecond > m.server.peakRequestsPerSecond) {
            m.server.peakRequestsPerSecond = inLastSecond;
          }
          if (this.recentHead > 4096) {
            this.recent = recent.slice(this.recentHead);
            this.recentHead = 0;
          }
          break;
        }
        case EventKind.requestHeld:
          held.add(request[i]);
          if (held.size > m.server.peakHeldRequests) m.server.peakHeldRequests = held.size;
          break;
        case EventKind.proxyCut:
          m.proxyCuts++;
          break;
        case EventKind.responseSent:
          if (status[i] === ResponseStatus.rateLimited) m.server.rateLimited++;
          else if (status[i] === ResponseStatus.overCapacity) m.server.overCapacity++;
          m.bytes.responses += sizes.responseHeaderBytes + b[i] * sizes.messageBytes;
          break;
        case EventKind.responseArrived: {
          m.responses++;
          if (isWastedRoundTrip(kind[i], status[i], b[i])) m.emptyResponses++;
          else if (!isOkStatus(status[i])) m.errors++;
          else m.messageResponses++;
          break;
        }
        case EventKind.holdTimeout:
          m.timeouts++;
          break;
        case EventKind.requestLost:
          m.requestsLost++;
          break;
        case EventKind.responseLost:
          m.responsesLost++;
          break;
        case EventKind.messagePublished:
          m.messagesPublished++;
          break;
        case EventKind.messageDelivered:
          if (status[i] === 1) {
            m.duplicates++;
          } else {
            const latency = b[i];
            m.messagesDelivered++;
            this.latencyCounts[latency] = (this.latencyCounts[latency] ?? 0) + 1;
            this.latencySum += latency;
            if (latency > this.latencyMax) this.latencyMax = latency;
          }
          break;
        case EventKind.messageLost:
          m.messagesLost++;
          break;
        case EventKind.clientTimeout:
          m.clientTimeouts++;
          break;
        case EventKind.tickSkipped:
          m.skippedTicks++;
          break;
      }
    }
    this.index = Math.max(this.index, end);
  }

  /** Held requests at this point of the trace. */
  get heldNow(): number {
    return this.held.size;
  }

  /** A copy of the metrics counted so far, described as at `atMs`. */
  snapshot(atMs: number): Metrics {
    const m: Metrics = structuredClone(this.m);
    m.atMs = atMs;
    m.bytes.total = m.bytes.requests + m.bytes.responses;
    m.messagesUndelivered =
      m.messagesPublished * this.run.scenario.clients - m.messagesDelivered - m.messagesLost;
    const n = m.messagesDelivered;
    if (n > 0) {
      m.latencyMs = {
        mean: this.latencySum / n,
        p50: this.latencyQuantile(0.5),
        p95: this.latencyQuantile(0.95),
        max: this.latencyMax,
      };
    }
    return m;
  }

  /** The nearest-rank quantile, read off the histogram of latencies. */
  private latencyQuantile(q: number): number {
    const n = this.m.messagesDelivered;
    const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
    let seen = 0;
    const counts = this.latencyCounts;
    for (let ms = 0; ms < counts.length; ms++) {
      seen += counts[ms] ?? 0;
      if (seen >= rank) return ms;
    }
    return this.latencyMax;
  }

  private reset(): void {
    this.index = 0;
    this.m = emptyMetrics();
    this.held = new Set();
    this.recent = [];
    this.recentHead = 0;
    this.latencyCounts = [];
    this.latencySum = 0;
    this.latencyMax = 0;
    this.sizeIndex = 0;
    this.streamKind = new Map();
  }
}

/**
 * The metrics of a whole run, or of what happened at or before `atMs`. A whole run is described
 * as at its end, or at its duration if its last event came earlier: a client polling every 2 s
 * for a minute made 30 requests in that minute, not in the 58 s to its last answer.
 */
export function computeMetrics(run: Run, atMs = Infinity): Metrics {
  const acc = new MetricsAccumulator(run);
  acc.advanceTo(atMs === Infinity ? run.trace.length : run.trace.indexAfter(atMs));
  return acc.snapshot(atMs === Infinity ? Math.max(run.endMs, run.scenario.durationMs) : atMs);
}

const accumulators = new WeakMap<Run, MetricsAccumulator>();

/**
 * The metrics at a playhead. Successive calls for one run share an accumulator, so a playhead
 * moving forward costs only the events it passes (a move back starts the count again).
 */
export function metricsAt(run: Run, atMs: number): Metrics {
  let acc = accumulators.get(run);
  if (!acc) accumulators.set(run, (acc = new MetricsAccumulator(run)));
  acc.advanceTo(run.trace.indexAfter(atMs));
  return acc.snapshot(atMs);
}
