import { describe, expect, it } from 'vitest';
import { metricValue } from '../../src/lessons';
import { computeMetrics, scenario, simulate, type ScenarioInput } from '../../src/sim';
import { eventsOf, idle, idleLongPoll, metricsOf, run } from './helpers';

describe('worked examples anyone can check by hand', () => {
  it('polling: idle channel: 10 requests, all empty (interval=1s, duration=10s)', () => {
    const m = metricsOf({ ...idle, mode: 'polling', pollIntervalMs: 1000, durationMs: 10_000 });
    expect(m.requests).toBe(10);
    expect(m.responses).toBe(10);
    expect(m.emptyResponses).toBe(10);
    expect(m.messageResponses).toBe(0);
    // Ten requests of 700 header bytes and ten responses of 300.
    expect(m.bytes).toEqual({ requests: 7000, responses: 3000, total: 10_000 });
  });

  it('long polling: idle channel: one hold timeout per request (hold=30s, duration=120s)', () => {
    const m = metricsOf({ ...idleLongPoll, longPollTimeoutMs: 30_000, durationMs: 120_000 });
    expect(m.requests).toBe(4);
    expect(m.timeouts).toBe(4);
    expect(m.emptyResponses).toBe(4);
    expect(m.server.peakHeldRequests).toBe(1);
  });

  it('polling: one message at 2.5s is delivered at 3.1s (interval=1s, latency=50ms)', () => {
    const delivered = eventsOf(
      {
        mode: 'polling',
        pollIntervalMs: 1000,
        durationMs: 10_000,
        network: { latencyMs: 50 },
        messages: { script: [2500] },
      },
      'message.delivered',
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ t: 3100, message: 1, latencyMs: 600, client: 0 });
  });

  it('long polling: a held request is answered the moment a message is published (latency=50ms)', () => {
    const delivered = eventsOf(
      {
        mode: 'long-polling',
        durationMs: 10_000,
        network: { latencyMs: 50 },
        messages: { script: [2500] },
      },
      'message.delivered',
    );
    expect(delivered.map((e) => [e.t, e.latencyMs])).toEqual([[2550, 50]]);
  });

  it('long polling: a message published in the re-request gap waits for the next request (latency=50ms)', () => {
    // The first request is answered at 1000 and reaches the client at 1050; the next request
    // leaves at 1050 and arrives at 1100. A message at 1010 is in the gap: delivered at 1150.
    const delivered = eventsOf(
      {
        mode: 'long-polling',
        durationMs: 5000,
        network: { latencyMs: 50 },
        messages: { script: [1000, 1010] },
      },
      'message.delivered',
    );
    expect(delivered.map((e) => [e.message, e.t])).toEqual([
      [1, 1050],
      [2, 1150],
    ]);
  });

  it('polling on a fixed timer: a slow response makes the next tick be skipped (interval=100ms, latency=80ms)', () => {
    const m = metricsOf({
      ...idle,
      mode: 'polling',
      pollIntervalMs: 100,
      durationMs: 1000,
      network: { latencyMs: 80 },
    });
    // Each round trip takes 160 ms, so every other tick finds the request still out.
    expect(m.requests).toBe(5);
    expect(m.skippedTicks).toBe(5);
  });

  it('polling after each response: the period is the interval plus a round trip (interval=1s, latency=100ms)', () => {
    const sent = eventsOf(
      {
        ...idle,
        mode: 'polling',
        pollTimer: 'after-response',
        pollIntervalMs: 1000,
        durationMs: 5000,
        network: { latencyMs: 100 },
      },
      'request.sent',
    );
    expect(sent.map((e) => e.t)).toEqual([0, 1200, 2400, 3600, 4800]);
  });

  it('durationMs: no request starts at or after the end, but one in flight finishes', () => {
    const r = run({ ...idleLongPoll, durationMs: 1000 });
    const m = computeMetrics(r);
    expect(m.requests).toBe(1);
    expect(m.timeouts).toBe(1);
    expect(r.endMs).toBe(30_100);
  });

  it('clients: a message broadcast to 3 clients counts 3 deliveries', () => {
    const m = metricsOf({
      mode: 'long-polling',
      clients: 3,
      durationMs: 5000,
      messages: { script: [1000] },
    });
    expect(m.messagesPublished).toBe(1);
    expect(m.messagesDelivered).toBe(3);
    expect(m.server.peakHeldRequests).toBe(3);
  });
});

describe('ties at the same millisecond', () => {
  it('polling: a response arriving in the millisecond of the next tick is seen first (interval=100ms, latency=50ms)', () => {
    const m = metricsOf({ ...idle, mode: 'polling', pollIntervalMs: 100, durationMs: 10_000 });
    expect(m.requests).toBe(100);
    expect(m.skippedTicks).toBe(0);
  });

  it('long polling: a message published in the millisecond a hold runs out is delivered, not timed out', () => {
    // The request arrives at 50 ms; its 1 s hold runs out at 1050 ms, when the message is published.
    const m = metricsOf({
      mode: 'long-polling',
      longPollTimeoutMs: 1000,
      durationMs: 1100,
      messages: { script: [1050] },
    });
    expect(m.timeouts).toBe(0);
    expect(m.messagesDelivered).toBe(1);
  });
});

