/**
 * The raw bytes a server sends on a stream or a socket, captured on a plain TCP connection so that
 * nothing (Node's HTTP parser, chunked decoding) hides the framing the simulation counts.
 */
import net from 'node:net';
import { openRawSocket, type WsFrame } from './pushClients';

/** How long a capture may take before it fails: generous for a busy machine, yet finite. */
const CAPTURE_TIMEOUT_MS = 5000;

function deadline(what: string): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: nothing after ${CAPTURE_TIMEOUT_MS} ms`)),
      CAPTURE_TIMEOUT_MS,
    );
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * Opens an event stream at `url` with a hand-written HTTP/1.1 GET, runs `act` once the answer's
 * headers and first bytes are in, and returns the headers and the body bytes (as Latin-1 text,
 * one character a byte) once an event has ended after it.
 */
export async function captureEventStream(
  url: string,
  act: () => Promise<void>,
): Promise<{ headers: string; body: string }> {
  const { hostname, port, pathname, search } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = '';
  let grew: () => void = () => {};
  socket.on('data', (bytes: Buffer) => {
    received += bytes.toString('latin1');
    grew();
  });
  socket.on('error', () => {});
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      grew = () => {
        if (done()) resolve();
      };
      grew();
    });
  const limit = deadline(`capturing ${url}`);
  try {
    await Promise.race([new Promise((resolve) => socket.on('connect', resolve)), limit.promise]);
    socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
        'Accept: text/event-stream\r\n\r\n',
    );
    const headEnd = () => received.indexOf('\r\n\r\n');
    // The headers, then the opening comment: the stream is open.
    await Promise.race([until(() => headEnd() >= 0 && received.includes(': hi')), limit.promise]);
    await act();
    await Promise.race([until(() => /data: [^\n]*\n\n(\r\n)?$/.test(received)), limit.promise]);
    // Anything the server sends right after the event (there should be nothing) is caught too.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { headers: received.slice(0, headEnd()), body: received.slice(headEnd() + 4) };
  } finally {
    limit.clear();
    socket.destroy();
  }
}

/** Opens a WebSocket at `url`, runs `act` once it is open, and returns its first `count` frames. */
export async function captureSocketFrames(
  url: string,
  count: number,
  act: () => Promise<void>,
): Promise<WsFrame[]> {
  const frames: WsFrame[] = [];
  let enough: () => void = () => {};
  const socket = openRawSocket(url, (frame) => {
    frames.push(frame);
    if (frames.length >= count) enough();
  });
  const limit = deadline(`capturing ${url}`);
  try {
    const status = await Promise.race([socket.opened, limit.promise]);
    if (status !== 101) throw new Error(`${url}: the upgrade was answered ${status}`);
    await act();
    const all = new Promise<void>((resolve) => {
      enough = resolve;
      if (frames.length >= count) resolve();
    });
    await Promise.race([all, limit.promise]);
    return frames;
  } finally {
    limit.clear();
    socket.close();
  }
}
