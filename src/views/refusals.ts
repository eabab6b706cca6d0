/**
 * The server's refusals in words, shared by the diagram's labels and the event log's sentences,
 * so that a 429 or a 503 is explained the same way in both.
 */
import { ResponseStatus, type Scenario } from '../sim';
import { count } from '../format';

/** Whether a response status is a refusal by the server's limits (429 or 503). */
export const isRefusalStatus = (status: number): boolean =>
  status === ResponseStatus.rateLimited || status === ResponseStatus.overCapacity;

/** "30 requests a minute, burst 5"; an intervention may change either part alone. */
export function rateLimitWords(limit: { requestsPerMin?: number; burst?: number }): string {
  const n = limit.requestsPerMin;
  const parts: string[] = [];
  if (n !== undefined) parts.push(`${count(n)} ${n === 1 ? 'request' : 'requests'} a minute`);
  if (limit.burst !== undefined) parts.push(`burst ${count(limit.burst)}`);
  return parts.join(', ');
}

/**
 * A refusal's HTTP status and why, from the server settings in force when it was sent:
 * ["429 Too Many Requests", "client 3 is over the rate limit (60 requests a minute, burst 5)"].
 */
export function refusalWords(
  status: number,
  server: Scenario['server'],
  client: number,
): [status: string, why: string] {
  if (status === ResponseStatus.rateLimited) {
    const limit = server.rateLimit;
    return [
      '429 Too Many Requests',
      `client ${client + 1} is over the rate limit` + (limit ? ` (${rateLimitWords(limit)})` : ''),
    ];
  }
  const cap = server.maxHeldRequests;
  return [
    '503 Service Unavailable',
    'the server already holds ' +
      (cap != null
        ? `its maximum of ${count(cap)} ${cap === 1 ? 'request' : 'requests'}`
        : 'as many requests as it may'),
  ];
}
