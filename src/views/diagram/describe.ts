/**
 * Words for the sequence diagram's marks: the accessible name of each mark, the details shown
 * when it is hovered or focused, and the label of an intervention. What lies after the playhead
 * is never told (an arrow in flight has no arrival time yet), except what the sender already
 * knows: a held request's deadline, a backoff's wait, the messages a response carries.
 *
 * People count from 1: client id 0 is "client 1" and request id 0 is "request 1".
 */
import { configAt, EventKind, ResponseStatus, type InterventionSet, type Run } from '../../sim';
import {
  LOST_FRACTION,
  MarkFlag,
  MarkKind,
  messageRange,
  opensStream,
  responseLook,
  streamTimes,
  type SequenceLayout,
} from '../sequenceLayout';
import { FrameKind, StreamEnd } from '../../sim/trace';
import { transportOf } from '../transports';
import { bytes, clock, count, duration } from '../../format';
import { isRefusalStatus, refusalWords } from '../refusals';

/** "3.20 s": a moment of virtual time, to a hundredth of a second. */
export const seconds = (ms: number): string => clock(ms, 2);

// The diagram's durations read as everywhere else ("850 ms", "1.05 s"); draw.ts takes it from here.
export { duration };

const clientName = (c: number) => `client ${c + 1}`;
const requestName = (r: number) => `request ${r + 1}`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The four modes, as a diagram's label names them. */
const MODE_NAMES: Record<NonNullable<InterventionSet['mode']>, string> = {
  polling: 'polling',
  'long-polling': 'long polling',
  sse: 'SSE',
  websocket: 'WebSocket',
};

