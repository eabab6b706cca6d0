/**
 * The world's invariants fail a run loudly, naming the instant and the seed that replays it:
 * a request is answered once, held requests never outnumber clients, time never goes back.
 */
import { describe, expect, it } from 'vitest';
import { scenario, World } from '../../src/sim';
import * as holds from '../../src/sim/holds';
import { respond } from '../../src/sim/network';
import { RequestKind, ResponseStatus } from '../../src/sim/trace';
import { freshState } from '../../src/sim/worldState';

describe('world invariants', () => {
  it('a request is answered once: a second answer fails with the instant and the seed', () => {
    const s = freshState(scenario({ clients: 1, seed: 7 }));
    const request = s.requests.add(0, 0, RequestKind.poll, 0);
    s.open.add(request);
    respond(s, request, 0, 0, ResponseStatus.ok);
    expect(() => respond(s, request, 0, 0, ResponseStatus.ok)).toThrow(
      'world invariant broken at 0 ms (seed 7): request 0 is answered twice',
    );
  });

  it('a request that never reached the server cannot be answered', () => {
    const s = freshState(scenario({ clients: 1, seed: 3 }));
    const request = s.requests.add(0, 0, RequestKind.longPoll, 50);
    expect(() => respond(s, request, 0, 0, ResponseStatus.ok)).toThrow(/seed 3.*answered twice/);
  });

  it('held requests never outnumber clients', () => {
    const s = freshState(scenario({ clients: 2, seed: 11, mode: 'long-polling' }));
    for (const client of [0, 1, 1]) {
      const request = s.requests.add(client, 0, RequestKind.longPoll, 0);
      s.open.add(request);
      if (client === 1 && s.held.size === 2) {
        expect(() => holds.hold(s, request)).toThrow(
          'world invariant broken at 0 ms (seed 11): held requests (3) outnumber clients (2)',
        );
      } else {
        holds.hold(s, request);
      }
    }
    expect(s.held.size).toBe(3);
  });

  it('a run that breaks an invariant stops with it, not later or never', () => {
    const world = new World(
      scenario({
        clients: 1,
        seed: 5,
        mode: 'long-polling',
        longPollTimeoutMs: 30_000,
        durationMs: 60_000,
        messages: { script: [] },
      }),
    );
    world.runUntil(1500);
    // Answer the held request behind the server's back: the server still holds it when the
    // client, answered, asks again, so it holds two requests for one client.
    const state = (world as unknown as { s: ReturnType<typeof freshState> }).s;
    const [request] = state.held;
    respond(state, request, 0, 0, ResponseStatus.ok);
    expect(() => world.runUntil(40_000)).toThrow(
      'world invariant broken at 150 ms (seed 5): held requests (2) outnumber clients (1)',
    );
  });

  it('any other failure inside a run also names its instant and seed', () => {
    const world = new World(
      scenario({ clients: 1, seed: 9, durationMs: 10_000, pollIntervalMs: 2000 }),
    );
    world.runUntil(1000);
    const state = (world as unknown as { s: ReturnType<typeof freshState> }).s;
    state.requests.add = () => {
      throw new Error('the network is on fire');
    };
    expect(() => world.runUntil(5000)).toThrow('the network is on fire at 2000 ms (seed 9)');
  });
});
