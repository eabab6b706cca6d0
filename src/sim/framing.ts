/**
 * The bytes a stream's frames take on the wire, beyond the headers that open it.
 *
 * Server-Sent Events (HTML Living Standard, "Server-sent events", the event stream format): an
 * event is `id: <id>\n` (5 bytes and the id's digits) and `data: <payload>\n\n` (8 bytes and the
 * payload); a heartbeat is the comment line `:\n\n` (3 bytes). Over HTTP/1.1 the open response is
 * sent in chunks (RFC 9112 §7.1): each write adds its size in hex, a CRLF, and a CRLF after it.
 *
 * WebSocket (RFC 6455 §5.2): a frame's header is 2 bytes for a payload up to 125 bytes, 4 up to
 * 65,535 and 10 beyond; a frame from the client is masked, 4 bytes more. A ping is a 2-byte
 * frame with no payload, and the browser answers it with a masked pong (6 bytes).
 */
import { RequestKind } from './trace';

/** One chunk of chunked transfer coding around `n` bytes: its size in hex, CRLF, data, CRLF. */
const chunked = (n: number): number => n.toString(16).length + 4 + n;

const digits = (id: number): number => String(id).length;

/** A WebSocket frame's header for a payload of `n` bytes (unmasked, from the server). */
export const wsHeaderBytes = (n: number): number => (n <= 125 ? 2 : n <= 65_535 ? 4 : 10);

/** Bytes from the server for one message event on a stream of this kind. */
export function messageFrameBytes(kind: number, messageId: number, payloadBytes: number): number {
  if (kind === RequestKind.websocket) return wsHeaderBytes(payloadBytes) + payloadBytes;
  return chunked(5 + digits(messageId) + 8 + payloadBytes);
}

/** Bytes from the server for one heartbeat: an SSE comment line, or a WebSocket ping. */
export const heartbeatBytes = (kind: number): number =>
  kind === RequestKind.websocket ? 2 : chunked(3);

/** Bytes from the client for one heartbeat: the pong a browser answers a ping with. */
export const heartbeatReplyBytes = (kind: number): number =>
  kind === RequestKind.websocket ? 2 + 4 : 0;
