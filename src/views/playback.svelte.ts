/**
 * The playground's one playback store: the scenario (with the interventions made so far), its
 * run, the playhead, the speed and the one animation loop. Views read it; a change of mode or of
 * a parameter becomes an intervention at the playhead, and the run is simulated again: the past
 * is the same because the run is a pure function of the scenario, the future follows the change.
 */
import {
  applySet,
  checkWork,
  configAt,
  parseScenario,
  simulate,
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

export type ChangeResult = { ok: true } | { ok: false; message: string };

export class Playback {
  #scenario = $state.raw() as Scenario;
  #run = $state.raw() as Run;
  #playheadMs = $state(0);
  #playing = $state(false);
  #speed = $state(1);
  #history: Scenario[] = $state.raw([]);
  #frames: FrameSource;
  #frame = -1;
  #lastFrameMs = -1;

  /** Throws a WorkTooLargeError when the scenario is too large to simulate in a browser. */
  constructor(scenario: Scenario, frames: FrameSource = browserFrames) {
    this.#frames = frames;
    this.#run = this.#simulate(scenario);
    this.#scenario = scenario;
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
  get endMs(): number {
    return this.#run.endMs;
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
      if (next >= this.endMs) {
        this.#playheadMs = this.endMs;
        this.pause();
        return;
      }
      this.#playheadMs = next;
    }
    this.#lastFrameMs = timeMs;
    this.#frame = this.#frames.request(this.#tick);
  };

  seek(ms: number): void {
    this.#playheadMs = Math.min(Math.max(0, ms), this.endMs);
  }

  /** Moves to the next moment something happens. */
  stepForward(): void {
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
    const atMs = Math.floor(this.#playheadMs) + 1;
    const next: unknown = atStart
      ? applySet(s, set)
      : { ...s, interventions: [...s.interventions, { atMs, set }] };
    const result = this.load(next, { keepPlayhead: true });
    // One millisecond on, the change itself is in view: its rule in the diagram, its line in the log.
    if (result.ok && !atStart) this.seek(atMs);
    return result;
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
    const parsed = parseScenario(input);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    let run: Run;
    try {
      run = this.#simulate(parsed.scenario);
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
    this.#history = [...this.#history, this.#scenario];
    this.#scenario = parsed.scenario;
    this.#run = run;
    this.seek(options.keepPlayhead ? this.#playheadMs : 0);
    return { ok: true };
  }

  /** Takes back the last change: the last intervention, or the last edit of the scenario. */
  undo(): void {
    const previous = this.#history.at(-1);
    if (!previous) return;
    this.#history = this.#history.slice(0, -1);
    this.#scenario = previous;
    this.#run = this.#simulate(previous);
    this.seek(this.#playheadMs);
  }

  /** Runs the same scenario again from the start with another seed. */
  restart(seed: number): void {
    this.pause();
    this.load({ ...this.#scenario, seed });
  }

  #simulate(s: Scenario): Run {
    checkWork(s, BROWSER_MAX_EVENTS);
    return simulate(s);
  }
}
