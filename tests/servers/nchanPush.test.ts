/**
 * The push modes against a real server. Nchan (nginx and its pub/sub module) serves the same
 * channel to EventSource and WebSocket subscribers; a real client of each kind (`pushClients.ts`)
 * subscribes while messages are published on a schedule, and the simulation runs the same schedule
 * as a scenario (`mode: "sse"` or `"websocket"`, no delay). What each client saw — its requests,
 * the stream opening, every message, the stream's end — must be the same, in the same order, at
 * the same times give or take the machine's scheduling (TOLERANCE_MS), as in `nchan.test.ts`.
 *
 * Nchan's `nchan_message_buffer_length` is the simulation's `server.bufferLimit`, and its buffer
 * is `server.buffer: "log"`: an EventSource that reconnects with `Last-Event-ID` gets what was
 * published meanwhile. nginx as a reverse proxy with `proxy_read_timeout` is `proxy.idleTimeoutMs`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, simulate, type ScenarioInput } from '../../src/sim';
import { messageFrameBytes } from '../../src/sim/framing';
import { RequestKind } from '../../src/sim/trace';
import { publishOnSchedule, startNchan, type Nchan } from './nchan';
import { eventSource, webSocket, type Seen } from './pushClients';
import { captureEventStream, captureSocketFrames } from './wire';

const BUFFER = 3;
/** nginx's proxy_read_timeout in front of the subscribers under /cut/. */
const PROXY_IDLE_MS = 1000;
/** The reconnection time of our EventSource and the wait of our WebSocket client. */
const RETRY_MS = 1000;
/** How far a real event may be from the simulated one: timers, processes, a busy machine. */
const TOLERANCE_MS = 400;

let nchan: Nchan;
beforeAll(async () => {
  nchan = await startNchan({ bufferLength: BUFFER, timeoutS: 30, proxyIdleMs: PROXY_IDLE_MS });
}, 30_000);
afterAll(() => nchan?.stop());

/** What a client saw, in words both sides share. */
type Said = { t: number; said: string };

function fromClient(seen: Seen[]): Said[] {
  return seen.map((e) => ({
    t: e.t,
    said:
      e.what === 'request'
        ? e.after
          ? `request after ${e.after}`
          : 'request'
        : e.what === 'message'
          ? e.body
          : e.what === 'refused'
            ? `refused ${e.status}`
            : e.what,
  }));
}

/** The simulated client's view of its stream or socket, as the real client records it. */
function fromSimulation(input: ScenarioInput): Said[] {
  const { trace } = simulate(
    scenario({
      ...input,
      network: { latencyMs: 0, jitterMs: 0, lossRate: 0 },
      server: { batch: false, buffer: 'log', bufferLimit: BUFFER },
    }),
  );
  const said: Said[] = [];
  for (const e of trace.events()) {
    if (e.kind === 'request.sent') {
      // An EventSource sends the id of the last event it saw; a socket without resume sends none.
      const resumes = e.transport === 'sse' && (e.cursor ?? 0) > 0;
      said.push({ t: e.t, said: resumes ? `request after m${e.cursor}` : 'request' });
    } else if (e.kind === 'frame.arrived' && e.frame === 'open') {
      said.push({ t: e.t, said: 'open' });
    } else if (e.kind === 'frame.arrived' && e.frame === 'message') {
      for (const id of e.messages ?? []) said.push({ t: e.t, said: `m${id}` });
    } else if (e.kind === 'stream.ended' && e.reason !== 'client-closed') {
      // The client's own close at the run's end is not something it sees happen.
      said.push({ t: e.t, said: 'ended' });
    }
  }
  return said;
}

function expectSame(real: Said[], simulated: Said[]): void {
  expect(real.map((r) => r.said)).toEqual(simulated.map((s) => s.said));
  real.forEach((r, k) => {
    const drift = Math.abs(r.t - simulated[k].t);
    expect(
      drift,
      `event ${k + 1} ("${r.said}") at ${Math.round(r.t)} ms, simulated at ${simulated[k].t} ms`,
    ).toBeLessThan(TOLERANCE_MS);
  });
}

let channels = 0;
const channel = () => `push${++channels}`;

