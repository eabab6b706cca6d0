/**
 * The proxy in front of the server (nginx's `proxy_read_timeout`, a load balancer's idle timeout):
 * it cuts a request that carried no byte for its idle timeout. The server's connection closes and
 * the client gets the proxy's 504 instead of a clean "no new data".
 */
import { EventKind } from './trace';
import { task, TaskKind, type WorldState } from './worldState';

/** Starts the proxy's idle timer for a request the server holds. */
export function watchIdle(s: WorldState, request: number): void {
  const proxy = s.config.proxy;
  if (!proxy) return;
  s.proxyCuts.set(request, s.sched.after(proxy.idleTimeoutMs, task(TaskKind.proxyCut, request)));
}

/** Stops the idle timer of a request that is no longer held (answered, expired or closed). */
export function stopWatching(s: WorldState, request: number): void {
  const cut = s.proxyCuts.get(request);
  if (cut === undefined) return;
  s.sched.cancel(cut);
  s.proxyCuts.delete(request);
}

/**
 * The proxy cuts a request it held open too long. The world then tells the server, whose
 * connection closed (it forgets the request), and answers the client with the proxy's 504.
 */
export function recordProxyCut(s: WorldState, request: number): void {
  s.proxyCuts.delete(request);
  s.trace.push(s.sched.now, EventKind.proxyCut, s.requests.client[request], request);
}
