/**
 * The trace in plain English: one sentence per event, for the event log and its live
 * announcements. Clients and requests are counted from 1 here, as people count ("Client 1 sends
 * request #1"), while the trace and its JSON export count them from 0; message ids already
 * start at 1.
 */
import {
  configAt,
  EventKind,
  isOkStatus,
  STATUS_NAMES,
  type EventName,
  type InterventionSet,
  type Run,
  type TraceEvent,
} from '../sim';
import { decimal, duration } from '../format';
import { isRefusalStatus, rateLimitWords, refusalWords } from './refusals';
import { transportNoun, transportOf } from './transports';

/** How the event log groups the kinds of events for its filters. */
export type EventGroup = 'requests' | 'responses' | 'messages' | 'errors' | 'interventions';

export const EVENT_GROUPS: { group: EventGroup; label: string }[] = [
  { group: 'requests', label: 'Requests' },
  { group: 'responses', label: 'Responses' },
  { group: 'messages', label: 'Messages' },
  { group: 'errors', label: 'Errors and timeouts' },
  { group: 'interventions', label: 'Interventions' },
];

export const GROUP_OF: Record<EventName, EventGroup> = {
  'request.sent': 'requests',
  'request.arrived': 'requests',
  'request.held': 'requests',
  'tick.skipped': 'requests',
  'response.sent': 'responses',
  'response.arrived': 'responses',
  'response.late': 'responses',
  'message.published': 'messages',
  'message.delivered': 'messages',
  'message.lost': 'messages',
  'request.lost': 'errors',
  'response.lost': 'errors',
  'hold.timeout': 'errors',
  'client.timeout': 'errors',
  'client.backoff': 'errors',
  'proxy.cut': 'errors',
  'request.aborted': 'errors',
  'server.down': 'errors',
  'server.up': 'errors',
  intervention: 'interventions',
  // The server's answers on an open stream; a broken stream is filed under errors (below).
  'frame.sent': 'responses',
  'frame.arrived': 'responses',
  'stream.closed': 'requests',
  'stream.ended': 'requests',
};

/**
 * Whether an event is a response that says an error (a 429, a 503, a proxy's 504, a server
 * down), or a stream that broke (cut by the proxy, reset by a restart): the log files those
 * under "Errors and timeouts" rather than "Responses" or "Requests".
 */
export function isErrorResponse(kind: number, status: number): boolean {
  if (kind === EventKind.streamClosed || kind === EventKind.streamEnded) {
    return status !== 0; // StreamEnd.clientClosed
  }
  return (
    (kind === EventKind.responseSent ||
      kind === EventKind.responseArrived ||
      kind === EventKind.lateResponse) &&
    !isOkStatus(status)
  );
}

/** "Client 1" for the trace's client 0. */
export const clientName = (client: number | undefined) => `Client ${(client ?? -1) + 1}`;
/** "#1" for the trace's request 0. */
export const requestName = (request: number | undefined) => `#${(request ?? -1) + 1}`;

/** "message #4", "messages #4–#6". */
function messageList(ids: number[]): string {
  if (ids.length === 1) return `message #${ids[0]}`;
  return `messages #${ids[0]}–#${ids[ids.length - 1]}`;
}

/**
 * The time the server sent the response to `e`'s request: where the limits it applied are read.
 * An arrival looks back for the sending only when an intervention changed a limit.
 */
function sentAtMs(e: TraceEvent, run: Run): number {
  if (e.kind !== 'response.arrived') return e.t;
  const changed = run.scenario.interventions.some(
    (iv) => iv.set.server && ('rateLimit' in iv.set.server || 'maxHeldRequests' in iv.set.server),
  );
  if (!changed) return e.t;
  const { kind, request } = run.trace;
  for (let i = e.i - 1; i >= 0; i--) {
    if (kind[i] === EventKind.responseSent && request[i] === e.request) return run.trace.time[i];
  }
  return e.t;
}

