/**
 * Streams and sockets (SSE, WebSocket): the server opens one for a client's request and sends it
 * every message as it is published, in order; heartbeats keep it busy for a proxy that cuts idle
 * connections; it ends when the client closes it, the server restarts or the proxy cuts it. A
 * client has at most one, and while it is open the server counts it as holding that client's
 * connection (a message published then is not lost for it, and it counts against the cap).
 */
import { deliver } from './clientSide';
import { modeOf } from './modes';
import { oneWayMs } from './network';
import { Priority } from './scheduler';
import { replay } from './serverLog';
import { EventKind, FrameKind, RequestKind, StreamEnd } from './trace';
import { task, TaskKind, type WorldState } from './worldState';

/** Whether a request opens a stream or a socket. */
export const opensStream = (s: WorldState, request: number): boolean =>
  s.requests.kind[request] >= RequestKind.sse;

/**
 * Sends a frame on a client's open stream. It arrives a trip later, never before the frames sent
 * before it; a frame that arrives after the client closed its end is not received.
 */
function sendFrame(s: WorldState, client: number, frame: FrameKind, firstId = 0, count = 0): void {
  const now = s.sched.now;
  const request = s.serverStream[client];
  s.trace.push(now, EventKind.frameSent, client, request, firstId, count, frame);
  s.lastFrameMs[client] = now;
  const arrivalMs = Math.max(now + oneWayMs(s), s.frameArrivalMs[client]);
  s.frameArrivalMs[client] = arrivalMs;
  s.sched.at(
    arrivalMs,
    task(TaskKind.frameArrives, request, firstId, count, frame),
    Priority.arrival,
  );
}

/**
 * The server accepts a request for a stream: it answers with its headers (SSE's 200, WebSocket's
 * 101), then, when the mode resumes from the client's cursor and the server keeps a log, every
 * message the client missed, one frame each. Otherwise what was published before is lost to it.
 */
export function openStream(s: WorldState, request: number): void {
  const client = s.requests.client[request];
  const now = s.sched.now;
  const stream = modeOf(s.config).stream;
  s.open.delete(request);
  // A client that gave up on its last opening may open again before that close arrives: the new
  // stream supersedes the old one, which the client no longer reads.
  const previous = s.serverStream[client];
  if (previous >= 0) closeAtServer(s, previous, StreamEnd.clientClosed);
  s.serverStream[client] = request;
  s.heldByClient[client]++;
  s.openStreams++;
  s.frameArrivalMs[client] = now;
  sendFrame(s, client, FrameKind.open);
  const [first, count] = replay(s, request, stream?.resumes(s.config) ?? false);
  for (let id = first; id < first + count; id++) sendFrame(s, client, FrameKind.message, id, 1);
  // The proxy's watch first: a heartbeat due in the very millisecond of its timeout is too late.
  if (s.config.proxy) {
    s.sched.after(s.config.proxy.idleTimeoutMs, task(TaskKind.proxyCut, request), Priority.timer);
  }
  const heartbeatMs = stream?.heartbeatMs(s.config) ?? 0;
  if (heartbeatMs > 0) s.sched.after(heartbeatMs, task(TaskKind.heartbeat, request));
}

/** Sends a message published now on every open stream. */
export function publishToStreams(s: WorldState, message: number): void {
  if (s.openStreams === 0) return;
  const n = s.serverStream.length;
  for (let c = 0; c < n; c++) {
    if (s.serverStream[c] < 0) continue;
    sendFrame(s, c, FrameKind.message, message, 1);
  }
}

/** A heartbeat is due: sent on a stream still open, and the next one planned. */
export function heartbeat(s: WorldState, request: number): void {
  const client = s.requests.client[request];
  if (s.serverStream[client] !== request) return;
  sendFrame(s, client, FrameKind.heartbeat);
  const heartbeatMs = modeOf(s.config).stream?.heartbeatMs(s.config) ?? 0;
  if (heartbeatMs > 0) s.sched.after(heartbeatMs, task(TaskKind.heartbeat, request));
}

/**
 * The proxy's idle timer of a stream has run out. A stream that carried a frame since is watched
 * again from that frame; one idle for the whole timeout is cut. Returns whether it was cut.
 */
export function proxyWatch(s: WorldState, request: number): boolean {
  const client = s.requests.client[request];
  if (s.serverStream[client] !== request || !s.config.proxy) return false;
  const idleMs = s.config.proxy.idleTimeoutMs;
  const quietSinceMs = s.lastFrameMs[client];
  if (s.sched.now - quietSinceMs < idleMs) {
    s.sched.at(quietSinceMs + idleMs, task(TaskKind.proxyCut, request), Priority.timer);
    return false;
  }
  closeAtServer(s, request, StreamEnd.proxyTimeout);
  return true;
}

/**
 * The server's end of a stream closes. Unless the client closed it, the end reaches the client a
 * trip later, after the frames already on their way.
 */
export function closeAtServer(s: WorldState, request: number, why: StreamEnd): void {
  const client = s.requests.client[request];
  if (s.serverStream[client] !== request) return;
  s.serverStream[client] = -1;
  s.heldByClient[client]--;
  s.openStreams--;
  s.trace.push(s.sched.now, EventKind.streamClosed, client, request, 0, 0, why);
  if (why === StreamEnd.clientClosed) return;
  const arrivalMs = Math.max(s.sched.now + oneWayMs(s), s.frameArrivalMs[client]);
  s.sched.at(arrivalMs, task(TaskKind.streamEnds, request, 0, 0, why), Priority.arrival);
}

/** A restart resets every connection: every open stream ends with a server error. */
export function closeAllStreams(s: WorldState): void {
  const n = s.serverStream.length;
  for (let c = 0; c < n; c++) {
    if (s.serverStream[c] >= 0) closeAtServer(s, s.serverStream[c], StreamEnd.serverError);
  }
}

/**
 * A frame reaches its client. The open frame answers the client's request (unless it gave up on
 * it); a frame on a stream the client has closed since is not received. Returns whether the
 * stream is now open for the client, which its machine is then told.
 */
export function frameArrives(
  s: WorldState,
  request: number,
  frame: FrameKind,
  firstId: number,
  count: number,
): boolean {
  const client = s.requests.client[request];
  if (frame === FrameKind.open) {
    if (s.outstanding[client] !== request) return false;
    s.outstanding[client] = -1;
    s.clientStream[client] = request;
  } else if (s.clientStream[client] !== request) {
    return false;
  }
  s.trace.push(s.sched.now, EventKind.frameArrived, client, request, firstId, count, frame);
  if (frame === FrameKind.message) deliver(s, client, request, firstId, count);
  return frame === FrameKind.open;
}

/**
 * The end of a stream the server or the proxy closed reaches its client. Returns whether the
 * client still had it open (its machine is then told); one it closed itself has ended already.
 */
export function streamEndArrives(s: WorldState, request: number, why: StreamEnd): boolean {
  const client = s.requests.client[request];
  if (s.clientStream[client] !== request) return false;
  s.clientStream[client] = -1;
  s.trace.push(s.sched.now, EventKind.streamEnded, client, request, 0, 0, why);
  return true;
}
