/**
 * The client's HTTP library and application, as the client machine's environment sees them: the
 * messages a response hands over (the cursor moves on, a message it has already is a duplicate),
 * and giving up on a request.
 */
import { Priority } from './scheduler';
import { EventKind, StreamEnd } from './trace';
import { task, TaskKind, type WorldState } from './worldState';

/** Hands the messages of a response to the client's application, which keeps them by id. */
export function deliver(
  s: WorldState,
  client: number,
  request: number,
  firstId: number,
  count: number,
): void {
  const now = s.sched.now;
  const cursor = s.cursor[client];
  for (let id = firstId; id < firstId + count; id++) {
    const duplicate = id <= cursor;
    s.trace.push(
      now,
      EventKind.messageDelivered,
      client,
      request,
      id,
      now - s.publishedAtMs[id],
      duplicate ? 1 : 0,
    );
  }
  s.cursor[client] = Math.max(cursor, firstId + count - 1);
}

/**
 * The client gives up on its request and closes the connection. The close takes the network's
 * latency (no jitter: it draws nothing from the network's stream) and, like TCP, never overtakes
 * the request.
 */
export function giveUp(s: WorldState, client: number): void {
  const request = s.outstanding[client];
  const now = s.sched.now;
  s.trace.push(now, EventKind.clientTimeout, client, request);
  s.outstanding[client] = -1;
  const closeAtMs = Math.max(now + s.config.network.latencyMs, s.requests.arrivalMs[request]);
  s.sched.at(closeAtMs, task(TaskKind.clientClose, request), Priority.arrival);
}

/**
 * The client closes its open stream or socket (a switch of mode, or the run's end): its end is
 * recorded now, and the close reaches the server a trip later (as `giveUp`'s).
 */
export function closeAtClient(s: WorldState, client: number): void {
  const request = s.clientStream[client];
  if (request < 0) return;
  const now = s.sched.now;
  s.clientStream[client] = -1;
  s.trace.push(now, EventKind.streamEnded, client, request, 0, 0, StreamEnd.clientClosed);
  s.sched.at(
    now + s.config.network.latencyMs,
    task(TaskKind.clientClose, request),
    Priority.arrival,
  );
}
