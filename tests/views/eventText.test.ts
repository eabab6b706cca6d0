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
const limited = simulate(
  scenario({
    durationMs: 5000,
    server: { rateLimit: { requestsPerMin: 60, burst: 1 }, maxHeldRequests: 1000 },
  }),
);

/** The answer to request #5 of a client, sent or received at 1 ms. */
const answer = (
  kind: 'response.sent' | 'response.arrived',
  client: number,
  status: TraceEvent['status'],
  messages: number[] = [],
): Omit<TraceEvent, 'i'> => ({ t: 1, kind, client, request: 4, status, messages });

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
    event: answer('response.sent', 0, 'ok'),
    expected: 'Server answers request #5 with no new data — a wasted round trip',
  },
  {
    event: answer('response.sent', 0, 'ok', [4, 5, 6]),
    expected: 'Server answers request #5 with messages #4–#6',
  },
  {
    event: answer('response.arrived', 0, 'ok', [4]),
    expected: 'Client 1 receives the answer to request #5: message #4',
  },
  {
    event: answer('response.sent', 0, 'proxy-timeout'),
    expected: 'Proxy answers request #5 with a gateway timeout (the proxy cut the idle request)',
  },
  {
    event: answer('response.sent', 2, 'rate-limited'),
    on: limited,
    expected:
      'Server refuses request #5 with 429 Too Many Requests: client 3 is over the rate limit ' +
      '(60 requests a minute, burst 1)',
  },
  {
    event: answer('response.arrived', 2, 'rate-limited'),
    on: limited,
    expected:
      'Client 3 receives 429 Too Many Requests for request #5: client 3 is over the rate limit ' +
      '(60 requests a minute, burst 1)',
  },
  {
    event: answer('response.sent', 0, 'over-capacity'),
    on: limited,
    expected:
      'Server refuses request #5 with 503 Service Unavailable: the server already holds its ' +
      'maximum of 1,000 requests',
  },
  {
    event: answer('response.arrived', 0, 'over-capacity'),
    on: limited,
    expected:
      'Client 1 receives 503 Service Unavailable for request #5: the server already holds its ' +
      'maximum of 1,000 requests',
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

  it('event text: a run with both limits reads without "undefined", "NaN" or "[object" (cap 2, 30/min)', () => {
    const refusing = simulate(
      scenario({
        mode: 'long-polling',
        clients: 4,
        durationMs: 10_000,
        messages: { everyMs: 300 },
        server: { rateLimit: { requestsPerMin: 30, burst: 2 }, maxHeldRequests: 2 },
        interventions: [{ atMs: 5000, set: { server: { rateLimit: null, maxHeldRequests: 3 } } }],
      }),
    );
    const texts = [...refusing.trace.events()].map((e) => describeEvent(e, refusing));

    expect(texts.filter((t) => t.includes('429 Too Many Requests')).length).toBeGreaterThan(0);
    expect(texts.filter((t) => t.includes('503 Service Unavailable')).length).toBeGreaterThan(0);
    expect(texts).toContain('Teacher changes rate limit → none, held-request cap → 3');
    for (const text of texts) expect(text).not.toMatch(/undefined|NaN|#0\b|\[object/);
  });

  it('event text: a refusal quotes the limit in force when the server sent it, even if it changed before the answer arrived', () => {
    // 1 s of latency each way: request 2 is refused at 3 s and the refusal arrives at 4 s; the
    // limit changes between the two.
    const slow = simulate(
      scenario({
        pollIntervalMs: 500,
        durationMs: 5000,
        network: { latencyMs: 1000 },
        messages: { script: [] },
        server: { rateLimit: { requestsPerMin: 1, burst: 1 } },
        interventions: [
          { atMs: 3500, set: { server: { rateLimit: { requestsPerMin: 2, burst: 1 } } } },
        ],
      }),
    );
    const events = [...slow.trace.events()];
    const sent = events.find((e) => e.kind === 'response.sent' && e.status === 'rate-limited')!;
    const arrived = events.find(
      (e) => e.kind === 'response.arrived' && e.request === sent.request,
    )!;

    expect([sent.t, arrived.t]).toEqual([3000, 4000]);
    expect(describeEvent(sent, slow)).toContain('(1 request a minute, burst 1)');
    expect(describeEvent(arrived, slow)).toContain('(1 request a minute, burst 1)');
    expect(describeEvent(arrived, slow)).toMatch(/^Client 1 receives 429 Too Many Requests/);
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
    {
      set: { server: { rateLimit: { requestsPerMin: 30, burst: 5 } } },
      expected: 'rate limit → 30 requests a minute, burst 5',
    },
    { set: { server: { rateLimit: null } }, expected: 'rate limit → none' },
    { set: { server: { maxHeldRequests: 500 } }, expected: 'held-request cap → 500' },
    { set: { server: { maxHeldRequests: null } }, expected: 'held-request cap → none' },
    { set: {}, expected: 'no change' },
  ])('event text: an intervention set reads "$expected"', ({ set, expected }) => {
    expect(describeSet(set)).toBe(expected);
  });
});

describe('event log: a server without a cursor, and partial changes of a limit', () => {
  it('a change of the rate alone reads without the burst, and the buffer by its name', () => {
    expect(describeSet({ server: { rateLimit: { requestsPerMin: 20 } } })).toBe(
      'rate limit → 20 requests a minute',
    );
    expect(describeSet({ server: { rateLimit: { burst: 3 } } })).toBe('rate limit → burst 3');
    expect(describeSet({ server: { buffer: 'recent' } })).toBe(
      'server buffer → recent messages, no cursor',
    );
  });

  it('a repeat and a message skipped by a latest-only server are told as such', () => {
    const r = simulate(
      scenario({
        pollIntervalMs: 1000,
        durationMs: 5000,
        messages: { script: [200, 400, 1500] },
        server: { buffer: 'recent', batch: false },
      }),
    );
    const texts = [...r.trace.events()]
      .filter((e) => e.kind === 'message.lost' || (e.kind === 'message.delivered' && e.duplicate))
      .map((e) => describeEvent(e, r));
    expect(texts).toEqual([
      'Client 1 misses message #1: the server sends only its latest message, and a newer one came first',
      'Client 1 receives message #3 again (a duplicate)',
      'Client 1 receives message #3 again (a duplicate)',
    ]);
  });
});
