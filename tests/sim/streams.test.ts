/**
 * Server-Sent Events and WebSocket: worked examples anyone can check by hand, each exact where
 * the physics is exact (a constant one-way delay of 50 ms unless said otherwise).
 */
import { describe, expect, it } from 'vitest';
import { estimateEvents, scenario, type ScenarioInput } from '../../src/sim';
import { events, metricsOf, run } from './helpers';

const quiet = { messages: { script: [] } } satisfies ScenarioInput;
const kinds = (input: ScenarioInput, ...names: string[]) =>
  events(input).filter((e) => names.includes(e.kind));

describe('push: an open stream or socket', () => {
  for (const mode of ['sse', 'websocket'] as const) {
    it(`${mode}: idle for 10 minutes: one request, no answer, nothing wasted (no proxy)`, () => {
      const m = metricsOf({ mode, durationMs: 600_000, ...quiet });
      expect(m.requests).toBe(1);
      expect(m.responses).toBe(0);
      expect(m.emptyResponses).toBe(0);
      expect(m.streamBreaks).toBe(0);
    });

    it(`${mode}: a message on an open stream takes one one-way trip (latency=50ms, 3 messages)`, () => {
      const m = metricsOf({ mode, durationMs: 30_000, messages: { script: [5000, 9000, 20_000] } });
      expect(m.messagesDelivered).toBe(3);
      expect(m.latencyMs).toEqual({ mean: 50, p50: 50, p95: 50, max: 50 });
    });

    it(`${mode}: the run's end closes the stream, and the run ends (duration=20s)`, () => {
      const r = run({ mode, durationMs: 20_000, ...quiet });
      expect(r.complete).toBe(true);
      expect(
        kinds({ mode, durationMs: 20_000, ...quiet }, 'stream.ended', 'stream.closed'),
      ).toEqual([
        expect.objectContaining({ t: 20_000, kind: 'stream.ended', reason: 'client-closed' }),
        expect.objectContaining({ t: 20_050, kind: 'stream.closed', reason: 'client-closed' }),
      ]);
    });
  }
});

describe('push: a proxy that cuts idle connections (idle timeout 60 s)', () => {
  const proxied = { durationMs: 100_000, proxy: { idleTimeoutMs: 60_000 } } satisfies ScenarioInput;

  it('sse: the proxy cuts the idle stream at 60 s, the browser reconnects after retryMs with Last-Event-ID, and the message published meanwhile arrives', () => {
    const input: ScenarioInput = {
      ...proxied,
      mode: 'sse',
      sse: { retryMs: 3000 },
      // One message before the cut, one while the client waits to reconnect.
      messages: { script: [1000, 62_000] },
    };
    const opens = kinds(input, 'request.sent');
    // The last byte passed at 1 s, so the proxy cuts at 61 s; the end reaches the client at
    // 61.05 s; it reconnects 3 s later, carrying its cursor (Last-Event-ID 1).
    expect(opens.map((e) => [e.t, e.cursor])).toEqual([
      [0, 0],
      [64_050, 1],
    ]);
    expect(kinds(input, 'stream.closed')[0]).toMatchObject({ t: 61_000, reason: 'proxy-timeout' });
    const m = metricsOf(input);
    expect(m.messagesDelivered).toBe(2);
    expect(m.messagesLost).toBe(0);
    // Message 2 waited for the reconnect: published at 62 s, replayed as the new stream opens
    // (64.1 s), arrived 64.15 s.
    expect(m.latencyMs.max).toBe(64_150 - 62_000);
  });

  it('sse: without a log, the message published while the stream was down is lost', () => {
    const m = metricsOf({
      ...proxied,
      mode: 'sse',
      server: { buffer: 'none' },
      messages: { script: [1000, 62_000] },
    });
    expect([m.messagesDelivered, m.messagesLost]).toEqual([1, 1]);
  });

  it('sse: heartbeats every 15 s keep one stream open for the whole run', () => {
    const m = metricsOf({ ...proxied, mode: 'sse', sse: { heartbeatMs: 15_000 }, ...quiet });
    expect(m.requests).toBe(1);
    expect(m.streamBreaks).toBe(0);
    // At 15, 30, 45, 60, 75 and 90 s after the open (50 ms).
    expect(m.heartbeats).toBe(6);
  });

  it('websocket: a ping every 60 s races the proxy’s 60 s timeout and loses', () => {
    const input: ScenarioInput = {
      ...proxied,
      mode: 'websocket',
      websocket: { pingIntervalMs: 60_000 },
      ...quiet,
    };
    expect(kinds(input, 'stream.closed')[0]).toMatchObject({ t: 60_050, reason: 'proxy-timeout' });
    expect(metricsOf(input).heartbeats).toBe(0);
  });

  it('websocket: without resume, what is published while the socket is down is lost; with resume it is replayed', () => {
    const input: ScenarioInput = {
      ...proxied,
      mode: 'websocket',
      backoff: { initialMs: 1000, jitter: 0 },
      messages: { script: [1000, 62_000] },
    };
    const without = metricsOf(input);
    expect([without.messagesDelivered, without.messagesLost]).toEqual([1, 1]);
    const withResume = metricsOf({ ...input, websocket: { resume: true } });
    expect([withResume.messagesDelivered, withResume.messagesLost]).toEqual([2, 0]);
    // Cut at 61 s, seen by the client at 61.05 s, reopened after its first backoff wait (1 s).
    expect(kinds(input, 'request.sent').map((e) => e.t)).toEqual([0, 62_050]);
  });
});

