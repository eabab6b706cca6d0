import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, scenario, simulate, type TraceEvent } from '../../src/sim';
import { describeEvent, describeSet, GROUP_OF } from '../../src/views/eventText';

const run = simulate(
  scenario({
    mode: 'long-polling',
    durationMs: 20_000,
    messages: { everyMs: 5000 },
    interventions: [{ atMs: 10_000, set: { mode: 'polling', network: { latencyMs: 120 } } }],
  }),
);
const noBuffer = simulate(scenario({ durationMs: 5000, server: { buffer: 'none' } }));

const cases: { event: Omit<TraceEvent, 'i'>; expected: string; on?: typeof run }[] = [
  {
    event: { t: 0, kind: 'request.sent', client: 1, request: 13, cursor: 3, longPoll: true },
    expected: 'Client 2 sends request #14 (long poll, cursor 3)',
  },
  {
    event: { t: 0, kind: 'request.sent', client: 0, request: 0, cursor: 0, longPoll: false },
    expected: 'Client 1 sends request #1 (poll, cursor 0)',
  },
  {
    event: { t: 50, kind: 'request.arrived', client: 0, request: 0 },
    expected: 'Server receives request #1 from client 1',
  },
  {
    event: { t: 50, kind: 'request.held', client: 0, request: 0, holdUntilMs: 30_050 },
    expected: 'Server holds request #1 for up to 30 s, waiting for new data',
  },
  {
    event: {
      t: 1,
      kind: 'response.sent',
      client: 1,
      request: 13,
      status: 'hold-timeout',
      messages: [],
    },
    expected: 'Server answers request #14 with no new data (hold timeout) — a wasted round trip',
  },
  {
    event: { t: 1, kind: 'response.sent', client: 0, request: 4, status: 'ok', messages: [] },
    expected: 'Server answers request #5 with no new data — a wasted round trip',
  },
  {
    event: {
      t: 1,
      kind: 'response.sent',
      client: 0,
      request: 4,
      status: 'ok',
      messages: [4, 5, 6],
    },
    expected: 'Server answers request #5 with messages #4–#6',
  },
  {
    event: { t: 1, kind: 'response.arrived', client: 0, request: 4, status: 'ok', messages: [4] },
    expected: 'Client 1 receives the answer to request #5: message #4',
  },
  {
    event: {
      t: 1,
      kind: 'response.sent',
      client: 0,
      request: 4,
      status: 'proxy-timeout',
      messages: [],
    },
    expected: 'Proxy answers request #5 with a gateway timeout (the proxy cut the idle request)',
  },
  {
    event: { t: 1, kind: 'message.published', message: 4 },
    expected: 'Message #4 published',
  },
  {
    event: { t: 1, kind: 'message.delivered', client: 0, request: 2, message: 4, latencyMs: 1050 },
    expected: 'Client 1 receives message #4 after 1.05 s',
  },
  {
    event: {
      t: 1,
      kind: 'message.delivered',
      client: 0,
      request: 2,
      message: 4,
      latencyMs: 50,
      duplicate: true,
    },
    expected: 'Client 1 receives message #4 again (a duplicate)',
  },
  {
    event: { t: 1, kind: 'message.lost', client: 2, message: 7 },
    expected: "Client 3 misses message #7: it had dropped out of the server's buffer",
  },
  {
    event: { t: 1, kind: 'message.lost', client: 0, message: 1 },
    on: noBuffer,
    expected: 'Client 1 misses message #1: no request was waiting and the server keeps no buffer',
  },
  {
    event: { t: 1, kind: 'client.backoff', client: 0, waitMs: 2100, attempt: 2 },
    expected: 'Client 1 waits 2.1 s before trying again (attempt 2)',
  },
  {
    event: { t: 10_000, kind: 'intervention', index: 0 },
    expected: 'Teacher changes mode → polling, network latency → 120 ms',
  },
  {
    event: { t: 1, kind: 'server.down', downMs: 5000 },
    expected: 'Server goes down for 5 s (restart); held requests get an error',
  },
];

describe('event text', () => {
  it.each(cases)('event text: $event.kind reads "$expected"', ({ event, expected, on }) => {
    expect(describeEvent({ i: 0, ...event }, on ?? run)).toBe(expected);
  });

  it('event text: every event of a run has a sentence without "undefined" or "NaN"', () => {
    for (const e of run.trace.events()) {
      const text = describeEvent(e, run);
      expect(text).not.toMatch(/undefined|NaN|#0\b/);
    }
  });

  it('event text: every kind of event belongs to a filter group', () => {
    expect(EVENT_NAMES.filter((name) => !GROUP_OF[name])).toEqual([]);
  });

  it.each([
    { set: { mode: 'long-polling' as const }, expected: 'mode → long polling' },
    { set: { pollIntervalMs: 500 }, expected: 'poll interval → 500 ms' },
    { set: { network: { lossRate: 0.05 } }, expected: 'loss → 5 %' },
    { set: { proxy: null }, expected: 'proxy removed' },
    {
      set: { messages: { poisson: { ratePerMin: 12 } } },
      expected: 'workload → 12 messages a minute at random',
    },
    { set: { server: { batch: false } }, expected: 'batching → off' },
    { set: {}, expected: 'no change' },
  ])('event text: an intervention set reads "$expected"', ({ set, expected }) => {
    expect(describeSet(set)).toBe(expected);
  });
});
