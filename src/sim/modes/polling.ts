/**
 * Polling: the client asks at regular intervals and the server answers at once, new data or not.
 * The interval runs from each answer's arrival (`pollTimer: "after-response"`) or on a fixed
 * timer that ticks whatever the request in flight is doing (`"fixed"`).
 */
import { RequestKind } from '../trace';
import type { ClientMode } from './mode';

export const polling: ClientMode = {
  longPoll: false,
  requestKind: RequestKind.poll,
  fixedTimer: (c) => c.pollTimer === 'fixed',
  repollsAtOnce: () => false,
  requestTimeoutMs: (c) => c.clientTimeoutMarginMs,
  nextRequestMs: (c) => c.pollIntervalMs,
  usualRequests: (c, durationMs) => durationMs / c.pollIntervalMs,
  // Sent, arrived, response sent, response arrived or late, a client timeout, a backoff.
  eventsPerRequest: 6,
  // Delivered or lost, and the response that carried it.
  eventsPerMessage: 2,
  otherEvents: () => 0,
};
