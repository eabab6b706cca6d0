import { describe, expect, it } from 'vitest';
import { scenario, type ScenarioInput } from '../../src/sim';
import { Playback, type FrameSource } from '../../src/views/playback.svelte';

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
