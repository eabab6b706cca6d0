/**
 * The trace: the append-only record of everything that happened in a run. It is stored in
 * columns of typed arrays (about 22 bytes an event) so that a run of ten thousand clients fits in
 * memory; `event(i)` and `toJSONLines()` give the readable form.
 */
import { regrowColumns, shareColumns } from './columns';

export const EventKind = {
  requestSent: 0,
  requestLost: 1,
  requestArrived: 2,
  requestHeld: 3,
  holdTimeout: 4,
  responseSent: 5,
  responseLost: 6,
  responseArrived: 7,
  lateResponse: 8,
  messagePublished: 9,
  messageDelivered: 10,
  messageLost: 11,
  clientTimeout: 12,
  backoff: 13,
  tickSkipped: 14,
  proxyCut: 15,
  intervention: 16,
  serverDown: 17,
  serverUp: 18,
  /** The client's close reached the server, which stops holding a request the client gave up on. */
  requestAborted: 19,
  /**
   * A frame sent on an open stream or socket (`FrameKind`): the server's answer that opens it
   * (SSE's 200 headers, WebSocket's 101), a message event, or a heartbeat (an SSE comment, a ping).
   */
  frameSent: 20,
  frameArrived: 21,
  /** The server's end of a stream or socket closed (`status` says why: `StreamEnd`). */
  streamClosed: 22,
  /** The client sees its stream or socket end: it reconnects, or not, as its mode says. */
  streamEnded: 23,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export const EVENT_NAMES = [
  'request.sent',
  'request.lost',
  'request.arrived',
  'request.held',
  'hold.timeout',
  'response.sent',
  'response.lost',
  'response.arrived',
  'response.late',
  'message.published',
  'message.delivered',
  'message.lost',
  'client.timeout',
  'client.backoff',
  'tick.skipped',
  'proxy.cut',
  'intervention',
  'server.down',
  'server.up',
  'request.aborted',
  'frame.sent',
  'frame.arrived',
  'stream.closed',
  'stream.ended',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** What a response said. A response with messages and an empty one both have status `ok`. */
export const ResponseStatus = {
  ok: 0,
  holdTimeout: 1,
  serverError: 2,
  proxyTimeout: 3,
  /** 429 Too Many Requests: the client is over the server's rate limit. */
  rateLimited: 4,
  /** 503 Service Unavailable: the server already holds as many requests as it may. */
  overCapacity: 5,
} as const;
export type ResponseStatus = (typeof ResponseStatus)[keyof typeof ResponseStatus];
export const STATUS_NAMES = [
  'ok',
  'hold-timeout',
  'server-error',
  'proxy-timeout',
  'rate-limited',
  'over-capacity',
] as const;

/** Whether a response is a success (messages, or "no new data"); anything else is an error. */
export const isOkStatus = (status: number): boolean =>
  status === ResponseStatus.ok || status === ResponseStatus.holdTimeout;

/** Whether an event ends a hold at the server: its answer, the proxy's cut or the client's close. */
export const endsHold = (kind: number): boolean =>
  kind === EventKind.responseSent ||
  kind === EventKind.proxyCut ||
  kind === EventKind.requestAborted;

/** What a request asks for: an answer at once, a hold, or a stream (SSE) or a socket (WebSocket). */
export const RequestKind = { poll: 0, longPoll: 1, sse: 2, websocket: 3 } as const;
export type RequestKind = (typeof RequestKind)[keyof typeof RequestKind];
export const REQUEST_KIND_NAMES = ['poll', 'long-poll', 'sse', 'websocket'] as const;

/** What a frame on a stream or socket is (its event's `status`). */
export const FrameKind = { open: 0, message: 1, heartbeat: 2 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];
export const FRAME_KIND_NAMES = ['open', 'message', 'heartbeat'] as const;

/** Why a stream or socket ended (its `stream.closed` and `stream.ended` events' `status`). */
export const StreamEnd = {
  /** The client closed it: it switched modes, or the run's time was up. */
  clientClosed: 0,
  /** The server went down (a restart resets every connection). */
  serverError: 1,
  /** The proxy in front cut it after its idle timeout. */
  proxyTimeout: 2,
} as const;
export type StreamEnd = (typeof StreamEnd)[keyof typeof StreamEnd];
export const STREAM_END_NAMES = ['client-closed', 'server-error', 'proxy-timeout'] as const;

/**
 * One event in readable form. Which fields are present depends on the kind:
 * - request.*: `client`, `request`; request.sent has `cursor` and `longPoll`; request.held has
 *   `holdUntilMs`.
 * - response.*: `client`, `request`, `status`, and `messages` (the ids it carries, maybe none).
 * - message.published: `message`; message.delivered: `client`, `request`, `message`,
 *   `latencyMs`, `duplicate`; message.lost: `client`, `message`.
 * - client.backoff: `client`, `waitMs`, `attempt`; tick.skipped: `client`, `request` (the one
 *   still outstanding); intervention: `index`; server.down: `downMs`.
 * - A request that opens a stream (SSE) or a socket (WebSocket) also has `transport` on
 *   request.sent. frame.*: `client`, `request` (the one that opened the stream), `frame`, and
 *   `messages` (the ids a message frame carries); stream.*: `client`, `request`, `reason`.
 */
export interface TraceEvent {
  i: number;
  t: number;
  kind: EventName;
  client?: number;
  request?: number;
  cursor?: number;
  longPoll?: boolean;
  transport?: 'sse' | 'websocket';
  holdUntilMs?: number;
  frame?: (typeof FRAME_KIND_NAMES)[number];
  reason?: (typeof STREAM_END_NAMES)[number];
  status?: (typeof STATUS_NAMES)[number];
  messages?: number[];
  message?: number;
  latencyMs?: number;
  duplicate?: boolean;
  waitMs?: number;
  attempt?: number;
  index?: number;
  downMs?: number;
}

const INITIAL_CAPACITY = 1024;
const TRACE_COLUMNS = ['time', 'kind', 'status', 'client', 'request', 'a', 'b'] as const;

export class Trace {
  length = 0;
  /**
   * Appends may write below this index. A view's limit is its length, so the first append to a
   * view copies the columns first and never writes into the trace it was taken from.
   */
  private limit = INITIAL_CAPACITY;
  time = new Uint32Array(INITIAL_CAPACITY);
  kind = new Uint8Array(INITIAL_CAPACITY);
  status = new Uint8Array(INITIAL_CAPACITY);
  client = new Int32Array(INITIAL_CAPACITY);
  request = new Int32Array(INITIAL_CAPACITY);
  /** Kind-specific: cursor, first message id, message id, hold deadline, wait, index. */
  a = new Int32Array(INITIAL_CAPACITY);
  /** Kind-specific: request kind, message count, latency, attempt, down time. */
  b = new Int32Array(INITIAL_CAPACITY);

  push(
    timeMs: number,
    kind: EventKind,
    client = -1,
    request = -1,
    a = 0,
    b = 0,
    status: ResponseStatus = 0,
  ): number {
    const i = this.length;
    if (i === this.limit) this.grow();
    this.time[i] = timeMs;
    this.kind[i] = kind;
    this.client[i] = client;
    this.request[i] = request;
    this.a[i] = a;
    this.b[i] = b;
    this.status[i] = status;
    this.length = i + 1;
    return i;
  }

  /**
   * This trace as it is now: the same columns, with this length. Events appended to this trace
   * later do not show in the view, and the events it has never change (the trace is append-only).
   * A view can be appended to as well: it then copies its events into columns of its own, so a
   * checkpoint's trace costs nothing until a resumed run adds to it.
   */
  view(): Trace {
    const t = new Trace();
    shareColumns(t, this, TRACE_COLUMNS);
    t.length = this.length;
    t.limit = this.length;
    return t;
  }

  /** Bytes held by the columns (what the trace costs in memory). */
  get byteLength(): number {
    return this.time.length * 22;
  }

  /** Index of the first event after `timeMs` (so events [0, index) happened at or before it). */
  indexAfter(timeMs: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[mid] <= timeMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  event(i: number): TraceEvent {
    const kind = this.kind[i] as EventKind;
    const e: TraceEvent = { i, t: this.time[i], kind: EVENT_NAMES[kind] };
    const client = this.client[i];
    const request = this.request[i];
    if (client >= 0) e.client = client;
    if (request >= 0) e.request = request;
    const a = this.a[i];
    const b = this.b[i];
    switch (kind) {
      case EventKind.requestSent:
        e.cursor = a;
        e.longPoll = b === RequestKind.longPoll;
        if (b === RequestKind.sse) e.transport = 'sse';
        if (b === RequestKind.websocket) e.transport = 'websocket';
        break;
      case EventKind.frameSent:
      case EventKind.frameArrived:
        e.frame = FRAME_KIND_NAMES[this.status[i]];
        if (this.status[i] === FrameKind.message) {
          e.messages = Array.from({ length: b }, (_, k) => a + k);
        }
        break;
      case EventKind.streamClosed:
      case EventKind.streamEnded:
        e.reason = STREAM_END_NAMES[this.status[i]];
        break;
      case EventKind.requestHeld:
        e.holdUntilMs = a;
        break;
      case EventKind.responseSent:
      case EventKind.responseLost:
      case EventKind.responseArrived:
      case EventKind.lateResponse:
        e.status = STATUS_NAMES[this.status[i]];
        e.messages = Array.from({ length: b }, (_, k) => a + k);
        break;
      case EventKind.messagePublished:
        e.message = a;
        break;
      case EventKind.messageDelivered:
        e.message = a;
        e.latencyMs = b;
        e.duplicate = this.status[i] === 1;
        break;
      case EventKind.messageLost:
        e.message = a;
        break;
      case EventKind.backoff:
        e.waitMs = a;
        e.attempt = b;
        break;
      case EventKind.intervention:
        e.index = a;
        break;
      case EventKind.serverDown:
        e.downMs = a;
        break;
    }
    return e;
  }

  *events(from = 0, to = this.length): Generator<TraceEvent> {
    for (let i = from; i < to; i++) yield this.event(i);
  }

  toJSONLines(): string {
    const lines: string[] = [];
    for (let i = 0; i < this.length; i++) lines.push(JSON.stringify(this.event(i)));
    return lines.join('\n') + (lines.length ? '\n' : '');
  }

  /** Room for twice the events, in columns of its own (a view's first append lands here). */
  private grow(): void {
    this.limit = Math.max(INITIAL_CAPACITY, this.length * 2);
    regrowColumns(this, TRACE_COLUMNS, this.length, this.limit);
  }
}
