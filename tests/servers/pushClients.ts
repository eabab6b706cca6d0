/**
 * Real push clients for the tests that hold the simulation against a real server: an EventSource
 * that behaves as a browser's (it reconnects after its reconnection time, sending `Last-Event-ID`
 * with the last `id:` it saw, and gives up for good on an answer other than 200), and a WebSocket
 * client with a tiny RFC 6455 frame reader that reconnects after a fixed wait, as the simulation's
 * client does with a backoff without jitter. Both record what they see as the simulation's trace
 * does, and the bytes as they came off the socket, so a test can weigh them.
 *
 * They are written on Node's `http` and `net` modules so that the tests add no dependency.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

/** What a push client saw, in the order it saw it; `t` is in ms from the schedule's start. */
export type Seen =
  /** It sent the request that opens a stream or a socket; `after` is the message it resumes after. */
  | { t: number; what: 'request'; after?: string }
  /** The server accepted: SSE's 200 answer or WebSocket's 101. */
  | { t: number; what: 'open' }
  /** A message (an SSE event's data, or a WebSocket text frame's payload). */
  | { t: number; what: 'message'; body: string }
  /** The stream or socket ended, and the client did not end it. */
  | { t: number; what: 'ended' }
  /** An answer other than 200 (SSE) or 101 (WebSocket). */
  | { t: number; what: 'refused'; status: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** One event of an event stream: its fields as the HTML spec's parser reads them. */
export interface SseEvent {
  id?: string;
  data: string;
}

/**
 * The event stream parser of the HTML Living Standard, for what the tests need: `id:` and `data:`
 * fields, comment lines (`:`) skipped, an event dispatched at a blank line when it has data.
 * Feed it text as it arrives; it keeps an incomplete line for the next call.
 */
export function eventStreamParser(onEvent: (event: SseEvent) => void) {
  let pending = '';
  let id: string | undefined;
  let data: string[] = [];
  return (text: string) => {
    pending += text;
    const lines = pending.split(/\r\n|\r|\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) onEvent({ id, data: data.join('\n') });
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
  };
}

/**
 * An EventSource on `url` from `t0` until `untilMs` (ms after it): after a stream ends it waits
 * `retryMs` and reconnects with `Last-Event-ID`, as a browser does; an answer other than 200
 * closes it for good. At `untilMs` it closes its stream, which it does not record.
 */
export async function eventSource(
  url: string,
  t0: number,
  options: { untilMs: number; retryMs: number },
): Promise<Seen[]> {
  const now = () => performance.now() - t0;
  const seen: Seen[] = [];
  // Nchan's ids are its own (`<time>:<tag>`); the message each one named says it in our words.
  const bodyOf = new Map<string, string>();
  let lastId: string | undefined;
  while (now() < options.untilMs) {
    seen.push({ t: now(), what: 'request', after: lastId && bodyOf.get(lastId) });
    const ended = await new Promise<'ended' | 'closed' | 'refused'>((resolve) => {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastId !== undefined) headers['Last-Event-ID'] = lastId;
      // A new connection each time, as after a break: no pooled socket to reuse.
      const request = http.get(url, { headers, agent: false });
      let closedByUs = false;
      const stop = setTimeout(() => {
        closedByUs = true;
        request.destroy();
      }, options.untilMs - now());
      let finished = false;
      // The request's error and the response's close may both report one end.
      const finish = (how: 'ended' | 'refused') => {
        if (finished) return;
        finished = true;
        clearTimeout(stop);
        if (closedByUs) return resolve('closed');
        if (how === 'ended') seen.push({ t: now(), what: 'ended' });
        resolve(how);
      };
      request.on('error', () => finish('ended'));
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          seen.push({ t: now(), what: 'refused', status: response.statusCode ?? 0 });
          response.resume();
          return finish('refused');
        }
        seen.push({ t: now(), what: 'open' });
        response.setEncoding('utf8');
        const parse = eventStreamParser((event) => {
          if (event.id !== undefined) {
            lastId = event.id;
            bodyOf.set(event.id, event.data);
          }
          seen.push({ t: now(), what: 'message', body: event.data });
        });
        response.on('data', parse);
        // A proxy's cut ends the body without its last chunk: an error, then the close.
        response.on('error', () => {});
        response.on('close', () => finish('ended'));
      });
    });
    if (ended !== 'ended' || now() + options.retryMs >= options.untilMs) break;
    await sleep(options.retryMs);
  }
  return seen;
}