describe('agreement with a real Nchan, event for event: Server-Sent Events', () => {
  it('sse: a new EventSource gets at once the oldest messages the buffer keeps (3 of 5), then each message the moment it is published, a burst in order (buffer=3)', async () => {
    const room = channel();
    for (let k = 1; k <= 5; k++) await nchan.publish(room, `m${k}`);
    const t0 = performance.now();
    const schedule = [
      { atMs: 500, body: 'm6' },
      { atMs: 1000, body: 'm7' },
      { atMs: 1000, body: 'm8' },
    ];
    const [seen] = await Promise.all([
      eventSource(`${nchan.base}/es?channel=${room}`, t0, { untilMs: 1500, retryMs: RETRY_MS }),
      publishOnSchedule(nchan, room, t0, schedule),
    ]);
    const simulated = fromSimulation({
      mode: 'sse',
      durationMs: 1500,
      messages: { script: [0, 0, 0, 0, 0, 500, 1000, 1000] },
    });
    expect(simulated.map((s) => [s.said, s.t])).toEqual([
      ['request', 0],
      ['open', 0],
      ['m3', 0],
      ['m4', 0],
      ['m5', 0],
      ['m6', 500],
      ['m7', 1000],
      ['m8', 1000],
    ]);
    expectSame(fromClient(seen), simulated);
  }, 20_000);

  it('sse: a proxy cuts the idle stream; the EventSource reconnects after retryMs with Last-Event-ID and gets the message published meanwhile, then the next as it comes (proxy idle=1s, retry=1s)', async () => {
    const room = channel();
    const t0 = performance.now();
    // m1 at 0.5 s; the stream is idle from then, so the proxy cuts it at 1.5 s; the client
    // reconnects at 2.5 s; m2 was published at 2 s, while it was away. (m1 comes well over
    // 300 ms after the opening, so nginx restarts its idle timer for it.)
    const schedule = [
      { atMs: 500, body: 'm1' },
      { atMs: 2000, body: 'm2' },
      { atMs: 3000, body: 'm3' },
    ];
    const [seen] = await Promise.all([
      eventSource(`${nchan.base}/cut/es?channel=${room}`, t0, {
        untilMs: 3400,
        retryMs: RETRY_MS,
      }),
      publishOnSchedule(nchan, room, t0, schedule),
    ]);
    const simulated = fromSimulation({
      mode: 'sse',
      durationMs: 3400,
      proxy: { idleTimeoutMs: PROXY_IDLE_MS },
      sse: { retryMs: RETRY_MS },
      messages: { script: [500, 2000, 3000] },
    });
    expect(simulated.map((s) => [s.said, s.t])).toEqual([
      ['request', 0],
      ['open', 0],
      ['m1', 500],
      ['ended', 1500],
      ['request after m1', 2500],
      ['open', 2500],
      ['m2', 2500],
      ['m3', 3000],
    ]);
    expectSame(fromClient(seen), simulated);
  }, 20_000);
});

describe('agreement with a real Nchan, event for event: WebSocket', () => {
  it('websocket: a new socket gets only what is published after it opens, each message the moment it is published, a burst in order', async () => {
    const room = channel();
    await nchan.publish(room, 'm1');
    const t0 = performance.now();
    const schedule = [
      { atMs: 500, body: 'm2' },
      { atMs: 1000, body: 'm3' },
      { atMs: 1000, body: 'm4' },
    ];
    const [seen] = await Promise.all([
      webSocket(`${nchan.base}/ws?channel=${room}`, t0, { untilMs: 1500, reconnectMs: RETRY_MS }),
      publishOnSchedule(nchan, room, t0, schedule),
    ]);
    const simulated = fromSimulation({
      mode: 'websocket',
      durationMs: 1500,
      messages: { script: [0, 500, 1000, 1000] },
    });
    expect(simulated.map((s) => [s.said, s.t])).toEqual([
      ['request', 0],
      ['open', 0],
      ['m2', 500],
      ['m3', 1000],
      ['m4', 1000],
    ]);
    expectSame(fromClient(seen), simulated);
  }, 20_000);

  it('websocket: a proxy cuts the idle socket; the client opens another after its wait, without a cursor, and the message published meanwhile is lost (proxy idle=1s, backoff=1s)', async () => {
    const room = channel();
    const t0 = performance.now();
    const schedule = [
      { atMs: 500, body: 'm1' },
      { atMs: 2000, body: 'm2' },
      { atMs: 3000, body: 'm3' },
    ];
    const [seen] = await Promise.all([
      webSocket(`${nchan.base}/cut/ws?channel=${room}`, t0, {
        untilMs: 3400,
        reconnectMs: RETRY_MS,
      }),
      publishOnSchedule(nchan, room, t0, schedule),
    ]);
    const simulated = fromSimulation({
      mode: 'websocket',
      durationMs: 3400,
      proxy: { idleTimeoutMs: PROXY_IDLE_MS },
      backoff: { initialMs: RETRY_MS, jitter: 0 },
      messages: { script: [500, 2000, 3000] },
    });
    expect(simulated.map((s) => [s.said, s.t])).toEqual([
      ['request', 0],
      ['open', 0],
      ['m1', 500],
      ['ended', 1500],
      ['request', 2500],
      ['open', 2500],
      ['m3', 3000],
    ]);
    expectSame(fromClient(seen), simulated);
  }, 20_000);
});