describe('metrics at the playhead', () => {
  it('metricsAt agrees with computeMetrics at every moment, moving forward and back', async () => {
    const { metricsAt } = await import('../../src/sim');
    const r = run({
      mode: 'long-polling',
      clients: 4,
      durationMs: 60_000,
      network: { jitterMs: 30, lossRate: 0.05 },
      messages: { poisson: { ratePerMin: 40 } },
    });
    for (const t of [0, 5000, 12_345, 30_000, 8000, 59_999, 70_000, 100]) {
      expect(metricsAt(r, t), `at ${t} ms`).toEqual(computeMetrics(r, t));
    }
  });
});

describe('a server without a cursor (buffer "recent")', () => {
  const base: ScenarioInput = {
    mode: 'polling',
    pollIntervalMs: 1000,
    durationMs: 5000,
    messages: { script: [500, 1500] },
  };

  it('resends what it keeps, and the client drops what it has seen as duplicates', () => {
    const r = run({ ...base, server: { buffer: 'recent', bufferLimit: 10 } });
    const delivered = [...r.trace.events()].filter((e) => e.kind === 'message.delivered');
    // Polls reach the server at 50, 1,050, 2,050, 3,050 and 4,050 ms: it sends [], [1], [1, 2],
    // [1, 2] and [1, 2]; the client keeps 1 at 1,100 ms and 2 at 2,100 ms, the rest are repeats.
    expect(delivered.map((e) => [e.t, e.message, e.duplicate])).toEqual([
      [1100, 1, false],
      [2100, 1, true],
      [2100, 2, false],
      [3100, 1, true],
      [3100, 2, true],
      [4100, 1, true],
      [4100, 2, true],
    ]);
    const m = computeMetrics(r);
    expect(m.messagesDelivered).toBe(2);
    expect(m.duplicates).toBe(5);
    // Five response headers of 300 bytes, and seven messages of 100 bytes.
    expect(m.bytes.responses).toBe(2200);
    // With a cursor, the same polls carry each message once.
    const withCursor = computeMetrics(run(base));
    expect(withCursor.duplicates).toBe(0);
    expect(withCursor.bytes.responses).toBe(1700);
  });

  it('sending only the latest message loses those published between two polls', () => {
    const m = metricsOf({
      ...base,
      messages: { script: [200, 400, 1500] },
      server: { buffer: 'recent', batch: false },
    });
    // The poll at 1,050 ms gets message 2 only (1 is lost); later polls get 3, then 3 again.
    expect(m.messagesDelivered).toBe(2);
    expect(m.messagesLost).toBe(1);
    expect(m.duplicates).toBe(2);
  });

  it('holds a long poll until the next publication, having no cursor to tell what is new', () => {
    const responses = eventsOf(
      {
        mode: 'long-polling',
        durationMs: 5000,
        messages: { script: [1000, 3000] },
        server: { buffer: 'recent', bufferLimit: 10 },
      },
      'response.sent',
    );
    expect(responses.map((e) => [e.t, e.messages])).toEqual([
      [1000, [1]],
      [3000, [1, 2]],
      // The next request, sent at 3,050 ms, is held from 3,100 ms and runs its 30 s out.
      [33_100, []],
    ]);
  });
});

describe('a server that starts keeping a log', () => {
  it('has no log of what it published before: those messages stay lost, never delivered too', () => {
    const r = run({
      mode: 'polling',
      pollIntervalMs: 1000,
      durationMs: 6000,
      messages: { script: [500, 3500] },
      server: { buffer: 'none' },
      interventions: [{ atMs: 2000, set: { server: { buffer: 'log' } } }],
    });
    const fates = [...r.trace.events()]
      .filter((e) => e.kind === 'message.delivered' || e.kind === 'message.lost')
      .map((e) => [e.kind, e.message]);
    // Message 1 went out while no buffer was kept and no request was held: lost. Message 2 is
    // in the log the server keeps from 2 s on, and the next poll brings it.
    expect(fates).toEqual([
      ['message.lost', 1],
      ['message.delivered', 2],
    ]);
    const m = computeMetrics(r);
    expect(m.messagesDelivered + m.messagesLost + m.messagesUndelivered).toBe(2);
  });
});

describe('a whole run is measured over its duration', () => {
  it('polling every 2 s for a minute: 30 requests a minute, though the last answer comes at 58.1 s', () => {
    const s = scenario({ ...idle, pollIntervalMs: 2000, durationMs: 60_000 });
    const r = simulate(s);
    expect(r.endMs).toBe(58_100);
    const m = computeMetrics(r);
    expect(m.atMs).toBe(60_000);
    expect(metricValue('requestsPerMin', m, s)).toBe(30);
  });
});

describe('a burst published in one instant is atomic', () => {
  // Nchan with multipart responses answers this schedule the same way: the held request gets
  // the first message as it is published; the re-request finds the other four already in the log.
  it('long polling: five messages at 1 s, no network delay, batching: one response with one message, then one with four', () => {
    const { trace } = run({
      mode: 'long-polling',
      durationMs: 5000,
      longPollTimeoutMs: 30_000,
      network: { latencyMs: 0, jitterMs: 0 },
      server: { batch: true, buffer: 'log' },
      messages: { script: [1000, 1000, 1000, 1000, 1000] },
    });
    const answers = [...trace.events()]
      .filter((e) => e.kind === 'response.arrived' && e.messages!.length > 0)
      .map((e) => [e.t, e.messages]);
    expect(answers).toEqual([
      [1000, [1]],
      [1000, [2, 3, 4, 5]],
    ]);
  });
});
