/**
 * WebSocket: an upgrade request and its 101 answer, then frames. After a break the client backs
 * off (`backoff`) and opens a new socket; it resumes from its cursor only with `websocket.resume`
 * (as Socket.IO's connection-state recovery), otherwise what was published meanwhile is lost.
 */
import { RequestKind } from '../trace';
import { streamingMode } from './stream';

export const websocket = streamingMode(RequestKind.websocket, {
  retryMs: () => undefined,
  reopenAfterErrorMs: () => undefined,
  heartbeatMs: (c) => c.websocket.pingIntervalMs,
  resumes: (c) => c.websocket.resume,
});
