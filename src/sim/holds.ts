/**
 * Held requests: the long polls the server keeps open until a message or the hold's end, and
 * their cap. The proxy in front watches each one (proxy.ts).
 */
import { respond } from './network';
import { stopWatching, watchIdle } from './proxy';
import { logMessage, pending } from './serverLog';
import { EventKind, ResponseStatus } from './trace';
import { broken, type WorldState } from './worldState';

/** Whether the server already holds as many requests (and open streams) as its cap allows. */
export function atHoldCapacity(s: WorldState): boolean {
  const cap = s.config.server.maxHeldRequests;
  return cap != null && s.held.size + s.openStreams >= cap;
}

/** Holds a long-poll request; returns how long the hold may last. */
export function hold(s: WorldState, request: number): number {
  const holdMs = s.config.longPollTimeoutMs;
  const now = s.sched.now;
  const client = s.requests.client[request];
  s.held.add(request);
  s.heldByClient[client]++;
  if (s.held.size > s.scenario.clients) {
    broken(s, `held requests (${s.held.size}) outnumber clients (${s.scenario.clients})`);
  }
  s.trace.push(now, EventKind.requestHeld, client, request, now + holdMs);
  // Before the hold timer, so that a proxy limit equal to the hold wins the tie.
  watchIdle(s, request);
  return holdMs;
}

/** The server no longer holds a request (answered, expired, cut or closed). */
function release(s: WorldState, request: number): void {
  s.held.delete(request);
  s.heldByClient[s.requests.client[request]]--;
  stopWatching(s, request);
}

/** Logs a message and answers the held requests it concerns; returns the requests answered. */
export function publish(s: WorldState, message: number): number[] {
  logMessage(s, message);
  const answered: number[] = [];
  for (const request of s.held) {
    const [first, count] = s.config.server.buffer === 'none' ? [message, 1] : pending(s, request);
    if (count === 0) continue;
    answered.push(request);
    respond(s, request, first, count, ResponseStatus.ok);
  }
  for (const request of answered) release(s, request);
  return answered;
}

/** Answers a held request with "no new data" because its hold ran out. */
export function expireHold(s: WorldState, request: number): void {
  if (!s.held.has(request)) return;
  release(s, request);
  s.trace.push(s.sched.now, EventKind.holdTimeout, s.requests.client[request], request);
  respond(s, request, 0, 0, ResponseStatus.holdTimeout);
}

/**
 * A client's close reaches the server. A held request is recorded as aborted and will get no
 * answer (the world tells the server to stop holding it); one answered or lost already has
 * nothing to stop. Returns whether the server held it.
 */
export function recordClientClose(s: WorldState, request: number): boolean {
  if (!s.held.has(request)) return false;
  s.trace.push(s.sched.now, EventKind.requestAborted, s.requests.client[request], request);
  s.open.delete(request);
  return true;
}

/** Forgets a held request whose connection was closed. */
export function dropHeld(s: WorldState, request: number): void {
  if (s.held.has(request)) release(s, request);
}

/** Answers every held request with an error (a restart resets the connections); returns them. */
export function dropAllHeld(s: WorldState): number[] {
  const dropped = [...s.held];
  for (const request of dropped) {
    release(s, request);
    respond(s, request, 0, 0, ResponseStatus.serverError);
  }
  return dropped;
}
