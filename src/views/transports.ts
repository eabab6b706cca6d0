/**
 * What a request opened: an SSE stream, a WebSocket, or nothing (a poll or a long poll). Frames
 * and stream ends name only their request, so the views look the request's kind up here; the
 * table is built once per trace and extended as a run still being computed grows.
 */
import { EventKind, type Trace } from '../sim';
import { RequestKind } from '../sim/trace';

export type Transport = 'sse' | 'websocket';

interface Kinds {
  /** Events read so far. */
  read: number;
  /** RequestKind by request id (-1 before its request.sent is read). */
  kinds: Int8Array;
}

const cache = new WeakMap<Trace, Kinds>();

/** The transport request `request` opened in `trace`, or null when it opened none. */
export function transportOf(trace: Trace, request: number | undefined): Transport | null {
  if (request === undefined || request < 0) return null;
  let k = cache.get(trace);
  if (!k) {
    k = { read: 0, kinds: new Int8Array(64).fill(-1) };
    cache.set(trace, k);
  }
  for (; k.read < trace.length; k.read++) {
    if (trace.kind[k.read] !== EventKind.requestSent) continue;
    const r = trace.request[k.read];
    if (r >= k.kinds.length) {
      const next = new Int8Array(Math.max(r + 1, k.kinds.length * 2)).fill(-1);
      next.set(k.kinds);
      k.kinds = next;
    }
    k.kinds[r] = trace.b[k.read];
  }
  const kind = request < k.kinds.length ? k.kinds[request] : -1;
  return kind === RequestKind.sse ? 'sse' : kind === RequestKind.websocket ? 'websocket' : null;
}

/** "SSE stream" or "WebSocket": what a student calls the thing a request opened. */
export const transportNoun = (t: Transport | null): string =>
  t === 'websocket' ? 'WebSocket' : 'SSE stream';
