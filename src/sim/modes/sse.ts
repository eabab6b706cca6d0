/**
 * Server-Sent Events: one GET whose response stays open; each message is an event on it, with
 * an `id:`. After the stream breaks, the browser waits `sse.retryMs` and reconnects with
 * `Last-Event-ID`, so a server with a log resumes from there. An answer other than 200 closes the
 * EventSource for good, unless the application opens a new one (`sse.reopenAfterErrorMs`).
 */
import { RequestKind } from '../trace';
import { streamingMode } from './stream';

export const sse = streamingMode(RequestKind.sse, {
  retryMs: (c) => c.sse.retryMs,
  reopenAfterErrorMs: (c) => c.sse.reopenAfterErrorMs,
  heartbeatMs: (c) => c.sse.heartbeatMs,
  // Last-Event-ID: the server resumes from its log when it keeps one.
  resumes: () => true,
});