/** A WebSocket frame as it came off the wire. */
export interface WsFrame {
  opcode: number;
  /** The frame's header: 2, 4 or 10 bytes, and 4 more when masked. */
  headerBytes: number;
  payload: Buffer;
}

/** Reads RFC 6455 frames (§5.2) from bytes as they arrive; keeps an incomplete frame for later. */
export function frameReader(onFrame: (frame: WsFrame) => void) {
  let pending = Buffer.alloc(0);
  return (bytes: Buffer) => {
    pending = Buffer.concat([pending, bytes]);
    for (;;) {
      if (pending.length < 2) return;
      const masked = (pending[1] & 0x80) !== 0;
      let length = pending[1] & 0x7f;
      let header = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        header = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        header = 10;
      }
      const maskBytes = masked ? 4 : 0;
      if (pending.length < header + maskBytes + length) return;
      const payload = Buffer.from(
        pending.subarray(header + maskBytes, header + maskBytes + length),
      );
      if (masked) {
        const mask = pending.subarray(header, header + 4);
        for (let k = 0; k < payload.length; k++) payload[k] ^= mask[k % 4];
      }
      onFrame({ opcode: pending[0] & 0x0f, headerBytes: header + maskBytes, payload });
      pending = pending.subarray(header + maskBytes + length);
    }
  };
}

/** A WebSocket opened by hand: its 101 answer (or refusal), then each frame from the server. */
export interface RawSocket {
  /** Resolves with the status of the answer to the upgrade (101 when it opened). */
  opened: Promise<number>;
  /** Resolves when the connection closes, whoever closed it. */
  closed: Promise<void>;
  close(): void;
}

/**
 * Opens a WebSocket to `url` (ws: is spelt http: here) over a plain TCP connection: the upgrade
 * request of RFC 6455 §4.1, then frames. `onStatus` hears the answer's status before `onFrame`
 * hears the frames that came with it or after.
 */
export function openRawSocket(
  url: string,
  onFrame: (frame: WsFrame) => void,
  onStatus: (status: number) => void = () => {},
): RawSocket {
  const { hostname, port, pathname, search } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const read = frameReader(onFrame);
  let head = Buffer.alloc(0);
  let upgraded = false;
  let resolveOpened: (status: number) => void = () => {};
  const opened = new Promise<number>((resolve) => (resolveOpened = resolve));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => resolveOpened(0));
  socket.on('close', () => resolveOpened(0));
  socket.on('connect', () => {
    socket.write(
      [
        `GET ${pathname}${search} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
  });
  socket.on('data', (bytes: Buffer) => {
    if (upgraded) return read(bytes);
    head = Buffer.concat([head, bytes]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head.toString('latin1'))?.[1] ?? 0);
    onStatus(status);
    resolveOpened(status);
    if (status !== 101) return socket.destroy();
    upgraded = true;
    read(head.subarray(end + 4));
  });
  return { opened, closed, close: () => socket.destroy() };
}

/**
 * A WebSocket client on `url` from `t0` until `untilMs`: after its socket ends it waits
 * `reconnectMs` and opens another (with no cursor: it does not resume). At `untilMs` it closes
 * its socket, which it does not record.
 */
export async function webSocket(
  url: string,
  t0: number,
  options: { untilMs: number; reconnectMs: number },
): Promise<Seen[]> {
  const now = () => performance.now() - t0;
  const seen: Seen[] = [];
  while (now() < options.untilMs) {
    seen.push({ t: now(), what: 'request' });
    let accepted = false;
    const socket = openRawSocket(
      url,
      (frame) => {
        if (frame.opcode === 1)
          seen.push({ t: now(), what: 'message', body: String(frame.payload) });
      },
      (status) => {
        accepted = status === 101;
        if (accepted) seen.push({ t: now(), what: 'open' });
        else if (status !== 0) seen.push({ t: now(), what: 'refused', status });
      },
    );
    let closedByUs = false;
    const stop = setTimeout(() => {
      closedByUs = true;
      socket.close();
    }, options.untilMs - now());
    await socket.closed;
    clearTimeout(stop);
    if (closedByUs) break;
    if (accepted) seen.push({ t: now(), what: 'ended' });
    if (now() + options.reconnectMs >= options.untilMs) break;
    await sleep(options.reconnectMs);
  }
  return seen;
}
