/**
 * Chromium's own EventSource as a real client, against a tiny event-stream server of ours that
 * records every request it gets (when, and its `Last-Event-ID`). The simulation's SSE client
 * follows what browsers do: after a stream ends it waits `sse.retryMs` (3000 by default,
 * Chromium's reconnection time) and reconnects with the id of the last event it saw; an answer
 * other than 200 closes the EventSource for good (`sse.reopenAfterErrorMs` null). Here Chromium
 * must do the same.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, simulate, type ScenarioInput } from '../src/sim/index.ts';
import { launchBrowser, type Browser } from './harness.ts';

/** A request our server got: when (performance.now()) and the Last-Event-ID it carried. */
interface Arrival {
  atMs: number;
  lastEventId?: string;
}

const arrivals: Record<string, Arrival[]> = { closes: [], refused: [] };
/** When the first stream's response finished (the server ended it). */
let firstStreamEndedAtMs = 0;

/**
 * `/` is an empty page, so that the EventSource is same-origin (no CORS). `/closes` sends two
 * events (ids 1 and 2) and ends the response, as a server going away cleanly does; the
 * reconnection is answered 204, which tells the EventSource to stop. `/refused` answers 503.
 */
const server = http.createServer((request, response) => {
  const route = new URL(request.url ?? '/', 'http://localhost').pathname.slice(1);
  if (route === '') {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    return response.end('<!doctype html><title>EventSource</title>');
  }
  const seen = arrivals[route];
  if (!seen) return response.writeHead(404).end();
  const lastEventId = request.headers['last-event-id'];
  seen.push({ atMs: performance.now(), lastEventId: lastEventId as string | undefined });
  if (route === 'refused') return response.writeHead(503).end();
  if (seen.length > 1) return response.writeHead(204).end();
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
  response.write('id: 1\ndata: a\n\n');
  response.write('id: 2\ndata: b\n\n');
  setTimeout(() => {
    response.on('finish', () => (firstStreamEndedAtMs = performance.now()));
    response.end();
  }, 200);
});

let browser: Browser;
let origin: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Waits until `done()` holds, checking every 50 ms, for at most `timeoutMs`. */
async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function openPage(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(origin);
  return page;
}

/** The simulated client's reconnect: the wait after its stream ended, and the cursor it sent. */
function simulatedReconnect(input: ScenarioInput): { waitMs: number; cursor?: number } {
  const events = [...simulate(scenario(input)).trace.events()];
  const ended = events.find((e) => e.kind === 'stream.ended');
  const reopened = events.filter((e) => e.kind === 'request.sent')[1];
  if (!ended || !reopened) throw new Error('the simulated stream did not end and reopen');
  return { waitMs: reopened.t - ended.t, cursor: reopened.cursor };
}

describe('Chromium’s EventSource, as the simulation’s SSE client', () => {
  it('sse: after the server ends the stream, Chromium reconnects after about 3 s (the simulation’s default retryMs) with Last-Event-ID of the last event', async () => {
    const page = await openPage();
    try {
      // The page keeps what its EventSource heard; the test reads it once the reconnect is in.
      await page.evaluate(() => {
        const heard: string[] = [];
        (window as unknown as { heard: string[] }).heard = heard;
        const source = new EventSource('/closes');
        source.onmessage = (event) => heard.push(`${event.lastEventId}:${event.data}`);
      });
      await waitFor(() => arrivals.closes.length >= 2, 10_000, 'the reconnection');
      const heard = await page.evaluate(() => (window as unknown as { heard: string[] }).heard);
      expect(heard).toEqual(['1:a', '2:b']);
      const [first, second] = arrivals.closes;
      expect(first.lastEventId).toBeUndefined();
      expect(second.lastEventId).toBe('2');
      const reconnectMs = second.atMs - firstStreamEndedAtMs;
      expect(
        reconnectMs,
        `Chromium reconnected ${Math.round(reconnectMs)} ms after the end`,
      ).toBeGreaterThan(2500);
      expect(reconnectMs).toBeLessThan(4000);

      // The simulation, its default retryMs: a proxy ends the stream after two messages, and
      // the client reopens it retryMs later, sending the last id it saw.
      const simulated = simulatedReconnect({
        mode: 'sse',
        durationMs: 10_000,
        network: { latencyMs: 0, jitterMs: 0, lossRate: 0 },
        proxy: { idleTimeoutMs: 1000 },
        messages: { script: [100, 100] },
      });
      expect(scenario({ mode: 'sse' }).sse.retryMs).toBe(3000);
      expect(simulated).toEqual({ waitMs: 3000, cursor: 2 });
      expect(Math.abs(reconnectMs - simulated.waitMs)).toBeLessThan(1000);
    } finally {
      await page.close();
    }
  });

  it('sse: an answer of 503 closes the EventSource for good: CLOSED, and no new request within 6 s', async () => {
    const page = await openPage();
    try {
      const readyState = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const source = new EventSource('/refused');
            (window as unknown as { source: EventSource }).source = source;
            // The error comes with the refusal; the state after it says whether it will retry.
            source.onerror = () => setTimeout(() => resolve(source.readyState), 0);
          }),
      );
      expect(readyState).toBe(2 /* EventSource.CLOSED */);
      await new Promise((resolve) => setTimeout(resolve, 6000));
      expect(arrivals.refused).toHaveLength(1);
      const stateAfter = await page.evaluate(
        () => (window as unknown as { source: EventSource }).source.readyState,
      );
      expect(stateAfter).toBe(2);

      // The simulation: the opening request is refused (the server is down) and, with the
      // default reopenAfterErrorMs (null), no other is ever sent.
      const s = scenario({
        mode: 'sse',
        durationMs: 20_000,
        network: { latencyMs: 0, jitterMs: 0, lossRate: 0 },
        faults: [{ atMs: 0, kind: 'server-restart', downMs: 1000 }],
        messages: { script: [] },
      });
      expect(s.sse.reopenAfterErrorMs).toBeNull();
      const events = [...simulate(s).trace.events()];
      expect(events.filter((e) => e.kind === 'request.sent')).toHaveLength(1);
      expect(events.find((e) => e.kind === 'response.arrived')?.status).toBe('server-error');
    } finally {
      await page.close();
    }
  });
});