/** A response event's status as the trace codes it. */
const statusOf = (e: TraceEvent) => STATUS_NAMES.indexOf(e.status ?? 'ok');

/** A refusal's status and why, from the limits in force when the server sent it. */
const refusal = (e: TraceEvent, run: Run) =>
  refusalWords(statusOf(e), configAt(run.scenario, sentAtMs(e, run)).server, e.client ?? -1);

const isRefusal = (e: TraceEvent) => isRefusalStatus(statusOf(e));

/** What a response carried, as the end of a sentence. */
function payload(e: TraceEvent): string {
  const ids = e.messages ?? [];
  switch (e.status) {
    case 'server-error':
      return 'an error (the server is restarting)';
    case 'proxy-timeout':
      return 'a gateway timeout (the proxy cut the idle request)';
    case 'hold-timeout':
      return 'no new data (hold timeout) — a wasted round trip';
    default:
      return ids.length > 0 ? messageList(ids) : 'no new data — a wasted round trip';
  }
}

const SET_LABELS: Record<string, string> = {
  pollIntervalMs: 'poll interval',
  pollTimer: 'poll timer',
  longPollTimeoutMs: 'long-poll timeout',
  repollDelayMs: 're-poll delay',
  clientTimeoutMarginMs: 'client timeout margin',
  'network.latencyMs': 'network latency',
  'network.jitterMs': 'jitter',
  'network.lossRate': 'loss',
  'server.batch': 'batching',
  'server.buffer': 'server buffer',
  'server.bufferLimit': 'buffer limit',
  'server.rateLimit': 'rate limit',
  'server.maxHeldRequests': 'held-request cap',
  'proxy.idleTimeoutMs': 'proxy idle timeout',
  'sse.retryMs': 'SSE retry',
  'sse.heartbeatMs': 'SSE heartbeat',
  'sse.reopenAfterErrorMs': 'SSE reopen after an error',
  'websocket.pingIntervalMs': 'WebSocket ping interval',
  'websocket.resume': 'WebSocket resume',
};

/** The modes as the mode switch names them. */
export const MODE_WORDS: Record<string, string> = {
  polling: 'polling',
  'long-polling': 'long polling',
  sse: 'Server-Sent Events',
  websocket: 'WebSocket',
};

