import { describe, expect, it } from 'vitest';
import { scenario, simulate, type Run, type ScenarioInput } from '../../src/sim';
import {
  LOOKAHEAD_MS,
  Playback,
  type Background,
  type FrameSource,
} from '../../src/views/playback.svelte';

/** Animation frames a test advances by hand. */
function manualFrames() {
  let pending: ((t: number) => void) | null = null;
  let now = 0;
  const frames: FrameSource = {
    request: (cb) => ((pending = cb), 1),
    cancel: () => (pending = null),
  };
  return {
    frames,
    advance(ms: number) {
      now += ms;
      const cb = pending;
      pending = null;
      cb?.(now);
    },
  };
}

/** Background work a test runs by hand, on a wall clock that moves 1 ms per reading. */
function manualBackground() {
  let queue: (() => void)[] = [];
  let clock = 0;
  const background: Background = {
    schedule: (cb) => queue.push(cb),
    cancel: (handle) => {
      queue[handle - 1] = () => {};
    },
    nowMs: () => clock++,
  };
  return {
    background,
    get pending() {
      return queue.length;
    },
    /** Runs what is scheduled, and what that schedules, until nothing is left. */
    drain() {
      let pieces = 0;
      while (queue.length > 0) {
        const next = queue;
        queue = [];
        for (const cb of next) cb();
        pieces += next.length;
      }
      return pieces;
    },
  };
}

const columns = (run: Run) =>
  [run.trace.time, run.trace.kind, run.trace.client, run.trace.request, run.trace.a].map((c) =>
    Array.from(c.subarray(0, run.trace.length)),
  );

const chat: ScenarioInput = { mode: 'polling', durationMs: 60_000, messages: { everyMs: 5000 } };

describe('Playback', () => {
  it('plays at the chosen speed and stops at the end', () => {
    const f = manualFrames();
    const p = new Playback(scenario(chat), f.frames);
    p.setSpeed(10);
    p.play();
    f.advance(16); // the first frame only sets the clock
    f.advance(100);
    expect(p.playheadMs).toBe(1000);
    for (let k = 0; k < 100; k++) f.advance(100);
    expect(p.playheadMs).toBe(p.endMs);
    expect(p.playing).toBe(false);
  });

  it('steps to the next and previous moments when something happens', () => {
    const p = new Playback(scenario({ ...chat, pollIntervalMs: 1000 }));
    // At 0 the first request is already sent; the next moment is its arrival.
    p.stepForward();
    expect(p.playheadMs).toBe(50);
    p.stepForward();
    expect(p.playheadMs).toBe(100); // its response arrives
    p.stepBack();
    expect(p.playheadMs).toBe(50);
    p.stepBack();
    expect(p.playheadMs).toBe(0);
  });

  it('a mode switch mid-run keeps the past, changes the future and can be undone', () => {
    const p = new Playback(scenario(chat));
    const before = p.run;
    p.seek(20_000);
    const pastBefore = [...before.trace.events(0, before.trace.indexAfter(20_000))];
    expect(p.setMode('long-polling')).toEqual({ ok: true });
    expect(p.scenario.interventions).toEqual([{ atMs: 20_001, set: { mode: 'long-polling' } }]);
    expect(p.playheadMs).toBe(20_001);
    expect([...p.run.trace.events(0, p.run.trace.indexAfter(20_000))]).toEqual(pastBefore);
    expect(p.run.trace.length).toBeLessThan(before.trace.length);
    expect(p.canUndo).toBe(true);
    p.undo();
    expect(p.scenario.interventions).toEqual([]);
    expect(p.run.trace.length).toBe(before.trace.length);
  });

  it('a change before the run starts edits the scenario instead of intervening', () => {
    const p = new Playback(scenario(chat));
    expect(p.change({ network: { latencyMs: 200 } })).toEqual({ ok: true });
    expect(p.scenario.interventions).toEqual([]);
    expect(p.scenario.network.latencyMs).toBe(200);
    expect(p.scenario.network.jitterMs).toBe(0);
  });

  it('an invalid change is refused with a message and the run is kept', () => {
    const p = new Playback(scenario(chat));
    p.seek(10_000);
    const run = p.run;
    const result = p.change({ network: { lossRate: 2 } });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/network.lossRate/) });
    expect(p.run).toBe(run);
    expect(p.canUndo).toBe(false);
  });

  it('a scenario too large for the browser is refused with its size', () => {
    const p = new Playback(scenario(chat));
    const result = p.load({ ...chat, clients: 10_000, pollIntervalMs: 100, durationMs: 3_600_000 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/trace events, over the limit of 5,000,000/);
  });

  it('restart with a new seed goes back to the start with another run', () => {
    const p = new Playback(scenario({ ...chat, messages: { poisson: { ratePerMin: 30 } } }));
    const times = Array.from(p.run.trace.time.subarray(0, p.run.trace.length));
    p.seek(30_000);
    p.restart(99);
    expect(p.playheadMs).toBe(0);
    expect(p.scenario.seed).toBe(99);
    expect(Array.from(p.run.trace.time.subarray(0, p.run.trace.length))).not.toEqual(times);
  });
});

