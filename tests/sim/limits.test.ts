/**
 * The server's defences: a rate limit per client (429 Too Many Requests) and a cap on held
 * requests (503 Service Unavailable). Worked examples first, then properties over random runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeMetrics,
  configAt,
  EventKind,
  parseScenario,
  ResponseStatus,
  scenario,
  simulate,
  World,
  type ScenarioInput,
} from '../../src/sim';
import { itHolds } from '../property';
import { bounded, scenarioArb } from './arbitraries';
import { idle, idleLongPoll, metricsOf, run } from './helpers';

const props = { numRuns: 60 };

/** A poll every second for a minute on an idle channel, against 30 requests a minute. */
const pollingOver30PerMin: ScenarioInput = {
  ...idle,
  pollIntervalMs: 1000,
  durationMs: 60_000,
  server: { rateLimit: { requestsPerMin: 30, burst: 1 } },
};

/** Arrival time of each request the server saw while up, and how it answered it. */
function arrivals(input: ScenarioInput) {
  const r = run(input);
  const { trace } = r;
  const arrivedAt = new Map<number, number>();
  const answers: { client: number; t: number; status: number }[] = [];
  let down = false;
  for (let i = 0; i < trace.length; i++) {
    const k = trace.kind[i];
    if (k === EventKind.serverDown) down = true;
    if (k === EventKind.serverUp) down = false;
    if (k === EventKind.requestArrived && !down) arrivedAt.set(trace.request[i], trace.time[i]);
    if (k === EventKind.requestHeld) {
      answers.push({ client: trace.client[i], t: trace.time[i], status: -1 });
      arrivedAt.delete(trace.request[i]);
    }
    if (k === EventKind.responseSent && arrivedAt.get(trace.request[i]) === trace.time[i]) {
      answers.push({ client: trace.client[i], t: trace.time[i], status: trace.status[i] });
      arrivedAt.delete(trace.request[i]);
    }
  }
  return { run: r, answers };
}

describe('rate limit: worked examples', () => {
  it('polling every 1 s against 30 a minute with no burst: every other request gets 429', () => {
    const m = metricsOf(pollingOver30PerMin);
    // Requests arrive at 50 ms, 1,050 ms, 2,050 ms…; one is allowed every 2 s.
    expect(m.requests).toBe(60);
    expect(m.server.rateLimited).toBe(30);
    expect(m.errors).toBe(30);
    expect(m.emptyResponses).toBe(30);
  });

  it('a burst of 5 lets five quick requests through, then one a second', () => {
    const { answers } = arrivals({
      ...idle,
      pollIntervalMs: 100,
      durationMs: 10_000,
      server: { rateLimit: { requestsPerMin: 60, burst: 5 } },
    });
    const allowed = answers.filter((a) => a.status !== ResponseStatus.rateLimited).map((a) => a.t);
    expect(allowed).toEqual([
      50, 150, 250, 350, 450, 1050, 2050, 3050, 4050, 5050, 6050, 7050, 8050, 9050,
    ]);
    expect(answers).toHaveLength(100);
  });

  it('a long-polling client that is refused backs off, then gets its messages', () => {
    const r = run({
      mode: 'long-polling',
      durationMs: 30_000,
      messages: { everyMs: 500 },
      server: { rateLimit: { requestsPerMin: 12, burst: 2 } },
    });
    const events = [...r.trace.events()];
    const refused = events.findIndex(
      (e) => e.kind === 'response.arrived' && e.status === 'rate-limited',
    );
    expect(refused).toBeGreaterThan(0);
    expect(events[refused + 1]).toMatchObject({ kind: 'client.backoff', attempt: 1 });
    const m = computeMetrics(r);
    // 12 requests a minute for 30 s, plus the burst: about 7 allowed, each carrying a batch.
    expect(m.messageResponses).toBeGreaterThanOrEqual(6);
    expect(m.messageResponses).toBeLessThanOrEqual(8);
    expect(m.messagesDelivered + m.messagesUndelivered).toBe(m.messagesPublished);
  });

  it('an intervention can lift the limit (null) from its instant on', () => {
    const lifted = metricsOf({
      ...pollingOver30PerMin,
      interventions: [{ atMs: 30_000, set: { server: { rateLimit: null } } }],
    });
    expect(lifted.server.rateLimited).toBe(15);
  });
});

