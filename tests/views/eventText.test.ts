import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, EventKind, scenario, simulate, type TraceEvent } from '../../src/sim';
import { describeEvent, describeSet, GROUP_OF, isErrorResponse } from '../../src/views/eventText';

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

describe('event log: Server-Sent Events and WebSocket', () => {
  /** The sentences of a run, each with its time: "8050 Client 1 opens …". */
  const sentences = (input: Parameters<typeof scenario>[0]) => {
    const r = simulate(scenario(input));
    return [...r.trace.events()].map((e) => `${e.t} ${describeEvent(e, r)}`);
  };

  it('sse: a 4 s proxy cuts the idle stream, the browser reconnects after 3 s with Last-Event-ID (messages at 1 s and 7 s, seed=1)', () => {
    const texts = sentences({
      mode: 'sse',
      durationMs: 12_000,
      messages: { script: [1000, 7000] },
      proxy: { idleTimeoutMs: 4000 },
    });

    expect(texts).toEqual([
      '0 Client 1 opens an SSE stream (request #1)',
      '50 Server receives request #1 from client 1',
      "50 Server accepts client 1's SSE stream (request #1): 200 OK, the response stays open",
      "100 Client 1's SSE stream is open",
      '1000 Message #1 published',
      "1000 Server sends message #1 on client 1's stream",
      '1050 Message #1 reaches client 1 on its stream',
      '1050 Client 1 receives message #1 after 50 ms',
      "5000 The proxy cuts client 1's idle stream: no byte for 4 s",
      "5050 Client 1's stream breaks (cut by the proxy); it reconnects in 3 s",
      '7000 Message #2 published',
      '8050 Client 1 opens an SSE stream (request #2, Last-Event-ID 1)',
      '8100 Server receives request #2 from client 1',
      "8100 Server accepts client 1's SSE stream (request #2): 200 OK, the response stays open",
      "8100 Server sends message #2 on client 1's stream",
      "8150 Client 1's SSE stream is open",
      '8150 Message #2 reaches client 1 on its stream',
      '8150 Client 1 receives message #2 after 1.15 s',
      '12000 Client 1 closes its stream',
      '12050 Server sees client 1 close its stream',
    ]);
  });

  it('websocket: a ping every 3 s, a restart at 5 s breaks the socket and the client backs off (seed=1)', () => {
    const texts = sentences({
      mode: 'websocket',
      durationMs: 9000,
      messages: { script: [1000] },
      websocket: { pingIntervalMs: 3000 },
      faults: [{ kind: 'server-restart', atMs: 5000, downMs: 1000 }],
    });

    expect(texts).toContain('0 Client 1 opens a WebSocket (request #1, an upgrade)');
    expect(texts).toContain(
      "50 Server accepts client 1's WebSocket (request #1): 101 Switching Protocols",
    );
    expect(texts).toContain("1000 Server sends message #1 on client 1's WebSocket");
    expect(texts).toContain("3050 Server pings client 1's WebSocket");
    expect(texts).toContain('3100 The ping reaches client 1');
    expect(texts).toContain("5000 The server's restart closes client 1's WebSocket");
    expect(texts).toContain(
      "5050 Client 1's WebSocket breaks (the server is restarting); it backs off, then reconnects",
    );
    expect(texts.at(-1)).toBe('9050 Server sees client 1 close its WebSocket');
  });

  it('sse: a refused GET says the EventSource closes for good, or when the page reopens it', () => {
    const input = {
      mode: 'sse' as const,
      durationMs: 3000,
      server: { rateLimit: { requestsPerMin: 60, burst: 1 } },
      faults: [{ kind: 'server-restart' as const, atMs: 0, downMs: 1000 }],
    };
    const closed = sentences(input).filter((t) => t.includes('EventSource'));
    const reopened = sentences({ ...input, sse: { reopenAfterErrorMs: 2000 } }).filter((t) =>
      t.includes('EventSource'),
    );

    expect(closed).toEqual([
      '100 Client 1 receives the answer to request #1: an error (the server is restarting) — the EventSource closes for good',
    ]);
    expect(reopened[0]).toMatch(/the page opens a new one in 2 s$/);
  });

  it('the log files a broken stream under errors, and a closed one not', () => {
    expect(isErrorResponse(EventKind.streamEnded, 2)).toBe(true);
    expect(isErrorResponse(EventKind.streamClosed, 1)).toBe(true);
    expect(isErrorResponse(EventKind.streamEnded, 0)).toBe(false);
  });

  it.each([
    { set: { mode: 'sse' as const }, expected: 'mode → Server-Sent Events' },
    { set: { mode: 'websocket' as const }, expected: 'mode → WebSocket' },
    { set: { sse: { retryMs: 5000 } }, expected: 'SSE retry → 5 s' },
    { set: { websocket: { resume: true } }, expected: 'WebSocket resume → on' },
  ])('an intervention set reads "$expected"', ({ set, expected }) => {
    expect(describeSet(set)).toBe(expected);
  });
});
