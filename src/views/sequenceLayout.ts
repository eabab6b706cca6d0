/**
 * The sequence diagram's marks, computed once per run: a pure function from a `Run` to flat
 * columns of typed arrays (one row a mark), in order of start time, with an index that finds the
 * marks overlapping a time window without scanning the run. Nothing here knows about pixels: a
 * mark is an arrow, a span or a point between lanes in virtual time, and the view turns the
 * playhead time and these columns into geometry on every frame.
 */
import {
  binTrace,
  configAt,
  EventKind,
  isOkStatus,
  perSecondOver,
  ResponseStatus,
  type Run,
} from '../sim';
import { FrameKind, RequestKind, StreamEnd } from '../sim/trace';

export const MarkKind = {
  /** Arrow from a client to the server, from its sending to its arrival (or loss). */
  request: 0,
  /** Arrow from the server (or the proxy) to a client. */
  response: 1,
  /** Bar on the server lane while the server holds a long-poll request. */
  hold: 2,
  /** The hold ran out: the server answers "no new data". */
  holdTimeout: 3,
  published: 4,
  /** The messages one response delivered to a client (one mark, not one per message). */
  delivered: 5,
  messageLost: 6,
  clientTimeout: 7,
  /** Span on a client lane while it waits before retrying. */
  backoff: 8,
  tickSkipped: 9,
  proxyCut: 10,
  /** Span on the server lane while it is down. */
  serverDown: 11,
  intervention: 12,
  /**
   * An SSE stream or a WebSocket, open from the server's acceptance to its end: a band from the
   * server's side (when the open frame left, to the server's end) to the client's (when the
   * open frame arrived, to the client's end).
   */
  stream: 13,
  /** Arrow from the server to a client on an open stream: the open frame, a message, a heartbeat. */
  frame: 14,
  /** A client sees its stream or socket break (the proxy cut it, the server went down). */
  streamBroken: 15,
} as const;
export type MarkKind = (typeof MarkKind)[keyof typeof MarkKind];

export const MARK_KIND_NAMES = [
  'request',
  'response',
  'hold',
  'hold timeout',
  'message published',
  'message delivered',
  'message lost',
  'client timeout',
  'backoff',
  'skipped tick',
  'proxy cut',
  'server down',
  'intervention',
  'stream',
  'frame',
  'stream broken',
] as const;

/** Bits of the `flags` column. */
export const MarkFlag = {
  /** The request or response was dropped by the network: its arrow ends midway with an ✕. */
  lost: 1,
  /** The response reached a client that had already given up on it. */
  late: 2,
  /** An error response sent by the proxy, not the server. */
  fromProxy: 4,
  /** The run ended before the mark did (only for runs cut short). */
  open: 8,
  /** A delivery that repeated a message the client already had. */
  duplicate: 16,
  /** A request, stream, frame or break of a WebSocket (else of an SSE stream, when it is one). */
  websocket: 32,
} as const;

/** A lost arrow is drawn up to this fraction of its way, then an ✕. */
export const LOST_FRACTION = 0.5;

/**
 * Marks whose duration is at most this are found by scanning start times; longer ones (holds,
 * backoffs, restarts, slow transits) have their own index, so a 30 s hold doesn't make every
 * window query scan 30 s of marks.
 */
const SHORT_MARK_MS = 2000;

export interface SequenceLayout {
  count: number;
  kind: Uint8Array;
  flags: Uint8Array;
  /** Responses: the `ResponseStatus`; frames: the `FrameKind`; streams and breaks: `StreamEnd`. */
  status: Uint8Array;
  /** Start and end time in ms of virtual time; a point has t0 === t1. Sorted by t0. */
  t0: Float64Array;
  t1: Float64Array;
  /** Client id, or -1 for marks of the server or the whole run. */
  client: Int32Array;
  /** Request id, or -1. */
  request: Int32Array;
  /**
   * Kind-specific: request: cursor; response and delivered: first message id; hold: hold
   * deadline (ms); published and messageLost: message id; backoff: wait (ms); intervention: index
   * into `scenario.interventions`; serverDown: down time (ms); stream: when the client saw it
   * open (ms); frame: first message id.
   */
  a: Int32Array;
  /**
   * Kind-specific: request: its `RequestKind` (1 a long poll, 2 an SSE stream, 3 a WebSocket);
   * response and delivered: message count; backoff: attempt, 0 for an SSE reconnection's wait;
   * stream: the time (ms) its first end closed (the server's, or the client's when the client
   * closed it), -1 while open; frame: message count.
   */
  b: Int32Array;
  /** The trace event that starts the mark, and the one that ends it (-1 while open). */
  event: Int32Array;
  endEvent: Int32Array;
  /** For each trace event, the mark that shows it (-1 when none does). */
  markOfEvent: Int32Array;
  /** Indices of the marks longer than SHORT_MARK_MS, by start, with the running maximum of their ends. */
  longMarks: Int32Array;
  longMaxEndMs: Float64Array;
  /** Whether any client talks through a proxy (from the start or after an intervention). */
  hasProxy: boolean;
  clients: number;
  endMs: number;
}

