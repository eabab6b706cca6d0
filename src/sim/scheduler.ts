/**
 * The one clock of a run. Every pending event is ordered by (time, priority, insertion sequence),
 * so events at the same virtual millisecond always run in the same order: first by priority
 * (see `Priority`), then in the order they were scheduled.
 *
 * It is a binary min-heap over parallel arrays. A cancelled event stays in the heap and is
 * skipped when it reaches the top, which keeps cancellation O(1); a bit per handle says which
 * events are still to run, so cancelling one that has already run (or was cancelled) is refused
 * rather than counted. An event is a task: by default a function to call, or any value the
 * scheduler's `dispatch` knows how to run (the simulation uses plain data, so that a copy of the
 * heap can be resumed by another world).
 */
/**
 * At the same millisecond: a teacher's intervention first, then a fault, then the messages
 * published, then whatever arrives (a request, a response, a client's close), then timers. So a
 * burst published in one instant is all in the log before any request or response of that
 * instant is seen; a response that arrives in the very millisecond of the next poll tick is seen
 * before the tick; and a message published in the millisecond a hold runs out is delivered rather
 * than timed out.
 */
export const Priority = { control: 0, fault: 1, publish: 2, arrival: 3, timer: 4 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

const callTask = (task: unknown) => (task as () => void)();
/** Priorities per millisecond in a key: a power of two, so the time is exact in the key. */
const SLOTS = 8;
/** An event's time from its key (time × SLOTS + priority). */
const timeOf = (key: number) => Math.floor(key / SLOTS);

export class Scheduler<T = () => void> {
  /** time × SLOTS + priority: one comparison orders by time, then priority. */
  private keys: number[] = [];
  private seqs: number[] = [];
  private tasks: T[] = [];
  /** Bit `handle` is set while that event is still to run (scheduled, not run, not cancelled). */
  private live = new Uint32Array(1024);
  private liveCount = 0;
  private nextSeq = 0;
  private _now = 0;
  /** Runs a task when its time comes; a world sets its own. */
  dispatch: (task: T) => void;

  constructor(dispatch: (task: T) => void = callTask) {
    this.dispatch = dispatch;
  }

  get now(): number {
    return this._now;
  }

  /** Events still to run. */
  get pending(): number {
    return this.liveCount;
  }

  /**
   * Schedules `task` at `timeMs` (a whole millisecond, never earlier than now) and returns a
   * handle for `cancel`.
   */
  at(timeMs: number, task: T, priority: Priority = Priority.timer): number {
    if (!(timeMs >= this._now)) {
      throw new Error(`scheduler: event at ${timeMs} ms is in the past (now ${this._now} ms)`);
    }
    // The key orders by time × SLOTS + priority, which holds for whole milliseconds only.
    if (!Number.isInteger(timeMs)) {
      throw new Error(`scheduler: event at ${timeMs} ms is not at a whole millisecond`);
    }
    const seq = this.nextSeq++;
    if (seq >>> 5 === this.live.length) {
      const wider = new Uint32Array(this.live.length * 2);
      wider.set(this.live);
      this.live = wider;
    }
    this.live[seq >>> 5] |= 1 << (seq & 31);
    this.liveCount++;
    const key = timeMs * SLOTS + priority;
    const { keys, seqs, tasks } = this;
    // Sift up: parents that come later move down into the hole, then the new event fills it.
    let i = keys.length;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent];
      if (pk < key || (pk === key && seqs[parent] < seq)) break;
      keys[i] = pk;
      seqs[i] = seqs[parent];
      tasks[i] = tasks[parent];
      i = parent;
    }
    keys[i] = key;
    seqs[i] = seq;
    tasks[i] = task;
    return seq;
  }

  after(delayMs: number, task: T, priority: Priority = Priority.timer): number {
    return this.at(this._now + delayMs, task, priority);
  }

  /** Cancels an event that is still to run; cancelling one that ran, or was cancelled, is a bug. */
  cancel(handle: number): void {
    if (!this.isLive(handle)) {
      throw new Error(`scheduler: cannot cancel event ${handle}: it has run or was cancelled`);
    }
    this.kill(handle);
  }

  private isLive(handle: number): boolean {
    return (
      handle >= 0 && handle < this.nextSeq && (this.live[handle >>> 5] & (1 << (handle & 31))) !== 0
    );
  }

  private kill(handle: number): void {
    this.live[handle >>> 5] &= ~(1 << (handle & 31));
    this.liveCount--;
  }

  /** Runs events in order until none is left or the next one lies after `untilMs`. */
  run(untilMs = Infinity): void {
    while (this.keys.length > 0) {
      const t = timeOf(this.keys[0]);
      if (t > untilMs) break;
      const handle = this.seqs[0];
      const task = this.tasks[0];
      this.pop();
      if (!this.isLive(handle)) continue;
      this.kill(handle);
      // The heap and `at` keep this so; a broken heap would show here first.
      if (t < this._now) throw new Error(`scheduler: time went back from ${this._now} to ${t} ms`);
      this._now = t;
      this.dispatch(task);
    }
  }

  /**
   * A copy of the pending events and the clock, which runs its tasks with `dispatch`. Handles stay
   * valid in the copy, so a copied world can still cancel what it scheduled.
   */
  clone(dispatch?: (task: T) => void): Scheduler<T> {
    const copy = new Scheduler<T>(dispatch);
    copy.keys = this.keys.slice();
    copy.seqs = this.seqs.slice();
    copy.tasks = this.tasks.slice();
    copy.live = this.live.slice();
    copy.liveCount = this.liveCount;
    copy.nextSeq = this.nextSeq;
    copy._now = this._now;
    return copy;
  }

  /** Calls `fn` for every pending event that is not cancelled, in heap order (not time order). */
  forEachPending(fn: (slot: number, timeMs: number, handle: number, task: T) => void): void {
    for (let i = 0; i < this.keys.length; i++) {
      if (this.isLive(this.seqs[i])) fn(i, timeOf(this.keys[i]), this.seqs[i], this.tasks[i]);
    }
  }

  /** Replaces the task of a pending event, keeping its time, priority and place in line. */
  replaceTask(slot: number, task: T): void {
    this.tasks[slot] = task;
  }

  /** Removes the first event: the last one takes its place and sifts down through a hole. */
  private pop(): void {
    const { keys, seqs, tasks } = this;
    const k = keys.pop() as number;
    const q = seqs.pop() as number;
    const task = tasks.pop() as T;
    const n = keys.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.less(r, l) ? r : l;
      const mk = keys[m];
      if (k < mk || (k === mk && q < seqs[m])) break;
      keys[i] = mk;
      seqs[i] = seqs[m];
      tasks[i] = tasks[m];
      i = m;
    }
    keys[i] = k;
    seqs[i] = q;
    tasks[i] = task;
  }

  private less(i: number, j: number): boolean {
    const ki = this.keys[i];
    const kj = this.keys[j];
    return ki < kj || (ki === kj && this.seqs[i] < this.seqs[j]);
  }
}