function settingValue(path: string, value: unknown): string {
  if (typeof value === 'number') {
    if (path === 'network.lossRate') return `${decimal(value * 100, 2)} %`;
    if (path.endsWith('Ms')) return duration(value);
    return decimal(value);
  }
  if (path === 'mode' && typeof value === 'string') return MODE_WORDS[value] ?? value;
  if (path === 'sse.reopenAfterErrorMs' && value === null) return 'never';
  if (value === 'after-response') return 'after each response';
  if (path === 'server.buffer') {
    return value === 'log'
      ? 'message log'
      : value === 'recent'
        ? 'recent messages, no cursor'
        : 'none';
  }
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

function workload(m: NonNullable<InterventionSet['messages']>): string {
  if (m.poisson) return `${decimal(m.poisson.ratePerMin, 2)} messages a minute at random`;
  if (m.everyMs !== undefined) return `one message every ${duration(m.everyMs)}`;
  if (m.bursts) return `bursts of ${m.bursts.size} every ${duration(m.bursts.everyMs)}`;
  return m.script && m.script.length > 0 ? `${m.script.length} scripted messages` : 'no messages';
}

/** The changes of an intervention in words: "mode → long polling, network latency → 120 ms". */
export function describeSet(set: InterventionSet): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(set)) {
    if (value === undefined) continue;
    if (key === 'mode') parts.push(`mode → ${settingValue(key, value)}`);
    else if (key === 'messages' && set.messages) parts.push(`workload → ${workload(set.messages)}`);
    else if (key === 'proxy' && value === null) parts.push('proxy removed');
    else if (typeof value === 'object' && value !== null) {
      for (const [sub, subValue] of Object.entries(value)) {
        const path = `${key}.${sub}`;
        const label = SET_LABELS[path] ?? path;
        let shown: string;
        if (subValue === undefined) shown = 'unlimited';
        else if (subValue === null) shown = path === 'sse.reopenAfterErrorMs' ? 'never' : 'none';
        else if (path === 'server.rateLimit') {
          shown = rateLimitWords(subValue as { requestsPerMin?: number; burst?: number });
        } else shown = settingValue(path, subValue);
        parts.push(`${label} → ${shown}`);
      }
    } else parts.push(`${SET_LABELS[key] ?? key} → ${settingValue(key, value)}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

/** One event as a sentence, e.g. "Client 2 sends request #14 (long poll, cursor 3)". */
export function describeEvent(e: TraceEvent, run: Run): string {
  const client = clientName(e.client);
  const request = `request ${requestName(e.request)}`;
  switch (e.kind) {
    case 'request.sent':
      if (e.transport === 'sse') {
        const id = (e.cursor ?? 0) > 0 ? `, Last-Event-ID ${e.cursor}` : '';
        return `${client} opens an SSE stream (${request}${id})`;
      }
      if (e.transport === 'websocket') {
        const resume = (e.cursor ?? 0) > 0 && configAt(run.scenario, e.t).websocket.resume;
        return `${client} opens a WebSocket (${request}, an upgrade${resume ? `, resuming after message #${e.cursor}` : ''})`;
      }
      return `${client} sends ${request} (${e.longPoll ? 'long poll' : 'poll'}, cursor ${e.cursor ?? 0})`;
    case 'frame.sent':
    case 'frame.arrived':
      return frameSentence(e, run);
    case 'stream.closed':
    case 'stream.ended':
      return streamEndSentence(e, run);
    case 'request.lost':
      return `${client}'s ${request} is lost on the way to the server`;
    case 'request.arrived':
      return `Server receives ${request} from ${client.toLowerCase()}`;
    case 'request.held':
      return `Server holds ${request} for up to ${duration((e.holdUntilMs ?? e.t) - e.t)}, waiting for new data`;
    case 'hold.timeout':
      return `The hold of ${request} runs out with no new data`;
    case 'response.sent': {
      if (isRefusal(e)) {
        const [status, why] = refusal(e, run);
        return `Server refuses ${request} with ${status}: ${why}`;
      }
      const who = e.status === 'proxy-timeout' ? 'Proxy' : 'Server';
      return `${who} answers ${request} with ${payload(e)}`;
    }
    case 'response.lost':
      return `The answer to ${request} is lost on the way to ${client.toLowerCase()}`;
    case 'response.arrived': {
      if (isRefusal(e)) {
        const [status, why] = refusal(e, run);
        return `${client} receives ${status} for ${request}: ${why}${afterRefusedStream(e, run)}`;
      }
      return `${client} receives the answer to ${request}: ${payload(e)}${afterRefusedStream(e, run)}`;
    }
    case 'response.late':
      return `${client} ignores a late answer to ${request} (it had already given up)`;
    case 'message.published':
      return `Message #${e.message} published`;
    case 'message.delivered':
      return e.duplicate
        ? `${client} receives message #${e.message} again (a duplicate)`
        : `${client} receives message #${e.message} after ${duration(e.latencyMs ?? 0)}`;
    case 'message.lost': {
      const { buffer, batch } = configAt(run.scenario, e.t).server;
      const why =
        buffer === 'none'
          ? 'no request was waiting and the server keeps no buffer'
          : buffer === 'recent' && !batch
            ? 'the server sends only its latest message, and a newer one came first'
            : "it had dropped out of the server's buffer";
      return `${client} misses message #${e.message}: ${why}`;
    }
    case 'client.timeout':
      return `${client} gives up waiting for ${request} (client timeout)`;
    case 'client.backoff':
      return `${client} waits ${duration(e.waitMs ?? 0)} before trying again (attempt ${e.attempt})`;
    case 'tick.skipped':
      return `${client} skips a poll: ${request} is still unanswered`;
    case 'proxy.cut':
      return `Proxy cuts ${request}: idle for too long`;
    case 'request.aborted':
      return `Server stops holding ${request}: ${client} gave up and closed the connection`;
    case 'intervention': {
      const iv = run.scenario.interventions[e.index ?? -1];
      return iv ? `Teacher changes ${describeSet(iv.set)}` : 'Teacher changes a setting';
    }
    case 'server.down':
      return `Server goes down for ${duration(e.downMs ?? 0)} (restart); held requests get an error`;
    case 'server.up':
      return 'Server is back up';
  }
}