export interface LayoutOptions {
  /** Only these clients' marks (plus the server's and the run's); all clients when absent. */
  clients?: Iterable<number>;
}

/** Growable columns; `finish` trims them. */
class Columns {
  count = 0;
  kind: Uint8Array;
  flags: Uint8Array;
  status: Uint8Array;
  t0: Float64Array;
  t1: Float64Array;
  client: Int32Array;
  request: Int32Array;
  a: Int32Array;
  b: Int32Array;
  event: Int32Array;
  endEvent: Int32Array;

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.kind = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.status = new Uint8Array(n);
    this.t0 = new Float64Array(n);
    this.t1 = new Float64Array(n);
    this.client = new Int32Array(n);
    this.request = new Int32Array(n);
    this.a = new Int32Array(n);
    this.b = new Int32Array(n);
    this.event = new Int32Array(n);
    this.endEvent = new Int32Array(n);
  }

  push(
    kind: MarkKind,
    t0: number,
    t1: number,
    client: number,
    request: number,
    event: number,
    a = 0,
    b = 0,
  ): number {
    if (this.count === this.kind.length) this.resize(this.count * 2);
    const m = this.count++;
    this.kind[m] = kind;
    this.flags[m] = 0;
    this.status[m] = 0;
    this.t0[m] = t0;
    this.t1[m] = t1;
    this.client[m] = client;
    this.request[m] = request;
    this.a[m] = a;
    this.b[m] = b;
    this.event[m] = event;
    this.endEvent[m] = t1 === t0 ? event : -1;
    return m;
  }

  resize(n: number): void {
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(old: T, next: T): T => {
      next.set(old.subarray(0, Math.min(old.length, next.length)));
      return next;
    };
    this.kind = grow(this.kind, new Uint8Array(n));
    this.flags = grow(this.flags, new Uint8Array(n));
    this.status = grow(this.status, new Uint8Array(n));
    this.t0 = grow(this.t0, new Float64Array(n));
    this.t1 = grow(this.t1, new Float64Array(n));
    this.client = grow(this.client, new Int32Array(n));
    this.request = grow(this.request, new Int32Array(n));
    this.a = grow(this.a, new Int32Array(n));
    this.b = grow(this.b, new Int32Array(n));
    this.event = grow(this.event, new Int32Array(n));
    this.endEvent = grow(this.endEvent, new Int32Array(n));
  }
}

