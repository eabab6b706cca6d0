/**
 * Long polling: the server holds each request until it has a message for the client or the hold
 * (`longPollTimeoutMs`) ends, then answers; the client asks again after `repollDelayMs`.
 */
import { RequestKind } from '../trace';
import type { ClientMode } from './mode';

export const longPolling: ClientMode = {
  longPoll: true,
  requestKind: RequestKind.longPoll,
  fixedTimer: () => false,
  repollsAtOnce: (c) => c.repollDelayMs === 0,
  // The client waits out the hold, and a margin for the trip.
  requestTimeoutMs: (c) => c.longPollTimeoutMs + c.clientTimeoutMarginMs,
  nextRequestMs: (c) => c.repollDelayMs,
  // One request per hold that ends empty, and at most one per message.
  usualRequests: (c, durationMs, messages) =>
    durationMs / Math.max(1, c.longPollTimeoutMs + 2 * c.network.latencyMs + c.repollDelayMs) +
    messages,
  // A poll's six events, and the hold and its end.
  eventsPerRequest: 8,
  // Delivered or lost, and the response that carried it.
  eventsPerMessage: 2,
  otherEvents: () => 0,
};