describe('bytes per event on the wire, against src/sim/framing.ts', () => {
  const payload = 'x'.repeat(100);

  it('sse: Nchan sends `id: <time>:<tag>` and `data:` lines; the `data:` line and the chunked framing are the simulation’s, the id line is longer (payload=100 B)', async () => {
    const room = channel();
    const direct = await captureEventStream(`${nchan.base}/es?channel=${room}`, () =>
      nchan.publish(room, payload),
    );
    // Straight from Nchan: no Transfer-Encoding and no Content-Length (the body ends when the
    // connection closes), a comment `: hi` as the stream opens, then the event.
    expect(direct.headers).not.toMatch(/^transfer-encoding:/im);
    expect(direct.headers).not.toMatch(/^content-length:/im);
    const id = /^id: (\d+:\d+)\n/m.exec(direct.body)?.[1];
    expect(id, direct.body).toBeDefined();
    const idLine = `id: ${id}\n`;
    const dataLines = `data: ${payload}\n\n`;
    expect(direct.body).toBe(`: hi\n\n${idLine}${dataLines}`);
    // The simulation's event is `id: N\n` (5 bytes and the digits) and `data: …\n\n` (8 bytes and
    // the payload): the same data part; Nchan's id is its publication time and a tag.
    expect(dataLines.length).toBe(8 + payload.length);

    // Through nginx as a proxy (HTTP/1.1 to the client), each write becomes one chunk: its size
    // in hex, CRLF, the bytes, CRLF — the framing the simulation adds to every event.
    const room2 = channel();
    const proxied = await captureEventStream(`${nchan.base}/cut/es?channel=${room2}`, () =>
      nchan.publish(room2, payload),
    );
    expect(proxied.headers).toMatch(/^transfer-encoding: chunked\r$/im);
    const id2 = /^id: (\d+:\d+)\n/m.exec(proxied.body)?.[1];
    const event = `id: ${id2}\n${dataLines}`;
    const chunk = `${event.length.toString(16)}\r\n${event}\r\n`;
    expect(proxied.body).toBe(`6\r\n: hi\n\n\r\n${chunk}`);
    // Nchan's event weighs what the simulation's does, but for the longer id line.
    const simulated = messageFrameBytes(RequestKind.sse, 1, payload.length);
    expect(chunk.length - simulated).toBe(`id: ${id2}\n`.length - 'id: 1\n'.length);
  }, 20_000);

  it('websocket: a text frame from Nchan is a 2-byte header up to 125 bytes of payload and 4 beyond, unmasked, as the simulation counts (payload=100 B, 200 B)', async () => {
    const room = channel();
    const frames = await captureSocketFrames(`${nchan.base}/ws?channel=${room}`, 2, async () => {
      await nchan.publish(room, payload);
      await nchan.publish(room, 'y'.repeat(200));
    });
    expect(frames.map((f) => [f.opcode, f.headerBytes, f.payload.length])).toEqual([
      [1, 2, 100],
      [1, 4, 200],
    ]);
    for (const [k, f] of frames.entries()) {
      expect(f.headerBytes + f.payload.length).toBe(
        messageFrameBytes(RequestKind.websocket, k + 1, f.payload.length),
      );
    }
  }, 20_000);
});