/** Lays out a whole run (or some of its clients) as marks. */
export function layoutSequence(run: Run, options: LayoutOptions = {}): SequenceLayout {
  const { trace, scenario } = run;
  const clients = scenario.clients;
  let keep: Uint8Array | null = null;
  if (options.clients) {
    keep = new Uint8Array(clients);
    for (const c of options.clients) if (c >= 0 && c < clients) keep[c] = 1;
  }
  const requests = run.requestClient.length;
  // Marks are about half as many as events; the columns grow if not.
  const cols = new Columns(keep ? 64 : trace.length >> 1);
  const requestMark = new Int32Array(requests).fill(-1);
  const responseMark = new Int32Array(requests).fill(-1);
  const holdMark = new Int32Array(requests).fill(-1);
  const markOfEvent = new Int32Array(trace.length).fill(-1);
  let downMark = -1;
  /** Per request: the stream it opened, and whether that is a WebSocket. */
  const streamMark = new Int32Array(requests).fill(-1);
  const isSocket = new Uint8Array(requests);
  /** Frames sent and not yet arrived, per stream; the ones left when it ends never arrive. */
  const inFlight = new Map<number, number[]>();
  const { time, kind, status, client, request, a, b } = trace;

  const close = (m: number, t: number, i: number) => {
    if (m < 0 || cols.endEvent[m] >= 0) return;
    cols.t1[m] = t;
    cols.endEvent[m] = i;
    markOfEvent[i] = m;
  };

  for (let i = 0; i < trace.length; i++) {
    const c = client[i];
    if (keep && c >= 0 && keep[c] === 0) continue;
    const t = time[i];
    const r = request[i];
    let m = -1;
    switch (kind[i] as EventKind) {
      case EventKind.requestSent:
        m = cols.push(MarkKind.request, t, t, c, r, i, a[i], b[i]);
        cols.endEvent[m] = -1;
        requestMark[r] = m;
        if (b[i] === RequestKind.websocket) {
          isSocket[r] = 1;
          cols.flags[m] |= MarkFlag.websocket;
        }
        break;
      case EventKind.frameSent: {
        const socket = isSocket[r] ? MarkFlag.websocket : 0;
        if (status[i] === FrameKind.open) {
          const band = cols.push(MarkKind.stream, t, t, c, r, i, -1, -1);
          cols.endEvent[band] = -1;
          cols.flags[band] |= socket;
          streamMark[r] = band;
        }
        m = cols.push(MarkKind.frame, t, t, c, r, i, a[i], b[i]);
        cols.endEvent[m] = -1;
        cols.status[m] = status[i];
        cols.flags[m] |= socket;
        const pending = inFlight.get(r);
        if (pending) pending.push(m);
        else inFlight.set(r, [m]);
        break;
      }
      case EventKind.frameArrived: {
        const pending = inFlight.get(r);
        // Frames on one stream arrive in the order they were sent.
        const f = pending?.shift() ?? -1;
        close(f, t, i);
        const band = streamMark[r];
        if (status[i] === FrameKind.open && band >= 0) cols.a[band] = t;
        break;
      }
      case EventKind.streamClosed:
      case EventKind.streamEnded: {
        const band = streamMark[r];
        if (band < 0) break;
        const clientSide = kind[i] === EventKind.streamEnded;
        // The proxy's cut is drawn where the proxy is, as for a held request.
        if (!clientSide && status[i] === StreamEnd.proxyTimeout) {
          m = cols.push(MarkKind.proxyCut, t, t, c, r, i);
        }
        if (cols.b[band] < 0) {
          // The first end: the server's, or the client's when the client closed it.
          cols.b[band] = t;
          cols.status[band] = status[i];
          if (!clientSide && m < 0) markOfEvent[i] = band;
        } else {
          close(band, t, i);
          if (m >= 0) markOfEvent[i] = m;
        }
        if (clientSide) {
          if (cols.a[band] < 0) cols.a[band] = t;
          // What was still on its way will never be read.
          for (const f of inFlight.get(r) ?? []) {
            cols.flags[f] |= MarkFlag.lost;
            close(f, t, i);
          }
          inFlight.delete(r);
          markOfEvent[i] = band;
          if (status[i] !== StreamEnd.clientClosed) {
            m = cols.push(MarkKind.streamBroken, t, t, c, r, i);
            cols.status[m] = status[i];
            cols.flags[m] |= cols.flags[band] & MarkFlag.websocket;
            // EventSource waits its retry time by itself (a WebSocket client records its backoff).
            if (!isSocket[r]) {
              const retryMs = configAt(scenario, t).sse.retryMs;
              const wait = cols.push(MarkKind.backoff, t, t + retryMs, c, -1, i, retryMs, 0);
              cols.endEvent[wait] = i;
            }
          }
        }
        break;
      }
      case EventKind.requestArrived:
        close(requestMark[r], t, i);
        break;
      case EventKind.requestLost:
        if (requestMark[r] >= 0) cols.flags[requestMark[r]] |= MarkFlag.lost;
        close(requestMark[r], t, i);
        break;
      case EventKind.requestHeld:
        m = cols.push(MarkKind.hold, t, t, c, r, i, a[i]);
        cols.endEvent[m] = -1;
        holdMark[r] = m;
        break;
      case EventKind.holdTimeout:
        close(holdMark[r], t, i);
        m = cols.push(MarkKind.holdTimeout, t, t, c, r, i);
        break;
      case EventKind.proxyCut:
        close(holdMark[r], t, i);
        m = cols.push(MarkKind.proxyCut, t, t, c, r, i);
        break;
      case EventKind.requestAborted:
        close(holdMark[r], t, i);
        break;
      case EventKind.responseSent:
        // An answer ends the hold; a hold that ended by timeout or cut is closed already.
        if (holdMark[r] >= 0 && cols.endEvent[holdMark[r]] < 0) {
          cols.t1[holdMark[r]] = t;
          cols.endEvent[holdMark[r]] = i;
        }
        m = cols.push(MarkKind.response, t, t, c, r, i, a[i], b[i]);
        cols.endEvent[m] = -1;
        cols.status[m] = status[i];
        if (status[i] === ResponseStatus.proxyTimeout) cols.flags[m] |= MarkFlag.fromProxy;
        responseMark[r] = m;
        break;
      case EventKind.responseArrived:
        close(responseMark[r], t, i);
        break;
      case EventKind.lateResponse:
        if (responseMark[r] >= 0) cols.flags[responseMark[r]] |= MarkFlag.late;
        close(responseMark[r], t, i);
        break;
      case EventKind.responseLost:
        if (responseMark[r] >= 0) cols.flags[responseMark[r]] |= MarkFlag.lost;
        close(responseMark[r], t, i);
        break;
      case EventKind.messagePublished:
        m = cols.push(MarkKind.published, t, t, -1, -1, i, a[i]);
        break;
      case EventKind.messageDelivered: {
        // The messages of one response are delivered by consecutive events: one mark for them.
        const last = cols.count - 1;
        const duplicate = status[i] === 1 ? MarkFlag.duplicate : 0;
        if (
          last >= 0 &&
          cols.kind[last] === MarkKind.delivered &&
          cols.client[last] === c &&
          cols.request[last] === r &&
          cols.t0[last] === t &&
          cols.a[last] + cols.b[last] === a[i]
        ) {
          cols.b[last]++;
          cols.flags[last] |= duplicate;
          markOfEvent[i] = last;
        } else {
          m = cols.push(MarkKind.delivered, t, t, c, r, i, a[i], 1);
          cols.flags[m] |= duplicate;
        }
        break;
      }
      case EventKind.messageLost:
        m = cols.push(MarkKind.messageLost, t, t, c, -1, i, a[i]);
        break;
      case EventKind.clientTimeout:
        m = cols.push(MarkKind.clientTimeout, t, t, c, r, i);
        break;
      case EventKind.backoff:
        m = cols.push(MarkKind.backoff, t, t + a[i], c, -1, i, a[i], b[i]);
        cols.endEvent[m] = i;
        break;
      case EventKind.tickSkipped:
        m = cols.push(MarkKind.tickSkipped, t, t, c, r, i);
        break;
      case EventKind.intervention:
        m = cols.push(MarkKind.intervention, t, t, -1, -1, i, a[i]);
        break;
      case EventKind.serverDown:
        m = cols.push(MarkKind.serverDown, t, t + a[i], -1, -1, i, a[i]);
        cols.endEvent[m] = -1;
        downMark = m;
        break;
      case EventKind.serverUp:
        if (downMark >= 0) {
          cols.t1[downMark] = t;
          cols.endEvent[downMark] = i;
          markOfEvent[i] = downMark;
          downMark = -1;
        }
        break;
    }
    if (m >= 0) markOfEvent[i] = m;
  }

  // A run cut short leaves marks open: they last to its end (the playhead never gets there).
  const endMs = run.endMs;
  for (let m = 0; m < cols.count; m++) {
    if (cols.endEvent[m] < 0) {
      cols.flags[m] |= MarkFlag.open;
      if (cols.kind[m] !== MarkKind.serverDown) cols.t1[m] = Math.max(cols.t1[m], endMs);
    }
  }
  cols.resize(cols.count);

  const long: number[] = [];
  for (let m = 0; m < cols.count; m++) {
    if (cols.t1[m] - cols.t0[m] > SHORT_MARK_MS) long.push(m);
  }
  const longMarks = Int32Array.from(long);
  const longMaxEndMs = new Float64Array(longMarks.length);
  let maxEnd = -Infinity;
  for (let j = 0; j < longMarks.length; j++) {
    maxEnd = Math.max(maxEnd, cols.t1[longMarks[j]]);
    longMaxEndMs[j] = maxEnd;
  }

  return {
    count: cols.count,
    kind: cols.kind,
    flags: cols.flags,
    status: cols.status,
    t0: cols.t0,
    t1: cols.t1,
    client: cols.client,
    request: cols.request,
    a: cols.a,
    b: cols.b,
    event: cols.event,
    endEvent: cols.endEvent,
    markOfEvent,
    longMarks,
    longMaxEndMs,
    hasProxy: scenario.proxy !== undefined || scenario.interventions.some((iv) => iv.set.proxy),
    clients,
    endMs,
  };
}