describe('cap on held requests: worked examples', () => {
  it('10 long-polling clients and room for 4: six are refused with 503 and back off', () => {
    const r = run({
      ...idleLongPoll,
      clients: 10,
      durationMs: 20_000,
      server: { maxHeldRequests: 4 },
    });
    const m = computeMetrics(r);
    expect(m.server.peakHeldRequests).toBe(4);
    const first503 = [...r.trace.events()].filter(
      (e) => e.kind === 'response.sent' && e.status === 'over-capacity' && e.t === 50,
    );
    expect(first503).toHaveLength(6);
    expect(m.server.overCapacity).toBeGreaterThan(6);
    expect(m.errors).toBe(m.server.overCapacity);
  });

  it('a poll is never refused by the cap: it is answered at once and holds nothing', () => {
    const m = metricsOf({ clients: 10, durationMs: 10_000, server: { maxHeldRequests: 1 } });
    expect(m.server.overCapacity).toBe(0);
    expect(m.errors).toBe(0);
  });

  it('a long poll with messages waiting is answered at once even when holds are full', () => {
    const r = run({
      mode: 'long-polling',
      clients: 3,
      durationMs: 5_000,
      messages: { script: [1000] },
      server: { maxHeldRequests: 1 },
      backoff: { initialMs: 2000, jitter: 0 },
    });
    // Two clients are refused at 50 ms (told at 100 ms), back off 2 s, and their requests of
    // 2,100 ms find message 1 waiting: answered at once, it arrives at 2,200 ms.
    const delivered = [...r.trace.events()].filter((e) => e.kind === 'message.delivered');
    expect(delivered.map((e) => e.t).sort()).toEqual([1050, 2200, 2200]);
  });
});

describe('rate limit: a request exactly on time is allowed', () => {
  it('288 a minute with a burst of 3: the poll at 2.5 s is allowed, though twelve spacings of 60,000/288 ms add up to a hair over 2,500 ms', () => {
    const { answers } = arrivals({
      ...idle,
      pollIntervalMs: 100,
      durationMs: 2501,
      network: { latencyMs: 0 },
      server: { rateLimit: { requestsPerMin: 288, burst: 3 } },
    });
    expect(answers.at(-1)).toMatchObject({ t: 2500, status: ResponseStatus.ok });
  });
});