describe('push: an answer other than 200', () => {
  const limited = {
    clients: 1,
    durationMs: 30_000,
    // The limit lets the first open through, then refuses the reconnect after a restart.
    server: { rateLimit: { requestsPerMin: 1, burst: 1 } },
    faults: [{ atMs: 5000, kind: 'server-restart', downMs: 1000 }],
    ...quiet,
  } satisfies ScenarioInput;

  it('sse: a refused reconnect closes the EventSource for good, as browsers do', () => {
    const r = kinds({ ...limited, mode: 'sse' }, 'request.sent', 'response.arrived');
    // The restart at 5 s ends the stream (seen at 5.05 s); 3 s later the browser reconnects and
    // gets 429, and never tries again.
    expect(r.map((e) => [e.kind, e.t, e.status])).toEqual([
      ['request.sent', 0, undefined],
      ['request.sent', 8050, undefined],
      ['response.arrived', 8150, 'rate-limited'],
    ]);
  });

  it('sse: the application reopens it after reopenAfterErrorMs', () => {
    const opens = kinds(
      { ...limited, mode: 'sse', sse: { reopenAfterErrorMs: 10_000 } },
      'request.sent',
    );
    // Each refusal (8.15 s, 18.25 s) is followed by a new EventSource 10 s later.
    expect(opens.map((e) => e.t)).toEqual([0, 8050, 18_150, 28_250]);
  });
});

describe('push: no delay anywhere', () => {
  it('sse: a retry of 0 ms over a network with no delay still lets time move, and the run ends', () => {
    const r = run({
      mode: 'sse',
      durationMs: 10_000,
      network: { latencyMs: 0 },
      sse: { retryMs: 0, reopenAfterErrorMs: 0 },
      faults: [{ atMs: 1000, kind: 'server-restart', downMs: 50 }],
      ...quiet,
    });
    expect(r.complete).toBe(true);
    // While the server is down, each refused EventSource is reopened a millisecond later.
    const opens = [...r.trace.events()].filter((e) => e.kind === 'request.sent');
    expect(opens.map((e) => e.t).slice(0, 4)).toEqual([0, 1001, 1002, 1003]);
  });
});

describe('push: a live switch between all four modes', () => {
  it('polling → sse → websocket → long polling: a stream opens at the next poll, and each later switch closes it and starts the new mode at once', () => {
    const input: ScenarioInput = {
      mode: 'polling',
      pollTimer: 'after-response',
      durationMs: 40_000,
      messages: { everyMs: 3000 },
      interventions: [
        { atMs: 10_000, set: { mode: 'sse' } },
        { atMs: 20_000, set: { mode: 'websocket' } },
        { atMs: 30_000, set: { mode: 'long-polling' } },
      ],
    };
    const r = run(input);
    expect(r.complete).toBe(true);
    const sent = kinds(input, 'request.sent');
    // Polling after each response (every 2.1 s): the poll due at 10.5 s opens the stream.
    expect(sent.filter((e) => e.transport === 'sse').map((e) => e.t)).toEqual([10_500]);
    expect(sent.filter((e) => e.transport === 'websocket').map((e) => e.t)).toEqual([20_000]);
    expect(sent.filter((e) => e.longPoll)[0].t).toBe(30_000);
    const m = metricsOf(input);
    // Every message reaches the client once: nothing is lost across the switches (a log).
    expect([m.messagesDelivered, m.messagesLost, m.duplicates]).toEqual([13, 0, 0]);
  });
});

describe('push: the work estimate', () => {
  it('is never below the events a push run makes (a proxy, heartbeats, restarts, a switch)', () => {
    for (const input of [
      { mode: 'sse', clients: 20, durationMs: 300_000, proxy: { idleTimeoutMs: 30_000 } },
      {
        mode: 'websocket',
        clients: 20,
        durationMs: 300_000,
        websocket: { pingIntervalMs: 10_000 },
      },
      {
        mode: 'sse',
        clients: 50,
        durationMs: 120_000,
        faults: [{ atMs: 10_000, kind: 'server-restart', downMs: 20_000 }],
        sse: { reopenAfterErrorMs: 1000 },
      },
      {
        mode: 'polling',
        durationMs: 60_000,
        interventions: [{ atMs: 5000, set: { mode: 'websocket' } }],
      },
    ] satisfies ScenarioInput[]) {
      const s = scenario(input);
      expect(run(input).trace.length, JSON.stringify(input)).toBeLessThanOrEqual(estimateEvents(s));
    }
  });
});
