/**
 * A run computed a piece at a time, and resumed from a checkpoint with a live change, must be
 * exactly the run a fresh simulation of the same scenario gives: the playground redraws the
 * future from a checkpoint, and a student must never see a different past or future than the
 * CLI prints for the shared scenario.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventKind, scenario, simulate, World, type ScenarioInput } from '../../src/sim';
import { itHolds } from '../property';
import { scenarioArb, withinBudget } from './arbitraries';
import { columns, valid } from './helpers';

const setArb = fc.record(
  {
    mode: fc.constantFrom('polling' as const, 'long-polling' as const),
    pollIntervalMs: fc.integer({ min: 100, max: 5000 }),
    pollTimer: fc.constantFrom('fixed' as const, 'after-response' as const),
    longPollTimeoutMs: fc.integer({ min: 500, max: 30_000 }),
    network: fc.record({
      lossRate: fc.constantFrom(0, 0.1),
      jitterMs: fc.integer({ min: 0, max: 100 }),
    }),
    server: fc.record({ buffer: fc.constantFrom('log' as const, 'none' as const) }),
    messages: fc.oneof(
      fc.record({ everyMs: fc.integer({ min: 300, max: 5000 }) }),
      fc.record({ poisson: fc.record({ ratePerMin: fc.integer({ min: 0, max: 60 }) }) }),
    ),
  },
  { requiredKeys: [] },
);

describe('a world run a piece at a time', () => {
  itHolds(
    'gives the same trace as one simulation, whatever the pieces',
    // The run in pieces, and the same run whole.
    { numRuns: 80, simulationsPerRun: 2 },
    fc.property(
      scenarioArb,
      fc.array(fc.integer({ min: 0, max: 45_000 }), { maxLength: 6 }),
      (input: ScenarioInput, cuts) => {
        const s = scenario(input);
        const world = new World(s);
        for (const cut of [...cuts].sort((x, y) => x - y)) {
          world.runUntil(cut);
          const partial = world.result();
          // Nothing after the horizon is in the trace yet.
          const last = partial.trace.length ? partial.trace.time[partial.trace.length - 1] : 0;
          expect(last).toBeLessThanOrEqual(Math.max(cut, partial.horizonMs));
        }
        world.runToEnd();
        const run = world.result();
        expect(run.complete, `seed ${s.seed}`).toBe(true);
        expect(columns(run), `seed ${s.seed}`).toEqual(columns(simulate(s)));
      },
    ),
  );

  it('says how far it has got: incomplete with its horizon, then complete with its end', () => {
    const s = scenario({ clients: 3, durationMs: 60_000, pollIntervalMs: 1000 });
    const world = new World(s);
    world.runUntil(20_000);
    const partial = world.result();
    expect(partial.complete).toBe(false);
    expect(partial.horizonMs).toBe(20_000);
    expect(partial.trace.time[partial.trace.length - 1]).toBeLessThanOrEqual(20_000);
    const full = simulate(s);
    // The first 20 s are already final: exactly the full run's events up to then.
    expect(partial.trace.length).toBe(full.trace.indexAfter(20_000));
    world.runToEnd();
    expect(world.result()).toMatchObject({ complete: true, horizonMs: full.endMs });
  });
});

describe('a world resumed from a checkpoint with a live change', () => {
  itHolds(
    'gives exactly the trace of a fresh run of the changed scenario',
    // The original run, a fresh run of it, and for each of up to two changes a resumed run and a
    // fresh one.
    { numRuns: 120, simulationsPerRun: 6 },
    fc.property(
      scenarioArb,
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.array(setArb, { minLength: 1, maxLength: 2 }),
      (input: ScenarioInput, fraction, sets) => {
        const s = scenario(input);
        const cutMs = Math.floor(fraction * s.durationMs);
        // Each change forks its own future from the one checkpoint.
        const changes = sets.map((set, k) =>
          valid({ ...s, interventions: [...s.interventions, { atMs: cutMs + 1 + k, set }] }),
        );
        fc.pre(changes.every(withinBudget));
        const world = new World(s);
        world.runUntil(cutMs);
        if (world.done) return;
        const checkpoint = world.checkpoint();
        // The original goes on unharmed by the checkpoint.
        world.runToEnd();
        expect(columns(world.result()), `seed ${s.seed}`).toEqual(columns(simulate(s)));
        for (const changed of changes) {
          const resumed = new World(changed, checkpoint);
          resumed.runToEnd();
          expect(columns(resumed.result()), `seed ${s.seed}, cut ${cutMs}`).toEqual(
            columns(simulate(changed)),
          );
        }
      },
    ),
  );

  it('can be checkpointed again after the change, and resumed from there', () => {
    const s = scenario({ clients: 10, durationMs: 120_000, clientStartSpreadMs: 2000 });
    const first = new World(s);
    first.runUntil(30_000);
    const s1 = valid({ ...s, interventions: [{ atMs: 30_001, set: { mode: 'long-polling' } }] });
    const second = new World(s1, first.checkpoint());
    second.runUntil(70_000);
    const s2 = valid({
      ...s1,
      interventions: [...s1.interventions, { atMs: 70_001, set: { mode: 'polling' } }],
    });
    const third = new World(s2, second.checkpoint());
    third.runToEnd();
    const run = third.result();
    expect(columns(run)).toEqual(columns(simulate(s2)));
    const changes = Array.from(run.trace.events()).filter((e) => e.kind === 'intervention');
    expect(changes.map((e) => e.t)).toEqual([30_001, 70_001]);
    expect(run.trace.kind.subarray(0, run.trace.length)).toContain(EventKind.requestHeld);
  });

  it('a checkpoint is shared, never written into: the original and two resumed worlds each end as their fresh runs', () => {
    // The trace and the requests are shared copy-on-write: if a resumed world wrote into the
    // columns it shares with its checkpoint, the original (or a sibling) would see its events.
    const s = scenario({ clients: 4, durationMs: 60_000, pollIntervalMs: 1000 });
    const original = new World(s);
    original.runUntil(20_000);
    const checkpoint = original.checkpoint();
    const toLong = valid({
      ...s,
      interventions: [{ atMs: 20_001, set: { mode: 'long-polling' } }],
    });
    const slower = valid({
      ...s,
      interventions: [{ atMs: 20_001, set: { pollIntervalMs: 3000 } }],
    });
    const a = new World(toLong, checkpoint);
    const b = new World(slower, checkpoint);
    a.runUntil(40_000);
    original.runToEnd();
    b.runToEnd();
    a.runToEnd();
    expect(columns(original.result())).toEqual(columns(simulate(s)));
    expect(columns(a.result())).toEqual(columns(simulate(toLong)));
    expect(columns(b.result())).toEqual(columns(simulate(slower)));
    // And the checkpoint still resumes as it did.
    const again = new World(toLong, checkpoint);
    again.runToEnd();
    expect(columns(again.result())).toEqual(columns(simulate(toLong)));
  });

  it('refuses a scenario that differs in more than new interventions after the checkpoint', () => {
    const s = scenario({ clients: 2, durationMs: 60_000 });
    const world = new World(s);
    world.runUntil(10_000);
    const checkpoint = world.checkpoint();
    expect(() => new World(valid({ ...s, seed: s.seed + 1 }), checkpoint)).toThrow(
      /cannot resume at 10000 ms: the scenario differs in more than its interventions/,
    );
    const early = valid({ ...s, interventions: [{ atMs: 9_000, set: { mode: 'long-polling' } }] });
    expect(() => new World(early, checkpoint)).toThrow(/a new intervention is not after 10000 ms/);
  });
});

describe('World: a machine that fails', () => {
  it('fails the run with the error thrown inside a client action, not later or never', () => {
    const world = new World(scenario({ clients: 3, durationMs: 10_000, pollIntervalMs: 2000 }));
    world.runUntil(1000);
    // The clients' next requests (at 2 s) are recorded in the world's request table: make that fail.
    const state = (world as unknown as { s: { requests: { add: () => never } } }).s;
    state.requests.add = () => {
      throw new Error('the network is on fire');
    };
    expect(() => world.runUntil(5000)).toThrow('the network is on fire');
  });
});
