/**
 * Metrics are pure functions of the trace, available at any virtual time: the playground shows
 * them as the playhead moves, and the CLI prints them for the whole run.
 */
import type { Run } from './simulate';
import type { Scenario } from './scenario';
import { applySet } from './scenario';
import { EventKind, ResponseStatus } from './trace';

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
  server: { peakHeldRequests: number; requestsHandled: number };
  /** Long-poll holds that ran out (answered "no new data"). */
  timeouts: number;
  clientTimeouts: number;
  skippedTicks: number;
  /** Error responses that reached a client: server down or restarted, or a proxy cut. */
  errors: number;
  requestsLost: number;
  responsesLost: number;
  proxyCuts: number;
}

/** Value at quantile q of sorted values, by the nearest-rank method. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
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

export function computeMetrics(run: Run, atMs = Infinity): Metrics {
  const { trace, scenario } = run;
  const end = atMs === Infinity ? trace.length : trace.indexAfter(atMs);
  const m: Metrics = {
    atMs: atMs === Infinity ? run.endMs : atMs,
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
    server: { peakHeldRequests: 0, requestsHandled: 0 },
    timeouts: 0,
    clientTimeouts: 0,
    skippedTicks: 0,
    errors: 0,
    requestsLost: 0,
    responsesLost: 0,
    proxyCuts: 0,
  };
  const timeline = sizesTimeline(scenario);
  let sizeIndex = 0;
  let sizes = timeline[0].sizes;
  const latencies: number[] = [];
  let latencySum = 0;
  const held = new Set<number>();
  const { time, kind, status, request, b } = trace;
  for (let i = 0; i < end; i++) {
    while (sizeIndex + 1 < timeline.length && timeline[sizeIndex + 1].fromMs <= time[i]) {
      sizes = timeline[++sizeIndex].sizes;
    }
    switch (kind[i]) {
      case EventKind.requestSent:
        m.requests++;
        m.bytes.requests += sizes.requestHeaderBytes;
        break;
      case EventKind.requestArrived:
        m.server.requestsHandled++;
        break;
      case EventKind.requestHeld:
        held.add(request[i]);
        if (held.size > m.server.peakHeldRequests) m.server.peakHeldRequests = held.size;
        break;
      case EventKind.proxyCut:
        m.proxyCuts++;
        held.delete(request[i]);
        break;
      case EventKind.responseSent:
        held.delete(request[i]);
        m.bytes.responses += sizes.responseHeaderBytes + b[i] * sizes.messageBytes;
        break;
      case EventKind.responseArrived: {
        m.responses++;
        const st = status[i];
        if (st === ResponseStatus.serverError || st === ResponseStatus.proxyTimeout) m.errors++;
        else if (b[i] === 0) m.emptyResponses++;
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
          m.messagesDelivered++;
          latencies.push(b[i]);
          latencySum += b[i];
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
  m.bytes.total = m.bytes.requests + m.bytes.responses;
  m.messagesUndelivered =
    m.messagesPublished * scenario.clients - m.messagesDelivered - m.messagesLost;
  if (latencies.length > 0) {
    const sorted = Float64Array.from(latencies).sort();
    m.latencyMs = {
      mean: latencySum / sorted.length,
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      max: sorted[sorted.length - 1],
    };
  }
  return m;
}
