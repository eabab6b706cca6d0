/**
 * The server's message log and the clients' cursors into it: what each request is sent, which
 * messages a client can no longer get (reported lost once), and what a publication does to the log.
 */
import { EventKind } from './trace';
import type { WorldState } from './worldState';

/** The oldest message the log still has. */
function oldestKept(s: WorldState): number {
  const limit = s.config.server.bufferLimit;
  const oldest = limit === undefined ? 1 : Math.max(1, s.lastMessageId - limit + 1);
  return Math.max(oldest, s.unloggedUpTo + 1);
}

/**
 * The first message the log can send a client after its cursor (past the last one when it has
 * none): not one the log no longer keeps, nor one the server already gave up on for this client
 * (a server that sent only its latest message, until an intervention gave it a log).
 */
function firstInLog(s: WorldState, client: number, cursor: number): number {
  return Math.max(cursor + 1, s.lostUpTo[client] + 1, oldestKept(s));
}

/**
 * Whether the log has something to send this request now. Without a cursor (`recent`) the server
 * cannot tell what is new to the client; with a log, only what the log can still send counts: a
 * client behind messages the log never had or gave up on has nothing to be sent.
 */
export function hasNewFor(s: WorldState, request: number): boolean {
  if (s.config.server.buffer !== 'log') return false;
  const { client, cursor } = s.requests;
  return firstInLog(s, client[request], cursor[request]) <= s.lastMessageId;
}

/**
 * Messages a request gets now: [firstId, count]. With a log, those after the request's cursor
 * that the log still keeps (one, without batching). With `recent`, the server has no cursor and
 * sends what it keeps, old or new (only the latest, without batching): the client sees again
 * what it already has, and drops those duplicates by their ids.
 */
export function pending(s: WorldState, request: number): [number, number] {
  const { buffer, batch } = s.config.server;
  if (buffer === 'none' || s.lastMessageId === 0) return [0, 0];
  return after(s, request, buffer === 'recent', batch);
}

/**
 * What a new stream starts with: with a log and a mode that resumes from the client's cursor
 * (SSE's Last-Event-ID, WebSocket with `resume`), every message after it that the log keeps, as
 * [firstId, count]; otherwise none, and what the client had not received is lost to it.
 */
export function replay(s: WorldState, request: number, resumes: boolean): [number, number] {
  if (resumes && s.config.server.buffer === 'log') return after(s, request, false, true);
  const client = s.requests.client[request];
  loseUpTo(s, client, s.requests.cursor[request], s.lastMessageId + 1);
  return [0, 0];
}

/** The messages a request gets from the log (see `pending`), reporting what it can no longer get. */
function after(s: WorldState, request: number, recent: boolean, batch: boolean): [number, number] {
  const client = s.requests.client[request];
  const cursor = s.requests.cursor[request];
  const last = s.lastMessageId;
  if (!recent && cursor >= last) return [0, 0];
  const oldest = oldestKept(s);
  let first: number;
  let count: number;
  if (recent) {
    // Without a cursor the server resends what it keeps, but never what it gave up on for this
    // client (lost while it kept nothing, or while the client's stream was down).
    first = Math.max(batch ? oldest : Math.max(oldest, last), s.lostUpTo[client] + 1);
    count = last - first + 1;
  } else {
    first = firstInLog(s, client, cursor);
    count = batch ? last - first + 1 : 1;
  }
  // Messages after the client's cursor but before `first` will never reach it.
  loseUpTo(s, client, cursor, first);
  // Everything after the cursor was published before the log began: nothing to send.
  if (first > last) return [0, 0];
  return [first, count];
}

/** Reports as lost for a client every message after its cursor and before `first`, once each. */
function loseUpTo(s: WorldState, client: number, cursor: number, first: number): void {
  for (let id = Math.max(cursor, s.lostUpTo[client]) + 1; id < first; id++) {
    s.trace.push(s.sched.now, EventKind.messageLost, client, -1, id);
    s.lostUpTo[client] = id;
  }
}

/**
 * Records a publication. Without a buffer, a client with no request held at this instant
 * loses the message.
 */
export function logMessage(s: WorldState, message: number): void {
  const now = s.sched.now;
  s.publishedAtMs[message] = now;
  s.lastMessageId = message;
  s.trace.push(now, EventKind.messagePublished, -1, -1, message);
  if (s.config.server.buffer !== 'none') return;
  s.unloggedUpTo = message;
  const n = s.heldByClient.length;
  for (let c = 0; c < n; c++) {
    if (s.heldByClient[c] === 0 && s.lostUpTo[c] < message) {
      s.trace.push(now, EventKind.messageLost, c, -1, message);
      s.lostUpTo[c] = message;
    }
  }
}
