/**
 * The server's per-client rate limit, as a generic cell rate algorithm (GCRA): each client has a
 * theoretical time for its next request at the steady rate, and a request earlier than that by
 * more than the burst allows is over the limit (429), as nginx's `limit_req` with `nodelay` does.
 */
import type { WorldState } from './worldState';

/** Whether the request's client is over the limit now (asking counts nothing). */
export function overRateLimit(s: WorldState, request: number): boolean {
  const limit = s.config.server.rateLimit;
  if (!limit) return false;
  const slackMs = (limit.burst - 1) * (60_000 / limit.requestsPerMin);
  // A spacing such as 60,000 / 288 ms is not exact in floating point, and a dozen of them added
  // up can land a hair past a whole millisecond: a microsecond of tolerance keeps a request that
  // arrives exactly on time allowed.
  return s.sched.now < s.rateTat[s.requests.client[request]] - slackMs - 1e-3;
}

/** Counts a request the limiter let through: the client's next one is due a spacing later. */
export function admit(s: WorldState, request: number): void {
  const limit = s.config.server.rateLimit;
  if (!limit) return;
  const client = s.requests.client[request];
  const spacingMs = 60_000 / limit.requestsPerMin;
  s.rateTat[client] = Math.max(s.rateTat[client], s.sched.now) + spacingMs;
}
