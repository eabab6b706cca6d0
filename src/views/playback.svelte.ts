/**
 * The playground's one playback store: the scenario (with the interventions made so far), its
 * run, the playhead, the speed and the one animation loop. Views read it; a change of mode or of
 * a parameter becomes an intervention at the playhead. The past stays as it was, because the run
 * is a pure function of the scenario; only the future is simulated again, from the latest
 * checkpoint before the change. The next half minute is computed at once, so the change shows
 * in the next frame; the rest of the run follows in the background, a few milliseconds at a time.
 */
import {
  applySet,
  checkWork,
  configAt,
  parseScenario,
  resumeProblem,
  World,
  type Checkpoint,
  type InterventionSet,
  type Mode,
  type Run,
  type Scenario,
} from '../sim';

export const SPEED_MIN = 0.1;
export const SPEED_MAX = 100;
/** The browser refuses runs larger than this many trace events (about 110 MB of trace). */
export const BROWSER_MAX_EVENTS = 5_000_000;

/** Where animation frames come from: the browser's, or a test's. */
export interface FrameSource {
  request(callback: (timeMs: number) => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameSource = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/** Where background work is scheduled, and the wall clock it is measured with: the browser's, or a test's. */
export interface Background {
  schedule(callback: () => void): number;
  cancel(handle: number): void;
  nowMs(): number;
}

/**
 * The browser's: each piece runs just after a frame has been drawn (a timer set from the frame's
 * callback), so background work never delays the frame that shows a change, and takes at most one
 * slice of each frame after it.
 */
function browserBackground(): Background {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- timer handles, never read by a view
  const pending = new Map<number, { frame: number; timer: number }>();
  let next = 0;
  return {
    schedule(callback) {
      const handle = ++next;
      const entry = { frame: 0, timer: 0 };
      entry.frame = requestAnimationFrame(() => {
        entry.timer = window.setTimeout(() => {
          pending.delete(handle);
          callback();
        }, 0);
      });
      pending.set(handle, entry);
      return handle;
    },
    cancel(handle) {
      const entry = pending.get(handle);
      if (!entry) return;
      cancelAnimationFrame(entry.frame);
      window.clearTimeout(entry.timer);
      pending.delete(handle);
    },
    nowMs: () => performance.now(),
  };
}

/**
 * After a live change, the virtual time computed before the next frame is drawn. The diagram
 * shows the run up to the playhead, and the background work outruns even 100× playback, so a
 * few seconds are enough; playing waits at the edge in the rare case they are not.
 */
export const LOOKAHEAD_MS = 5_000;
/** Wall time one piece of background simulation may take, so frames keep coming. */
const SLICE_MS = 6;
/** Past runs kept for an instant undo; older ones are simulated again. */
const UNDO_RUNS = 8;

export type ChangeResult = { ok: true } | { ok: false; message: string };

/** A scenario that parses and is small enough for a browser, or why not. */
function validate(
  input: unknown,
): { ok: true; scenario: Scenario } | { ok: false; message: string } {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  try {
    checkWork(parsed.scenario, BROWSER_MAX_EVENTS);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  return parsed;
}

interface Past {
  scenario: Scenario;
  /** The complete run and its checkpoints, for the latest few; undefined for older ones. */
  run?: Run;
  checkpoints?: Checkpoint[];
}

/**
 * How often a run is checkpointed: about a hundred times in a run (ten for crowds of thousands,
 * whose checkpoints are large), at most every 2 s of it. A change then simulates again only
 * from the checkpoint before it.
 */
function checkpointEveryMs(s: Scenario): number {
  const perRun = s.clients > 2000 ? 10 : 100;
  return Math.max(2000, Math.ceil(s.durationMs / perRun / 1000) * 1000);
}

export class Playback {
  #scenario = $state.raw() as Scenario;
  #run = $state.raw() as Run;
  #playheadMs = $state(0);
  #playing = $state(false);
  #speed = $state(1);
  #history: Past[] = $state.raw([]);
  /** How far the run is computed, which runs ahead of `run` between redraws (for a progress cue). */
  #computedMs = $state(0);
  #frames: FrameSource;
  #frame = -1;
  #lastFrameMs = -1;
  #background: Background;
  /** The world still computing the current run, if it is not complete yet. */
  #world: World | undefined;
  #continuation = -1;
  /** Checkpoints of the current run, in time order. */
  #checkpoints: Checkpoint[] = [];
  /** Virtual time the next background piece covers; adapted to take about SLICE_MS. */
  #stepMs = 1000;

  /** Throws a WorkTooLargeError when the scenario is too large to simulate in a browser. */
  constructor(
    scenario: Scenario,
    frames: FrameSource = browserFrames,
    background: Background = browserBackground(),
  ) {
    this.#frames = frames;
    this.#background = background;
    checkWork(scenario, BROWSER_MAX_EVENTS);
    this.#scenario = scenario;
    this.#start(new World(scenario), [], Infinity);
  }

  get scenario(): Scenario {
    return this.#scenario;
  }
  get run(): Run {
    return this.#run;
  }
  get playheadMs(): number {
    return this.#playheadMs;
  }
  get playing(): boolean {
    return this.#playing;
  }
  get speed(): number {
    return this.#speed;
  }
  /** The run's end; while the run is still being computed, at least the scenario's duration. */
  get endMs(): number {
    const run = this.#run;
    return run.complete ? run.endMs : Math.max(run.horizonMs, this.#scenario.durationMs);
  }
  /** False while the end of the run is still being computed in the background. */
  get complete(): boolean {
    return this.#run.complete;
  }
  /** The share of the run computed so far: 1 once complete. */
  get computedFraction(): number {
    if (this.#run.complete) return 1;
    return Math.min(1, Math.max(this.#computedMs, this.#run.horizonMs) / Math.max(1, this.endMs));
  }
  get canUndo(): boolean {
    return this.#history.length > 0;
  }
  /** The configuration in force at the playhead (the mode, the interval...). */
  get config(): Scenario {
    return configAt(this.#scenario, this.#playheadMs);
  }

  play(): void {
    if (this.#playing) return;
    if (this.#playheadMs >= this.endMs) this.#playheadMs = 0;
    this.#playing = true;
    this.#lastFrameMs = -1;
    this.#frame = this.#frames.request(this.#tick);
  }

  pause(): void {
    this.#playing = false;
    if (this.#frame >= 0) this.#frames.cancel(this.#frame);
    this.#frame = -1;
  }

  toggle(): void {
    if (this.#playing) this.pause();
    else this.play();
  }

  #tick = (timeMs: number): void => {
    if (!this.#playing) return;
    if (this.#lastFrameMs >= 0) {
      // A long gap (a background tab) does not jump the run forward.
      const dt = Math.min(timeMs - this.#lastFrameMs, 250);
      const next = this.#playheadMs + dt * this.#speed;
      const run = this.#run;
      if (!run.complete && next >= run.horizonMs) {
        // Caught up with the background work: wait at the horizon for the rest of the run.
        this.#playheadMs = Math.max(this.#playheadMs, run.horizonMs);
        this.#publish();
      } else if (next >= this.endMs) {
        this.#playheadMs = this.endMs;
        this.pause();
        return;
      } else {
        this.#playheadMs = next;
      }
    }
    this.#lastFrameMs = timeMs;
    this.#frame = this.#frames.request(this.#tick);
  };

  seek(ms: number): void {
    if (ms > this.#run.horizonMs) this.finish();
    this.#playheadMs = Math.min(Math.max(0, ms), this.endMs);
  }

  /** Computes the rest of the run now, if it is still being computed; returns the whole run. */
  finish(): Run {
    const world = this.#world;
    if (world) {
      this.#advance(world, Infinity);
      this.#publish();
    }
    return this.#run;
  }

  /** Moves to the next moment something happens. */
  stepForward(): void {
    if (this.#run.trace.indexAfter(this.#playheadMs) >= this.#run.trace.length) this.finish();
    const { trace } = this.#run;
    const i = trace.indexAfter(this.#playheadMs);
    if (i < trace.length) this.seek(trace.time[i]);
    else this.seek(this.endMs);
  }

  /** Moves to the previous moment something happened. */
  stepBack(): void {
    const { trace } = this.#run;
    // The first event at the playhead's millisecond, then the one before it.
    let i = trace.indexAfter(Math.ceil(this.#playheadMs) - 1) - 1;
    if (i >= 0 && trace.time[i] >= this.#playheadMs) i--;
    this.seek(i >= 0 ? trace.time[i] : 0);
  }

  toStart(): void {
    this.seek(0);
  }

  toEnd(): void {
    this.pause();
    this.finish();
    this.seek(this.endMs);
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed)) return;
    this.#speed = Math.min(SPEED_MAX, Math.max(SPEED_MIN, speed));
  }

  /** Multiplies the speed by a step on the logarithmic scale (the + and − keys). */
  faster(steps = 1): void {
    this.setSpeed(this.#speed * Math.pow(2, steps));
  }

  /**
   * Applies a change at the playhead. Before anything has happened it edits the scenario; after,
   * it records an intervention one millisecond after the playhead, so every event already shown
   * stays as it was, and moves the playhead onto the change.
   */
  change(set: InterventionSet): ChangeResult {
    const s = this.#scenario;
    const atStart = this.#playheadMs === 0;
    if (atStart) return this.load(applySet(s, set), { keepPlayhead: true });
    const atMs = Math.floor(this.#playheadMs) + 1;
    const checked = validate({ ...s, interventions: [...s.interventions, { atMs, set }] });
    if (!checked.ok) return checked;
    const next = checked.scenario;
    // The latest checkpoint before the change that the changed scenario can go on from, and the
    // ones before it (checkpoints are in time order, all from runs of this scenario's past).
    const cps = this.#checkpoints;
    let last = cps.length - 1;
    while (last >= 0 && resumeProblem(cps[last], next)) last--;
    const usable = cps.slice(0, last + 1);
    const from = usable.at(-1);
    this.#remember();
    this.#scenario = next;
    // With one more checkpoint just before the change, for the next change made at this instant.
    this.#start(
      from ? new World(next, from) : new World(next),
      usable,
      atMs + LOOKAHEAD_MS,
      atMs - 1,
    );
    // One millisecond on, the change itself is in view: its rule in the diagram, its line in the log.
    this.seek(atMs);
    return { ok: true };
  }

  setMode(mode: Mode): ChangeResult {
    if (this.config.mode === mode) return { ok: true };
    return this.change({ mode });
  }

  /**
   * Replaces the scenario (a share link, a lesson, the scenario fields that cannot change during a
   * run). A scenario that is invalid or too large is refused and the current run is kept.
   */
  load(input: unknown, options: { keepPlayhead?: boolean } = {}): ChangeResult {
    const checked = validate(input);
    if (!checked.ok) return checked;
    this.#remember();
    this.#scenario = checked.scenario;
    this.#start(new World(checked.scenario), [], Infinity);
    this.seek(options.keepPlayhead ? this.#playheadMs : 0);
    return { ok: true };
  }

  /** Takes back the last change: the last intervention, or the last edit of the scenario. */
  undo(): void {
    const previous = this.#history.at(-1);
    if (!previous) return;
    this.#history = this.#history.slice(0, -1);
    this.#stopBackground();
    this.#scenario = previous.scenario;
    if (previous.run && previous.checkpoints) {
      this.#run = previous.run;
      this.#checkpoints = previous.checkpoints;
    } else {
      this.#start(new World(previous.scenario), [], Infinity);
    }
    this.seek(this.#playheadMs);
  }

  /** Runs the same scenario again from the start with another seed. */
  restart(seed: number): void {
    this.pause();
    this.load({ ...this.#scenario, seed });
  }

  /** Keeps the current scenario for undo, with its run if that is complete. */
  #remember(): void {
    const run = this.#run;
    const past: Past = { scenario: this.#scenario };
    if (run?.complete) Object.assign(past, { run, checkpoints: this.#checkpoints });
    const kept = [...this.#history, past];
    const old = kept.length - 1 - UNDO_RUNS;
    if (old >= 0 && kept[old].run) kept[old] = { scenario: kept[old].scenario };
    this.#history = kept;
  }

  /**
   * Makes `world` the one computing the current run: runs it to `untilMs` now (checkpointing on
   * the way, and at `checkpointAtMs` if given), shows what it has, and leaves the rest to the
   * background.
   */
  #start(world: World, checkpoints: Checkpoint[], untilMs: number, checkpointAtMs = -1): void {
    this.#stopBackground();
    this.#world = world;
    this.#checkpoints = [...checkpoints];
    if (checkpointAtMs >= 0) {
      this.#advance(world, checkpointAtMs);
      if (!world.done) this.#checkpoints.push(world.checkpoint());
    }
    this.#advance(world, untilMs);
    this.#publish();
  }

  /** Runs the world to `untilMs` or its end, stopping at each checkpoint time to take one. */
  #advance(world: World, untilMs: number): void {
    const every = checkpointEveryMs(world.scenario);
    while (!world.done && world.horizonMs < untilMs) {
      const next = (Math.floor(world.horizonMs / every) + 1) * every;
      world.runUntil(Math.min(next, untilMs));
      if (!world.done && world.horizonMs === next) this.#checkpoints.push(world.checkpoint());
    }
  }

  /** Shows the run as far as it has been computed; schedules the rest. */
  #publish(): void {
    const world = this.#world;
    if (!world) return;
    this.#run = world.result();
    if (world.done) {
      this.#world = undefined;
      this.#stopBackground();
    } else if (this.#continuation < 0) {
      this.#continuation = this.#background.schedule(this.#continue);
    }
  }

  /** One piece of background simulation, of about SLICE_MS of wall time. */
  #continue = (): void => {
    this.#continuation = -1;
    const world = this.#world;
    if (!world) return;
    const bg = this.#background;
    const t0 = bg.nowMs();
    while (!world.done && bg.nowMs() - t0 < SLICE_MS) {
      const s0 = bg.nowMs();
      this.#advance(world, world.horizonMs + this.#stepMs);
      const took = bg.nowMs() - s0;
      // Aim each step at a third of the slice.
      if (took < SLICE_MS / 6) this.#stepMs = Math.min(this.#stepMs * 2, 600_000);
      else if (took > SLICE_MS / 2) this.#stepMs = Math.max(this.#stepMs / 2, 100);
    }
    this.#computedMs = world.horizonMs;
    // Redrawing costs a frame, so the partial run is shown only when the playhead needs it.
    if (world.done || this.#playheadMs + LOOKAHEAD_MS / 2 > this.#run.horizonMs) this.#publish();
    else this.#continuation = bg.schedule(this.#continue);
  };

  #stopBackground(): void {
    if (this.#continuation >= 0) this.#background.cancel(this.#continuation);
    this.#continuation = -1;
  }
}