/** First index in [lo, hi) whose value is >= x, in an ascending array. */
function lowerBound(values: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The marks overlapping [fromMs, toMs] (t0 <= toMs and t1 >= fromMs), ascending. Pass `out` to
 * reuse a buffer from frame to frame; the result is a view into it.
 */
export function queryWindow(
  layout: SequenceLayout,
  fromMs: number,
  toMs: number,
  out?: Int32Array,
): Int32Array {
  const { t0, t1, longMarks, longMaxEndMs } = layout;
  let buffer = out ?? new Int32Array(64);
  let n = 0;
  const add = (m: number) => {
    if (n === buffer.length) {
      const next = new Int32Array(buffer.length * 2);
      next.set(buffer);
      buffer = next;
    }
    buffer[n++] = m;
  };
  if (toMs < fromMs) return buffer.subarray(0, 0);
  const shortFrom = fromMs - SHORT_MARK_MS;
  // Long marks that start before the short scan: the running maximum of their ends skips the
  // ones that ended before the window.
  for (let j = lowerBound(longMaxEndMs, fromMs, 0, longMarks.length); j < longMarks.length; j++) {
    const m = longMarks[j];
    if (t0[m] >= shortFrom) break;
    if (t1[m] >= fromMs) add(m);
  }
  const end = layout.count;
  for (let m = lowerBound(t0, shortFrom, 0, end); m < end && t0[m] <= toMs; m++) {
    if (t1[m] >= fromMs) add(m);
  }
  return buffer.subarray(0, n);
}

/** How far an arrow or a span has got at `nowMs`: 0 before it starts, 1 once it is complete. */
export function progressAt(t0: number, t1: number, nowMs: number): number {
  if (nowMs <= t0) return t1 > t0 ? 0 : nowMs < t0 ? 0 : 1;
  if (nowMs >= t1) return 1;
  return (nowMs - t0) / (t1 - t0);
}

/**
 * The fraction of an arrow drawn at `nowMs`, from its sending (0) to its arrival (1). A lost
 * arrow stops at LOST_FRACTION; the future is never drawn.
 */
export function drawnFraction(layout: SequenceLayout, m: number, nowMs: number): number {
  const p = progressAt(layout.t0[m], layout.t1[m], nowMs);
  return layout.flags[m] & MarkFlag.lost ? Math.min(p, LOST_FRACTION) : p;
}

/** The moment a mark completes: where clicking it moves the playhead. */
export function markTimeMs(layout: SequenceLayout, m: number): number {
  const { t0, t1, flags, kind } = layout;
  const arrow =
    kind[m] === MarkKind.request || kind[m] === MarkKind.response || kind[m] === MarkKind.frame;
  if (arrow && flags[m] & MarkFlag.lost) {
    return Math.round(t0[m] + (t1[m] - t0[m]) * LOST_FRACTION);
  }
  return t1[m];
}

export type ResponseLook = 'messages' | 'empty' | 'error';

/**
 * How a response is drawn: with messages, empty (a wasted round trip), or an error (the server
 * down, a proxy cut, a refusal over the rate limit or the cap on held requests).
 */
export function responseLook(layout: SequenceLayout, m: number): ResponseLook {
  if (!isOkStatus(layout.status[m])) return 'error';
  return layout.b[m] > 0 ? 'messages' : 'empty';
}

/** The HTTP status an error response is drawn with; the server-down error has none of its own. */
const ERROR_CODES: Partial<Record<ResponseStatus, string>> = {
  [ResponseStatus.proxyTimeout]: '504',
  [ResponseStatus.rateLimited]: '429',
  [ResponseStatus.overCapacity]: '503',
};

/** "#3" or "#3–5" for `count` messages from `first`. */
export function messageRange(first: number, count: number): string {
  return count <= 1 ? `#${first}` : `#${first}–${first + count - 1}`;
}

/**
 * The short label drawn next to a response: "#3", "#3–5", "empty", or for an error its status:
 * "504" (a proxy cut), "429" (over the rate limit), "503" (over the cap on held requests), or
 * "error" (the server down or restarting).
 */
export function responseLabel(layout: SequenceLayout, m: number): string {
  switch (responseLook(layout, m)) {
    case 'messages':
      return messageRange(layout.a[m], layout.b[m]);
    case 'empty':
      return 'empty';
    case 'error':
      return ERROR_CODES[layout.status[m] as ResponseStatus] ?? 'error';
  }
}

/** The two ends of a stream band in time: the server's side and the client's, each from–to. */
export interface StreamTimes {
  serverFromMs: number;
  serverToMs: number;
  clientFromMs: number;
  clientToMs: number;
}

/**
 * When stream `m` was open at the server and at the client. The server's side opens when the
 * open frame leaves and the client's when it arrives; whoever ended it sees the end first (the
 * client when it closed the stream, else the server or the proxy), the other one trip later.
 * An end that has not happened by the run's end is the run's end.
 */
export function streamTimes(layout: SequenceLayout, m: number, out?: StreamTimes): StreamTimes {
  const t = out ?? { serverFromMs: 0, serverToMs: 0, clientFromMs: 0, clientToMs: 0 };
  const { t0, t1, a, b, status } = layout;
  const first = b[m] >= 0 ? b[m] : t1[m];
  const clientFirst = b[m] >= 0 && status[m] === StreamEnd.clientClosed;
  t.serverFromMs = t0[m];
  t.serverToMs = clientFirst ? t1[m] : first;
  t.clientToMs = clientFirst ? first : t1[m];
  t.clientFromMs = a[m] >= 0 ? Math.min(a[m], t.clientToMs) : t.clientToMs;
  return t;
}

/** Whether a request mark opens a stream or a socket (rather than asking for an answer). */
export const opensStream = (layout: SequenceLayout, m: number): boolean =>
  layout.kind[m] === MarkKind.request && layout.b[m] >= RequestKind.sse;

/**
 * The short label drawn next to a frame or an opening request: "GET" and "200" for an SSE
 * stream, "Upgrade" and "101" for a WebSocket, "#8" for a message; a heartbeat has none.
 */
export function frameLabel(layout: SequenceLayout, m: number): string {
  const socket = (layout.flags[m] & MarkFlag.websocket) !== 0;
  if (layout.kind[m] === MarkKind.request) return socket ? 'Upgrade' : 'GET stream';
  switch (layout.status[m]) {
    case FrameKind.open:
      return socket ? '101' : '200';
    case FrameKind.message:
      return messageRange(layout.a[m], layout.b[m]);
    default:
      return '';
  }
}

/** Counts of marks by kind among `indices` (responses split by look), for summaries and tests. */
export function countByKind(
  layout: SequenceLayout,
  indices: ArrayLike<number>,
): Record<(typeof MARK_KIND_NAMES)[number] | ResponseLook, number> {
  const counts = Object.fromEntries(
    [...MARK_KIND_NAMES, 'messages', 'empty', 'error'].map((k) => [k, 0]),
  ) as Record<(typeof MARK_KIND_NAMES)[number] | ResponseLook, number>;
  for (let j = 0; j < indices.length; j++) {
    const m = indices[j];
    counts[MARK_KIND_NAMES[layout.kind[m]]]++;
    if (layout.kind[m] === MarkKind.response) counts[responseLook(layout, m)]++;
  }
  return counts;
}

/** Many clients in one band: what they do over time, sampled every `binMs`. */
export interface ClientActivity {
  binMs: number;
  /** Requests sent and not yet answered (or lost), at the end of each bin. */
  open: Float64Array;
  /** Requests held at the server at the end of each bin. */
  held: Float64Array;
  /** Wasted round trips in the second up to the end of each bin. */
  wastedPerS: Float64Array;
  /** Largest value of each series, for a fixed vertical scale. */
  max: { open: number; held: number; wastedPerS: number };
}

/**
 * The activity of all clients, from the simulation's binning of the trace; a bin is 100 ms,
 * wider for runs of many minutes.
 */
export function clientActivity(run: Run, maxBins = 50_000): ClientActivity {
  const binMs = Math.max(100, Math.ceil(run.endMs / maxBins / 100) * 100);
  const bins = binTrace(run, binMs);
  // A trailing one-second window turns counts into a rate that doesn't flicker with the bins.
  const wastedPerS = perSecondOver(bins.wasted, binMs, 1000);
  const max = (xs: Float64Array) => xs.reduce((m, x) => (x > m ? x : m), 0);
  return {
    binMs,
    open: bins.openEnd,
    held: bins.heldEnd,
    wastedPerS,
    max: { open: max(bins.openEnd), held: max(bins.heldEnd), wastedPerS: max(wastedPerS) },
  };
}
