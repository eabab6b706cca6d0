import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkWork,
  estimateEvents,
  parseScenario,
  scenario,
  simulate,
  WorkTooLargeError,
} from '../../src/sim';
import { scenarioArb } from './arbitraries';

describe('parseScenario: bad input names the field and what was expected', () => {
  const cases: { input: unknown; field: string; says: RegExp }[] = [
    { input: 5, field: 'scenario', says: /expected a JSON object/ },
    { input: [], field: 'scenario', says: /expected a JSON object/ },
    {
      input: { pollIntervalMS: 1000 },
      field: 'pollIntervalMS',
      says: /unknown field "pollIntervalMS": did you mean "pollIntervalMs"\?/,
    },
    {
      input: { network: { latency: 5 } },
      field: 'network.latency',
      says: /unknown field "network.latency": did you mean "latencyMs"\?/,
    },
    {
      input: { network: { delay: 5 } },
      field: 'network.delay',
      says: /unknown field "network.delay" \(expected one of: latencyMs, jitterMs, lossRate\)/,
    },
    {
      input: { pollIntervalMs: '1000' },
      field: 'pollIntervalMs',
      says: /expected a number.*got "1000"/,
    },
    { input: { pollIntervalMs: 0 }, field: 'pollIntervalMs', says: /at least 1/ },
    { input: { pollIntervalMs: -5 }, field: 'pollIntervalMs', says: /at least 1/ },
    { input: { pollIntervalMs: 2.5 }, field: 'pollIntervalMs', says: /whole number/ },
    { input: { clients: 10_001 }, field: 'clients', says: /at most 10,000/ },
    { input: { durationMs: 86_400_001 }, field: 'durationMs', says: /at most 86,400,000/ },
    { input: { network: { lossRate: 1 } }, field: 'network.lossRate', says: /less than 1/ },
    { input: { network: { lossRate: -0.1 } }, field: 'network.lossRate', says: /at least 0/ },
    {
      input: { mode: 'push' },
      field: 'mode',
      says: /"polling", "long-polling", "sse" or "websocket"/,
    },
    { input: { messages: {} }, field: 'messages', says: /exactly one of/ },
    { input: { faults: [{ atMs: 5 }] }, field: 'faults[0].kind', says: /missing/ },
    {
      input: { interventions: [{ atMs: 1, set: { clients: 3 } }] },
      field: 'interventions[0].set.clients',
      // What a teacher may change during a run, which is not the number of clients.
      says: /unknown field "interventions\[0\]\.set\.clients" \(expected one of: mode, pollIntervalMs, .*proxy, sse, websocket\)/,
    },
    {
      input: { interventions: [{ atMs: 10, set: { backoff: { maxMs: 500 } } }] },
      field: 'interventions[0].set.backoff',
      says: /expected maxMs at least initialMs in force from 10 ms \(got 500 and 1000\)/,
    },
    {
      input: { backoff: { initialMs: 5000, maxMs: 1000 } },
      field: 'backoff.maxMs',
      says: /initialMs/,
    },
  ];
  for (const { input, field, says } of cases) {
    it(`${JSON.stringify(input)} → ${field}`, () => {
      const r = parseScenario(input);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.field).toBe(field);
      expect(r.message).toMatch(says);
    });
  }

  it('fills in every default from the schema', () => {
    const r = parseScenario({ mode: 'long-polling', network: { latencyMs: 20 } });
    expect(r.ok && r.scenario).toMatchObject({
      mode: 'long-polling',
      seed: 1,
      pollIntervalMs: 2000,
      longPollTimeoutMs: 30_000,
      network: { latencyMs: 20, jitterMs: 0, lossRate: 0 },
      sizes: { requestHeaderBytes: 700, responseHeaderBytes: 300, messageBytes: 100 },
      backoff: { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5 },
      messages: { poisson: { ratePerMin: 6 } },
    });
  });

  it('does not change its input', () => {
    const input = {
      network: { latencyMs: 20 },
      interventions: [{ atMs: 5, set: { mode: 'polling' } }],
    };
    const copy = structuredClone(input);
    parseScenario(input);
    expect(input).toEqual(copy);
  });
});

describe('the work guard refuses runs beyond reason up front', () => {
  it('10,000 clients polling every millisecond for a day is refused with its size and the limit', () => {
    const s = scenario({ clients: 10_000, pollIntervalMs: 1, durationMs: 86_400_000 });
    expect(() => checkWork(s)).toThrow(WorkTooLargeError);
    expect(() => checkWork(s)).toThrow(
      /about 5,18\d,\d{3},\d{3},\d{3} trace events, over the limit of 25,000,000/,
    );
  });

  it('10,000 clients polling every 5 s for 10 minutes is allowed', () => {
    expect(() =>
      checkWork(scenario({ clients: 10_000, pollIntervalMs: 5000, durationMs: 600_000 })),
    ).not.toThrow();
  });

  it('a storm of retries is priced: a proxy that cuts every hold after 1 ms, with 1 ms of backoff', () => {
    const s = scenario({
      mode: 'long-polling',
      durationMs: 86_400_000,
      longPollTimeoutMs: 86_400_000,
      proxy: { idleTimeoutMs: 1 },
      backoff: { initialMs: 1, maxMs: 1 },
    });
    // About 850,000 cuts and retries in a day: far too many for a browser tab's 5 million events.
    expect(estimateEvents(s)).toBeGreaterThan(5 * 850_000);
    expect(() => checkWork(s, 5_000_000)).toThrow(WorkTooLargeError);
  });

  it('10,000 clients retrying through a day-long outage are refused', () => {
    const s = scenario({
      clients: 10_000,
      mode: 'long-polling',
      durationMs: 86_400_000,
      faults: [{ atMs: 1000, kind: 'server-restart', downMs: 86_000_000 }],
      backoff: { initialMs: 1, maxMs: 1 },
    });
    expect(() => checkWork(s)).toThrow(WorkTooLargeError);
  });

  it('the estimate is never below the events a run makes (random scenarios, retries included)', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const s = scenario(input);
        const events = simulate(s).trace.length;
        expect(estimateEvents(s), `seed ${s.seed}`).toBeGreaterThanOrEqual(events);
      }),
      { numRuns: 200 },
    );
  });

  it('an intervention that makes the run too large is priced too', () => {
    const s = scenario({
      clients: 10_000,
      pollIntervalMs: 5000,
      durationMs: 3_600_000,
      interventions: [{ atMs: 1000, set: { pollIntervalMs: 10 } }],
    });
    expect(() => checkWork(s)).toThrow(WorkTooLargeError);
  });
});