describe(
  'Playback: a live change redraws the future without simulating the past again',
  {
    timeout: 30_000,
  },
  () => {
    const crowd: ScenarioInput = {
      clients: 8,
      pollIntervalMs: 2000,
      durationMs: 600_000,
      clientStartSpreadMs: 2000,
      messages: { poisson: { ratePerMin: 6 } },
    };

    /** A playback of the crowd at `atMs`, whose frames and background work the test runs by hand. */
    function crowdAt(atMs: number) {
      const f = manualFrames();
      const bg = manualBackground();
      const p = new Playback(scenario(crowd), f.frames, bg.background);
      p.seek(atMs);
      return { p, f, bg };
    }

    it('computes the next few seconds at once and the rest in the background, ending with the fresh run', () => {
      const f = manualFrames();
      const bg = manualBackground();
      const p = new Playback(scenario(crowd), f.frames, bg.background);
      expect(p.complete).toBe(true);
      p.seek(300_000);
      p.setMode('long-polling');
      // Shown at once: everything up to LOOKAHEAD_MS after the change, and no further.
      expect(p.complete).toBe(false);
      expect(p.run.horizonMs).toBe(300_001 + LOOKAHEAD_MS);
      const fresh = simulate(p.scenario);
      const shown = p.run.trace.length;
      expect(shown).toBe(fresh.trace.indexAfter(300_001 + LOOKAHEAD_MS));
      expect(columns(p.run)).toEqual(columns(fresh).map((c) => c.slice(0, shown)));
      // The scrubber keeps its length meanwhile.
      expect(p.endMs).toBe(600_000);
      // The rest comes in several pieces, not one long block.
      expect(bg.drain()).toBeGreaterThan(1);
      expect(p.complete).toBe(true);
      expect(columns(p.run)).toEqual(columns(fresh));
      expect(p.endMs).toBe(fresh.endMs);
    });

    it('playing waits at the edge of what is computed, then goes on', () => {
      const { p, f, bg } = crowdAt(100_000);
      p.setMode('long-polling');
      p.setSpeed(100);
      p.play();
      f.advance(16);
      for (let k = 0; k < 10; k++) f.advance(100);
      // 100 s of play asked for, but only a few seconds were computed: it waits there, still playing.
      expect(p.playheadMs).toBe(p.run.horizonMs);
      expect(p.playing).toBe(true);
      bg.drain();
      f.advance(100);
      expect(p.playheadMs).toBeGreaterThan(100_001 + LOOKAHEAD_MS);
    });

    it('seeking past what is computed finishes the run first', () => {
      const { p } = crowdAt(60_000);
      p.setMode('long-polling');
      p.seek(500_000);
      expect(p.complete).toBe(true);
      expect(p.playheadMs).toBe(500_000);
      expect(columns(p.run)).toEqual(columns(simulate(p.scenario)));
    });

    it('switching back and forth at one instant gives the fresh run every time, and undo is instant', () => {
      const { p, bg } = crowdAt(240_000);
      const runs: Run[] = [];
      for (let k = 0; k < 4; k++) {
        p.setMode(k % 2 === 0 ? 'long-polling' : 'polling');
        bg.drain();
        expect(columns(p.run), `switch ${k + 1}`).toEqual(columns(simulate(p.scenario)));
        runs.push(p.run);
      }
      expect(p.scenario.interventions.map((iv) => iv.atMs)).toEqual([
        240_001, 240_002, 240_003, 240_004,
      ]);
      p.undo();
      expect(p.run).toBe(runs[2]);
      expect(p.scenario.interventions).toHaveLength(3);
    });

    it('a change made while the last one is still computing starts from the right past', () => {
      const { p, bg } = crowdAt(200_000);
      p.setMode('long-polling');
      p.seek(215_000);
      p.change({ pollIntervalMs: 500, mode: 'polling' });
      expect(p.complete).toBe(false);
      bg.drain();
      expect(columns(p.run)).toEqual(columns(simulate(p.scenario)));
      p.undo();
      // The run undone to was never finished, so it is simulated again, whole.
      expect(p.complete).toBe(true);
      expect(columns(p.run)).toEqual(columns(simulate(p.scenario)));
    });
  },
);