/** "→ long polling, hold 10 s": what an intervention changed, in a few words. */
export function describeSet(set: InterventionSet): string {
  const parts: string[] = [];
  if (set.mode) parts.push(`→ ${MODE_NAMES[set.mode]}`);
  if (set.pollIntervalMs !== undefined) parts.push(`poll every ${duration(set.pollIntervalMs)}`);
  if (set.pollTimer) {
    parts.push(set.pollTimer === 'fixed' ? 'fixed poll timer' : 'poll after each response');
  }
  if (set.longPollTimeoutMs !== undefined) parts.push(`hold ${duration(set.longPollTimeoutMs)}`);
  if (set.repollDelayMs !== undefined) parts.push(`re-poll after ${duration(set.repollDelayMs)}`);
  if (set.clientTimeoutMarginMs !== undefined) {
    parts.push(`client timeout margin ${duration(set.clientTimeoutMarginMs)}`);
  }
  if (set.backoff) parts.push('new backoff');
  if (set.server) {
    const buffers = { log: 'message log', none: 'no buffer', recent: 'no cursor' } as const;
    if (set.server.buffer) parts.push(buffers[set.server.buffer]);
    if (set.server.batch !== undefined) parts.push(set.server.batch ? 'batching' : 'no batching');
    if (set.server.bufferLimit !== undefined) parts.push(`keep ${set.server.bufferLimit} msgs`);
    const { rateLimit, maxHeldRequests } = set.server;
    if (rateLimit === null) parts.push('no rate limit');
    else if (rateLimit) {
      if (rateLimit.requestsPerMin !== undefined) {
        parts.push(`rate limit ${count(rateLimit.requestsPerMin)}/min`);
      }
      if (rateLimit.burst !== undefined) parts.push(`burst ${count(rateLimit.burst)}`);
    }
    if (maxHeldRequests === null) parts.push('no hold cap');
    else if (maxHeldRequests !== undefined) parts.push(`hold at most ${count(maxHeldRequests)}`);
  }
  if (set.network) {
    if (set.network.latencyMs !== undefined)
      parts.push(`latency ${duration(set.network.latencyMs)}`);
    if (set.network.jitterMs !== undefined) parts.push(`jitter ${duration(set.network.jitterMs)}`);
    if (set.network.lossRate !== undefined) {
      parts.push(`loss ${Math.round(set.network.lossRate * 100)} %`);
    }
  }
  if (set.sse) {
    if (set.sse.retryMs !== undefined) parts.push(`SSE retry ${duration(set.sse.retryMs)}`);
    if (set.sse.heartbeatMs !== undefined) {
      parts.push(
        set.sse.heartbeatMs > 0
          ? `heartbeat every ${duration(set.sse.heartbeatMs)}`
          : 'no heartbeat',
      );
    }
    if (set.sse.reopenAfterErrorMs !== undefined) {
      parts.push(
        set.sse.reopenAfterErrorMs === null
          ? 'no reopen after an error'
          : `reopen after ${duration(set.sse.reopenAfterErrorMs)}`,
      );
    }
  }
  if (set.websocket) {
    const { pingIntervalMs, resume } = set.websocket;
    if (pingIntervalMs !== undefined) {
      parts.push(pingIntervalMs > 0 ? `ping every ${duration(pingIntervalMs)}` : 'no pings');
    }
    if (resume !== undefined) parts.push(resume ? 'resume on' : 'resume off');
  }
  if (set.sizes) parts.push('new sizes');
  if (set.messages) parts.push('new workload');
  if (set.proxy === null) parts.push('proxy removed');
  else if (set.proxy) {
    parts.push(
      set.proxy.idleTimeoutMs !== undefined
        ? `proxy cuts at ${duration(set.proxy.idleTimeoutMs)}`
        : 'proxy added',
    );
  }
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

/** The label of the intervention mark `m`. */
export function interventionLabel(run: Run, layout: SequenceLayout, m: number): string {
  const iv = run.scenario.interventions[layout.a[m]];
  return iv ? describeSet(iv.set) : 'intervention';
}

export interface MarkDescription {
  /** One sentence: the mark's accessible name. */
  label: string;
  /** More facts for the details panel (ids, cursor, bytes, latency). */
  details: string[];
}

/** Describes mark `m` as seen at `nowMs`. */
export function describeMark(
  run: Run,
  layout: SequenceLayout,
  m: number,
  nowMs: number,
): MarkDescription {
  const { t0, t1, flags, client, request, a, b } = layout;
  const c = client[m];
  const r = request[m];
  const done = nowMs >= t1[m];
  const lost = (flags[m] & MarkFlag.lost) !== 0;
  const details: string[] = [];
  let label: string;
  switch (layout.kind[m]) {
    case MarkKind.request: {
      const sizes = configAt(run.scenario, t0[m]).sizes;
      const end = lost
        ? nowMs >= t0[m] + (t1[m] - t0[m]) * LOST_FRACTION
          ? 'lost in the network'
          : 'in flight'
        : done
          ? `arrived ${seconds(t1[m])}`
          : 'in flight';
      if (opensStream(layout, m)) {
        const socket = (flags[m] & MarkFlag.websocket) !== 0;
        const what = socket ? 'WebSocket upgrade request' : 'SSE stream request (GET)';
        label = `${cap(what)} ${r + 1} from ${clientName(c)}, sent ${seconds(t0[m])}, ${end}`;
        details.push(
          socket ? 'asks to switch the connection to WebSocket' : 'asks for an event stream',
        );
        if (a[m] > 0) {
          details.push(
            socket
              ? `cursor #${a[m]} (replayed only with resume on)`
              : `Last-Event-ID: ${a[m]} (the last message it saw)`,
          );
        }
      } else {
        label = `${cap(requestName(r))} from ${clientName(c)}, sent ${seconds(t0[m])}, ${end}`;
        details.push(b[m] === 1 ? 'long poll' : 'poll');
        details.push(
          a[m] > 0 ? `cursor #${a[m]} (last message seen)` : 'cursor 0 (no message yet)',
        );
      }
      details.push(`${bytes(sizes.requestHeaderBytes)} of headers`);
      if (done && !lost) details.push(`transit ${duration(t1[m] - t0[m])}`);
      break;
    }
    case MarkKind.response: {
      const sizes = configAt(run.scenario, t0[m]).sizes;
      const look = responseLook(layout, m);
      const status = layout.status[m];
      let what: string;
      // Why the server refused, from the configuration in force when it answered.
      let why = '';
      if (look === 'messages') what = `Response with messages ${messageRange(a[m], b[m])}`;
      else if (status === ResponseStatus.proxyTimeout) what = 'Error response 504 from the proxy';
      else if (isRefusalStatus(status)) {
        const [http, reason] = refusalWords(status, configAt(run.scenario, t0[m]).server, c);
        what = `Error response ${http}`;
        why = `: ${reason}`;
      } else if (look === 'error') what = 'Error response (server down or restarting)';
      else {
        what =
          status === ResponseStatus.holdTimeout
            ? 'Empty response (hold timed out, no new data)'
            : 'Empty response (no new data)';
      }
      let end: string;
      if (lost) {
        end =
          nowMs >= t0[m] + (t1[m] - t0[m]) * LOST_FRACTION ? 'lost in the network' : 'in flight';
      } else if (!done) end = 'in flight';
      else if (flags[m] & MarkFlag.late) end = `arrived ${seconds(t1[m])} after the client gave up`;
      else end = `arrived ${seconds(t1[m])}`;
      label = `${what} to ${requestName(r)} of ${clientName(c)}, sent ${seconds(t0[m])}, ${end}${why}`;
      const body = b[m] * sizes.messageBytes;
      details.push(
        `${bytes(sizes.responseHeaderBytes + body)} (${bytes(sizes.responseHeaderBytes)} headers` +
          (b[m] > 0 ? ` + ${b[m]} × ${bytes(sizes.messageBytes)})` : ')'),
      );
      if (look === 'empty') details.push('a wasted round trip');
      if (status === ResponseStatus.rateLimited) {
        details.push('refused at once, before the server looked for messages');
      } else if (status === ResponseStatus.overCapacity) {
        details.push('refused at once instead of being held');
      }
      if (flags[m] & MarkFlag.late) details.push('ignored: the client had timed out');
      break;
    }
    case MarkKind.hold: {
      const deadline = a[m];
      if (nowMs < t1[m]) {
        label =
          `${cap(requestName(r))} from ${clientName(c)} held at the server since ` +
          `${seconds(t0[m])}, ${duration(Math.max(0, deadline - nowMs))} left before the hold times out`;
      } else {
        const endKind = layout.endEvent[m] >= 0 ? run.trace.kind[layout.endEvent[m]] : -1;
        const why =
          t1[m] >= deadline
            ? 'timed out'
            : endKind === EventKind.proxyCut
              ? 'cut by the proxy'
              : endKind === EventKind.requestAborted
                ? 'closed by the client, which had given up'
                : 'answered';
        label =
          `${cap(requestName(r))} from ${clientName(c)} held at the server from ` +
          `${seconds(t0[m])} to ${seconds(t1[m])} (${duration(t1[m] - t0[m])}), ${why}`;
      }
      details.push(`hold deadline ${seconds(deadline)}`);
      break;
    }
    case MarkKind.holdTimeout:
      label = `Hold timeout of ${requestName(r)} from ${clientName(c)} at ${seconds(t0[m])}: the server answers with no new data`;
      break;
    case MarkKind.published:
      label = `Message #${a[m]} published at the server at ${seconds(t0[m])}`;
      break;
    case MarkKind.delivered: {
      const lat: number[] = [];
      for (let k = 0; k < b[m]; k++) {
        const i = layout.event[m] + k;
        if (i < run.trace.length) lat.push(run.trace.b[i]);
      }
      const min = Math.min(...lat);
      const max = Math.max(...lat);
      const latency = min === max ? duration(min) : `${duration(min)} to ${duration(max)}`;
      label =
        `${b[m] > 1 ? 'Messages' : 'Message'} ${messageRange(a[m], b[m])} delivered to ` +
        `${clientName(c)} at ${seconds(t0[m])}, latency ${latency}`;
      details.push(`by ${requestName(r)}`);
      if (flags[m] & MarkFlag.duplicate) details.push('includes a duplicate (already seen)');
      break;
    }
    case MarkKind.messageLost:
      label = `Message #${a[m]} lost for ${clientName(c)} at ${seconds(t0[m])}: the server no longer has it`;
      break;
    case MarkKind.clientTimeout:
      label = `${cap(clientName(c))} gave up on ${requestName(r)} at ${seconds(t0[m])} (client timeout)`;
      break;
    case MarkKind.backoff: {
      const left = t1[m] - nowMs;
      if (b[m] === 0) {
        // An EventSource's own wait before it reconnects (its retry time), not a backoff.
        label =
          `${cap(clientName(c))} waits ${duration(a[m])} (the EventSource's retry time) before ` +
          `reconnecting, from ${seconds(t0[m])}` +
          (left > 0 ? `, ${duration(left)} left` : ` to ${seconds(t1[m])}`);
        break;
      }
      label =
        `${cap(clientName(c))} backs off ${duration(a[m])} before retrying (attempt ${b[m]}), ` +
        `from ${seconds(t0[m])}` +
        (left > 0 ? `, ${duration(left)} left` : ` to ${seconds(t1[m])}`);
      break;
    }
    case MarkKind.tickSkipped:
      label = `${cap(clientName(c))} skipped a poll at ${seconds(t0[m])}: ${requestName(r)} was still waiting for its response`;
      break;
    case MarkKind.proxyCut: {
      const proxy = configAt(run.scenario, t0[m]).proxy;
      if (run.trace.kind[layout.event[m]] === EventKind.streamClosed) {
        const what = transportOf(run.trace, r) === 'websocket' ? 'WebSocket' : 'SSE stream';
        label =
          `The proxy cut the idle ${what} of ${clientName(c)} (${requestName(r)}) at ` +
          `${seconds(t0[m])}` +
          (proxy ? ` after ${duration(proxy.idleTimeoutMs)} without a byte` : '');
        details.push('a heartbeat or ping more often than this would have kept it open');
        break;
      }
      label =
        `The proxy cut ${requestName(r)} from ${clientName(c)} at ${seconds(t0[m])}` +
        (proxy ? ` after ${duration(proxy.idleTimeoutMs)} without an answer` : '');
      break;
    }
    case MarkKind.serverDown:
      label =
        nowMs < t1[m]
          ? `Server down since ${seconds(t0[m])} (restarting), back in ${duration(t1[m] - nowMs)}`
          : `Server down from ${seconds(t0[m])} to ${seconds(t1[m])} (restart)`;
      break;
    case MarkKind.intervention:
      label = `Intervention at ${seconds(t0[m])}: ${interventionLabel(run, layout, m)}`;
      break;
    case MarkKind.stream:
      return describeStream(run, layout, m, nowMs);
    case MarkKind.frame:
      return describeFrame(run, layout, m, nowMs);
    case MarkKind.streamBroken: {
      const socket = (flags[m] & MarkFlag.websocket) !== 0;
      const what = socket ? 'WebSocket' : 'SSE stream';
      const why =
        layout.status[m] === StreamEnd.proxyTimeout
          ? 'the proxy cut it'
          : 'the server went down and reset it';
      const then = socket
        ? 'it backs off, then opens a new one'
        : `it reconnects after ${duration(configAt(run.scenario, t0[m]).sse.retryMs)}`;
      label = `${cap(clientName(c))}'s ${what} (${requestName(r)}) broke at ${seconds(t0[m])}: ${why}; ${then}`;
      break;
    }
    default:
      label = 'Mark';
  }
  return { label, details };
}

const END_WORDS: Record<number, string> = {
  [StreamEnd.clientClosed]: 'closed by the client',
  [StreamEnd.serverError]: 'reset by the server going down',
  [StreamEnd.proxyTimeout]: 'cut by the proxy (idle)',
};

/** A stream or socket band: open since when, or from when to when and how it ended. */
function describeStream(
  run: Run,
  layout: SequenceLayout,
  m: number,
  nowMs: number,
): MarkDescription {
  const { client, request, flags } = layout;
  const socket = (flags[m] & MarkFlag.websocket) !== 0;
  const what = socket ? 'WebSocket' : 'SSE stream';
  const t = streamTimes(layout, m);
  const name = `${what} of ${clientName(client[m])} (${requestName(request[m])})`;
  const details: string[] = [];
  const over = layout.endEvent[m] >= 0 || layout.b[m] >= 0;
  let label: string;
  if (nowMs < t.clientFromMs) {
    label = `${name}: accepted by the server at ${seconds(t.serverFromMs)}, opening`;
  } else if (nowMs < t.clientToMs || !over) {
    label = `${name}, open since ${seconds(t.clientFromMs)} (${duration(nowMs - t.clientFromMs)})`;
    if (layout.b[m] >= 0 && layout.b[m] <= nowMs) {
      label += `, ${END_WORDS[layout.status[m]]} at ${seconds(layout.b[m])}`;
    }
  } else {
    label =
      `${name}, open from ${seconds(t.clientFromMs)} to ${seconds(t.clientToMs)} ` +
      `(${duration(t.clientToMs - t.clientFromMs)}), ${END_WORDS[layout.status[m]]}`;
  }
  details.push('one request, answered once; the server pushes each message on it');
  if (!socket) {
    const { heartbeatMs } = configAt(run.scenario, layout.t0[m]).sse;
    details.push(heartbeatMs > 0 ? `heartbeat every ${duration(heartbeatMs)}` : 'no heartbeats');
  } else {
    const { pingIntervalMs } = configAt(run.scenario, layout.t0[m]).websocket;
    details.push(pingIntervalMs > 0 ? `ping every ${duration(pingIntervalMs)}` : 'no pings');
  }
  return { label, details };
}

/** A frame on a stream: the open answer, a message event, a heartbeat or ping. */
function describeFrame(
  run: Run,
  layout: SequenceLayout,
  m: number,
  nowMs: number,
): MarkDescription {
  const { t0, t1, a, b, flags, client, request } = layout;
  const socket = (flags[m] & MarkFlag.websocket) !== 0;
  const lost = (flags[m] & MarkFlag.lost) !== 0;
  const on = `${clientName(client[m])}'s ${socket ? 'WebSocket' : 'SSE stream'}`;
  let what: string;
  switch (layout.status[m]) {
    case FrameKind.open:
      what = socket
        ? `101 Switching Protocols: the server accepts ${requestName(request[m])}, opening ${on}`
        : `200 OK: the server accepts ${requestName(request[m])}, opening ${on}`;
      break;
    case FrameKind.message:
      what = `${b[m] > 1 ? 'Messages' : 'Message'} ${messageRange(a[m], b[m])} on ${on}`;
      break;
    default:
      what = socket ? `Ping on ${on}` : `Heartbeat (a comment line) on ${on}`;
  }
  let end: string;
  if (lost) {
    end =
      nowMs >= t0[m] + (t1[m] - t0[m]) * LOST_FRACTION
        ? 'not delivered: the stream had ended'
        : 'in flight';
  } else end = nowMs >= t1[m] ? `arrived ${seconds(t1[m])}` : 'in flight';
  const label = `${what}, sent ${seconds(t0[m])}, ${end}`;
  const details: string[] = [];
  if (layout.status[m] === FrameKind.heartbeat) {
    details.push('keeps the connection from looking idle to a proxy');
  }
  return { label, details };
}
