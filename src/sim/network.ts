/**
 * The network between the clients and the server: each message takes the one-way latency plus a
 * seeded jitter, and is lost with the loss rate. Requests and responses are put on it here, and
 * their arrival (or loss) is scheduled for the world to run.
 */
import { Priority } from './scheduler';
import { EventKind, type RequestKind, type ResponseStatus } from './trace';
import { broken, task, TaskKind, type WorldState } from './worldState';

/** One trip's delay: the latency, plus jitter drawn from the network's stream. */
export function oneWayMs(s: WorldState): number {
  const { latencyMs, jitterMs } = s.config.network;
  return latencyMs + (jitterMs > 0 ? s.rng.network.int(jitterMs + 1) : 0);
}

/** Whether the network loses this trip (drawn from the network's stream). */
function dropped(s: WorldState): boolean {
  const { lossRate } = s.config.network;
  return lossRate > 0 && s.rng.network.next() < lossRate;
}

/** Sends a client's request, carrying its cursor; the client now waits for its answer. */
export function sendRequest(s: WorldState, client: number, kind: RequestKind): void {
  const now = s.sched.now;
  const cursor = s.cursor[client];
  const delayMs = oneWayMs(s);
  const lost = dropped(s);
  const request = s.requests.add(client, cursor, kind, now + delayMs);
  s.outstanding[client] = request;
  s.trace.push(now, EventKind.requestSent, client, request, cursor, kind);
  const arrival = lost ? TaskKind.requestLost : TaskKind.requestArrives;
  s.sched.at(now + delayMs, task(arrival, request), Priority.arrival);
}

/** The server answers a request that reached it: messages, "no new data" or an error. */
export function respond(
  s: WorldState,
  request: number,
  firstId: number,
  count: number,
  status: ResponseStatus,
): void {
  if (!s.open.delete(request)) broken(s, `request ${request} is answered twice`);
  const now = s.sched.now;
  const client = s.requests.client[request];
  s.trace.push(now, EventKind.responseSent, client, request, firstId, count, status);
  const delayMs = oneWayMs(s);
  const kind = dropped(s) ? TaskKind.responseLost : TaskKind.responseArrives;
  s.sched.at(now + delayMs, task(kind, request, firstId, count, status), Priority.arrival);
}
