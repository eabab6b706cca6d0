/**
 * What the two push modes share: one request opens a stream (SSE) or a socket (WebSocket) that
 * stays open, and the server sends each message on it as it is published. Only a broken stream
 * costs another request; its heartbeats and a proxy's idle timeout decide how often that is.
 */
import type { Scenario } from '../scenario';
import type { ClientMode, StreamMode } from './mode';

/** A stream mode's `ClientMode`, its work priced from its stream's settings. */
export function streamingMode(
  requestKind: ClientMode['requestKind'],
  stream: StreamMode,
): ClientMode {
  return {
    longPoll: false,
    requestKind,
    stream,
    fixedTimer: () => false,
    // A response in this mode (to a request sent before a switch) is followed by the stream.
    repollsAtOnce: () => true,
    // Only the opening: once open, a stream has no time limit of its own.
    requestTimeoutMs: (c) => c.clientTimeoutMarginMs,
    nextRequestMs: () => 0,
    usualRequests: (c, durationMs) => durationMs / Math.max(1, cutEveryMs(c, stream)),
    // Sent, arrived, an open frame sent and arrived, the stream's close at both ends, a wait, and
    // an error answer's two events.
    eventsPerRequest: 10,
    // Its frame sent and arrived, and delivered (or lost).
    eventsPerMessage: 3,
    // Each heartbeat's frame, sent and arrived.
    otherEvents: (c, durationMs) => {
      const heartbeatMs = stream.heartbeatMs(c);
      return heartbeatMs > 0 ? 2 * Math.ceil(durationMs / heartbeatMs) : 0;
    },
  };
}

/**
 * How often a proxy cuts the stream, at the most: every idle timeout, unless heartbeats come
 * more often (messages may also keep it open, but a quiet spell is priced as the worst case).
 */
function cutEveryMs(c: Scenario, stream: StreamMode): number {
  if (!c.proxy) return Infinity;
  const heartbeatMs = stream.heartbeatMs(c);
  if (heartbeatMs > 0 && heartbeatMs < c.proxy.idleTimeoutMs) return Infinity;
  return c.proxy.idleTimeoutMs + 2 * c.network.latencyMs;
}
