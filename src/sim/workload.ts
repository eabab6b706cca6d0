/**
 * The workload: when messages are published. A `Workload` draws publication times one at a time,
 * in order, from the workload's own random stream; its state is plain data, so a copy taken in
 * the middle of a run goes on exactly as the original would.
 */
import type { Rng } from './rng';
import type { MessagesSpec } from './scenario';

export class Workload {
  private spec: MessagesSpec;
  private rng: Rng;
  /** The last time drawn (a burst's start for bursts). */
  private t: number;
  /** script: the sorted times and the next index; bursts: this burst's offsets and the next one. */
  private list: number[] = [];
  private index = 0;
  /** bursts: the last time given, so a burst spread wider than its period never goes back. */
  private last: number;

  /** Publications after `startMs` (a script's times at `startMs` too). */
  constructor(spec: MessagesSpec, startMs: number, rng: Rng) {
    this.spec = spec;
    this.rng = rng;
    this.t = startMs;
    this.last = startMs;
    if (spec.script) this.list = spec.script.filter((t) => t >= startMs).sort((x, y) => x - y);
  }

  /** The next publication time, or undefined when the workload has no more. */
  next(): number | undefined {
    const spec = this.spec;
    if (spec.script) return this.index < this.list.length ? this.list[this.index++] : undefined;
    if (spec.everyMs !== undefined) return (this.t += spec.everyMs);
    if (spec.poisson) {
      if (spec.poisson.ratePerMin <= 0) return undefined;
      this.t += Math.round(this.rng.exponential(60_000 / spec.poisson.ratePerMin));
      return this.t;
    }
    if (spec.bursts) {
      const { everyMs, size, spreadMs } = spec.bursts;
      if (size <= 0) return undefined;
      if (this.index >= this.list.length) {
        this.t += everyMs;
        this.list = Array.from({ length: size }, () =>
          spreadMs > 0 ? this.rng.int(spreadMs + 1) : 0,
        ).sort((x, y) => x - y);
        this.index = 0;
      }
      this.last = Math.max(this.last, this.t + this.list[this.index++]);
      return this.last;
    }
    return undefined;
  }

  /** A copy that draws from `rng` (the copied world's stream) from where this one is. */
  copy(rng: Rng): Workload {
    const w = new Workload(this.spec, this.t, rng);
    w.list = this.list.slice();
    w.index = this.index;
    w.last = this.last;
    return w;
  }
}
