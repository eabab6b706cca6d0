/**
 * Invariants over random valid scenarios. Each runs from the seed tests/property.ts prints (set
 * PROPERTY_SEED to repeat a run), and each assertion names the scenario's own seed, so a failure
 * can be replayed.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { EventKind, isOkStatus, scenario, simulate, type Run, type Scenario } from '../../src/sim';
import { itHolds } from '../property';
import { bounded, scenarioArb } from './arbitraries';
import { columns } from './helpers';

const props = { numRuns: 120 };

/** A test that `check` passes on the run of every random scenario drawn. */
function itHoldsForEveryRun(name: string, check: (s: Scenario, run: Run) => void) {
  itHolds(
    name,
    props,
    fc.property(scenarioArb, (input) => {
      const s = scenario(input);
      check(s, simulate(s));
    }),
  );
}

describe('determinism', () => {
  itHolds(
    'the same scenario gives the identical trace twice',
    { ...props, simulationsPerRun: 2 },
    fc.property(scenarioArb, (input) => {
      const s = scenario(input);
      expect(columns(simulate(structuredClone(s)))).toEqual(columns(simulate(structuredClone(s))));
    }),
  );

  itHolds(
    'another seed gives another trace when the scenario draws random numbers',
    { numRuns: 40, simulationsPerRun: 2 },
    fc.property(scenarioArb, fc.integer({ min: 1, max: 1000 }), (input, delta) => {
      const s = bounded({
        ...input,
        messages: { poisson: { ratePerMin: 60 } },
        durationMs: 30_000,
      });
      const a = simulate(s);
      const b = simulate({ ...s, seed: s.seed + delta });
      expect(columns(a)).not.toEqual(columns(b));
    }),
  );
});

describe('invariants over random scenarios', () => {
  itHoldsForEveryRun(
    'every request ends exactly once: a response arrives or the client gives up',
    (s, run) => {
      const { trace } = run;
      const ends = new Int32Array(run.requestClient.length);
      for (let i = 0; i < trace.length; i++) {
        const k = trace.kind[i];
        if (k === EventKind.responseArrived || k === EventKind.clientTimeout)
          ends[trace.request[i]]++;
      }
      const bad = ends.findIndex((x) => x !== 1);
      expect(bad, `request ${bad} ended ${ends[bad]} times (seed ${s.seed})`).toBe(-1);
    },
  );

  itHoldsForEveryRun(
    'time never goes backwards and held requests never exceed clients',
    (s, { trace }) => {
      let held = 0;
      const heldSet = new Set<number>();
      for (let i = 0; i < trace.length; i++) {
        if (i > 0)
          expect(trace.time[i], `seed ${s.seed}`).toBeGreaterThanOrEqual(trace.time[i - 1]);
        const k = trace.kind[i];
        if (k === EventKind.requestHeld) heldSet.add(trace.request[i]);
        if (
          k === EventKind.responseSent ||
          k === EventKind.proxyCut ||
          k === EventKind.requestAborted
        )
          heldSet.delete(trace.request[i]);
        held = Math.max(held, heldSet.size);
      }
      expect(held, `seed ${s.seed}`).toBeLessThanOrEqual(s.clients);
    },
  );

  itHolds(
    'with a log and no loss, every message reaches every client once, in order (all of them when batching)',
    props,
    fc.property(scenarioArb, (input) => {
      const s = bounded({
        ...input,
        network: { ...input.network, lossRate: 0 },
        // A refused request (429, 503) brings nothing: limits have their own properties.
        server: {
          ...input.server,
          buffer: 'log',
          // A log that keeps only the last few may move on before a client asks: no loss then.
          bufferLimit: undefined,
          rateLimit: undefined,
          maxHeldRequests: undefined,
        },
        proxy: undefined,
        faults: [],
        interventions: input.interventions?.map((iv) => ({
          ...iv,
          set: { ...iv.set, server: undefined },
        })),
      });
      const { trace } = simulate(s);
      const received: number[][] = Array.from({ length: s.clients }, () => []);
      // Per client: how many messages had been published when the last request it had an
      // answer to reached the server (a request it gave up on brings nothing).
      const publishedAtLastArrival = new Array<number>(s.clients).fill(0);
      const publishedAtArrival = new Map<number, number>();
      let published = 0;
      for (let i = 0; i < trace.length; i++) {
        const k = trace.kind[i];
        if (k === EventKind.messagePublished) published++;
        if (k === EventKind.requestArrived) publishedAtArrival.set(trace.request[i], published);
        if (k === EventKind.responseArrived) {
          const c = trace.client[i];
          const publishedThen = publishedAtArrival.get(trace.request[i])!;
          publishedAtLastArrival[c] = publishedThen;
          // "No new data" (batching or not) means the client had everything published before
          // its request reached the server.
          if (isOkStatus(trace.status[i]) && trace.b[i] === 0)
            expect(received[c].length, `client ${c} (seed ${s.seed})`).toBeGreaterThanOrEqual(
              publishedThen,
            );
        }
        if (k === EventKind.messageDelivered) received[trace.client[i]].push(trace.a[i]);
      }
      for (let c = 0; c < s.clients; c++) {
        const ids = received[c];
        const expected = Array.from({ length: ids.length }, (_, k) => k + 1);
        expect(ids, `client ${c} (seed ${s.seed})`).toEqual(expected);
        // One message per response (batch off) may leave some for requests never sent.
        if (s.server.batch)
          expect(ids.length, `client ${c} (seed ${s.seed})`).toBeGreaterThanOrEqual(
            publishedAtLastArrival[c],
          );
      }
    }),
  );

  itHoldsForEveryRun(
    'delivered, lost and undelivered add up to what was published, per client',
    (s, { trace }) => {
      const seen = Array.from({ length: s.clients }, () => new Set<number>());
      let published = 0;
      for (let i = 0; i < trace.length; i++) {
        const k = trace.kind[i];
        if (k === EventKind.messagePublished) published++;
        // A repeat the client recognised (a server without a cursor resends) is not a delivery.
        const repeat = k === EventKind.messageDelivered && trace.status[i] === 1;
        if ((k === EventKind.messageDelivered && !repeat) || k === EventKind.messageLost) {
          const set = seen[trace.client[i]];
          expect(
            set.has(trace.a[i]),
            `message ${trace.a[i]} twice for client ${trace.client[i]} (seed ${s.seed})`,
          ).toBe(false);
          set.add(trace.a[i]);
        }
      }
      for (const set of seen) expect(set.size).toBeLessThanOrEqual(published);
    },
  );
});