/** "Client 2's stream" or "client 2's WebSocket", for the stream of `e`'s request. */
function streamOf(e: TraceEvent, run: Run): { noun: string; socket: boolean } {
  const socket = transportOf(run.trace, e.request) === 'websocket';
  return { noun: socket ? 'WebSocket' : 'stream', socket };
}

/** A frame on an open stream, as the server sends it or the client gets it. */
function frameSentence(e: TraceEvent, run: Run): string {
  const client = clientName(e.client);
  const who = client.toLowerCase();
  const { noun, socket } = streamOf(e, run);
  const sent = e.kind === 'frame.sent';
  switch (e.frame) {
    case 'open':
      if (sent) {
        return socket
          ? `Server accepts ${who}'s WebSocket (request ${requestName(e.request)}): 101 Switching Protocols`
          : `Server accepts ${who}'s SSE stream (request ${requestName(e.request)}): 200 OK, the response stays open`;
      }
      return `${client}'s ${transportNoun(socket ? 'websocket' : 'sse')} is open`;
    case 'message': {
      const what = messageList(e.messages ?? []);
      return sent
        ? `Server sends ${what} on ${who}'s ${noun}`
        : `${cap(what)} reaches ${who} on its ${noun}`;
    }
    default:
      if (socket) return sent ? `Server pings ${who}'s WebSocket` : `The ping reaches ${who}`;
      return sent
        ? `Server sends a heartbeat (a comment line) on ${who}'s stream`
        : `The heartbeat reaches ${who}`;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A stream's end, at the server (closed) or at the client (ended). */
function streamEndSentence(e: TraceEvent, run: Run): string {
  const client = clientName(e.client);
  const who = client.toLowerCase();
  const { noun, socket } = streamOf(e, run);
  if (e.kind === 'stream.closed') {
    switch (e.reason) {
      case 'proxy-timeout': {
        const proxy = configAt(run.scenario, e.t).proxy;
        const idle = proxy ? `: no byte for ${duration(proxy.idleTimeoutMs)}` : '';
        return `The proxy cuts ${who}'s idle ${noun}${idle}`;
      }
      case 'server-error':
        return `The server's restart closes ${who}'s ${noun}`;
      default:
        return `Server sees ${who} close its ${noun}`;
    }
  }
  if (e.reason === 'client-closed') return `${client} closes its ${noun}`;
  const why = e.reason === 'proxy-timeout' ? 'cut by the proxy' : 'the server is restarting';
  const then = socket
    ? 'it backs off, then reconnects'
    : `it reconnects in ${duration(configAt(run.scenario, e.t).sse.retryMs)}`;
  return `${client}'s ${noun} breaks (${why}); ${then}`;
}

/**
 * What an EventSource does after an answer other than 200 to its GET: it closes for good, unless
 * the page opens a new one after a wait of its own (`sse.reopenAfterErrorMs`).
 */
function afterRefusedStream(e: TraceEvent, run: Run): string {
  if (transportOf(run.trace, e.request) !== 'sse') return '';
  const reopen = configAt(run.scenario, e.t).sse.reopenAfterErrorMs;
  return reopen === null
    ? ' — the EventSource closes for good'
    : ` — the EventSource closes; the page opens a new one in ${duration(reopen)}`;
}