describe('limits: properties over random runs', () => {
  itHolds(
    'held requests never exceed the cap, and only long polls are refused for it',
    props,
    fc.property(scenarioArb, fc.integer({ min: 1, max: 4 }), (input, cap) => {
      const s = bounded({ ...input, server: { ...input.server, maxHeldRequests: cap } });
      const r = simulate(s);
      expect(computeMetrics(r).server.peakHeldRequests, `seed ${s.seed}`).toBeLessThanOrEqual(cap);
      const { trace } = r;
      const longPoll = new Map<number, boolean>();
      for (let i = 0; i < trace.length; i++) {
        if (trace.kind[i] === EventKind.requestSent)
          longPoll.set(trace.request[i], trace.b[i] === 1);
        if (
          trace.kind[i] === EventKind.responseSent &&
          trace.status[i] === ResponseStatus.overCapacity
        )
          expect(longPoll.get(trace.request[i]), `seed ${s.seed}`).toBe(true);
      }
    }),
  );

  itHolds(
    'a client is refused with 429 exactly when one more request would exceed its burst plus the steady rate',
    props,
    fc.property(
      scenarioArb,
      fc.integer({ min: 6, max: 600 }),
      fc.integer({ min: 1, max: 5 }),
      (input, requestsPerMin, burst) => {
        const { answers } = arrivals(
          bounded({
            ...input,
            interventions: [],
            server: { ...input.server, rateLimit: { requestsPerMin, burst } },
          }),
        );
        const spacing = 60_000 / requestsPerMin;
        const allowed = new Map<number, number[]>();
        for (const a of answers) {
          const times = allowed.get(a.client) ?? [];
          allowed.set(a.client, times);
          // Would this request make more than burst + (t − t_j)/spacing allowed since some t_j?
          let exceeds = false;
          for (let j = 0; j < times.length; j++) {
            const count = times.length - j + 1;
            if (count > burst + (a.t - times[j]) / spacing + 1e-9) exceeds = true;
          }
          expect(a.status === ResponseStatus.rateLimited, `seed ${input.seed}`).toBe(exceeds);
          if (!exceeds) times.push(a.t);
        }
      },
    ),
  );

  itHolds(
    'a run resumed from a checkpoint keeps counting each client against its limit',
    // A whole run, and the same run in two pieces.
    { numRuns: 30, simulationsPerRun: 2 },
    fc.property(scenarioArb, fc.integer({ min: 1, max: 30_000 }), (input, atMs) => {
      const s = bounded({
        ...input,
        interventions: [],
        server: {
          ...input.server,
          rateLimit: { requestsPerMin: 30, burst: 2 },
          maxHeldRequests: 2,
        },
      });
      const whole = simulate(s).trace.toJSONLines();
      const first = new World(s);
      first.runUntil(atMs);
      if (first.done) return;
      const resumed = new World(s, first.checkpoint());
      resumed.runToEnd();
      expect(resumed.result().trace.toJSONLines(), `seed ${s.seed}`).toBe(whole);
    }),
  );
});

describe('limits: scenario validation', () => {
  it.each([
    [{ server: { rateLimit: { requestsPerMin: 0 } } }, 'server.rateLimit.requestsPerMin'],
    [{ server: { rateLimit: { burst: 3 } } }, 'server.rateLimit.requestsPerMin'],
    [{ server: { rateLimit: { requestsPerMin: 10, per: 'ip' } } }, 'server.rateLimit.per'],
    [{ server: { maxHeldRequests: 0 } }, 'server.maxHeldRequests'],
    [{ server: { maxHeldRequests: 2.5 } }, 'server.maxHeldRequests'],
  ])('%j names %s', (input, field) => {
    const r = parseScenario(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.message).toContain(field);
    }
  });

  it('fills in the burst', () => {
    expect(scenario({ server: { rateLimit: { requestsPerMin: 10 } } }).server.rateLimit).toEqual({
      requestsPerMin: 10,
      burst: 5,
    });
  });
});

describe('limits: interventions', () => {
  const base = pollingOver30PerMin;

  it('a change of the rate alone keeps the burst in force', () => {
    const s = scenario({
      ...base,
      interventions: [{ atMs: 10_000, set: { server: { rateLimit: { requestsPerMin: 20 } } } }],
    });
    expect(configAt(s, 20_000).server.rateLimit).toEqual({ requestsPerMin: 20, burst: 1 });
    expect(configAt(s, 20_000).server.batch).toBe(true);
  });

  it('a burst alone needs a rate limit in force, and the message names the field', () => {
    const r = parseScenario({
      ...base,
      server: {},
      interventions: [{ atMs: 10_000, set: { server: { rateLimit: { burst: 3 } } } }],
    });
    expect(r).toEqual({
      ok: false,
      field: 'interventions[0].set.server.rateLimit.requestsPerMin',
      message:
        'interventions[0].set.server.rateLimit.requestsPerMin: required, because no rate limit is in force at 10000 ms',
    });
  });

  it('a new limit set by an intervention gets the default burst', () => {
    const s = scenario({
      ...base,
      server: {},
      interventions: [{ atMs: 10_000, set: { server: { rateLimit: { requestsPerMin: 20 } } } }],
    });
    expect(configAt(s, 10_000).server.rateLimit).toEqual({ requestsPerMin: 20, burst: 5 });
  });
});
