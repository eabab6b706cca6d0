/**
 * The requests of a run, by id: which client sent each, the cursor it carried, whether it was a
 * long poll, and when it reaches the server. Append-only columns, shared with a checkpoint as the
 * trace is: a view stops where it was taken, and its first append copies (see `Trace.view`).
 */
const INITIAL_CAPACITY = 1024;

export class Requests {
  count = 0;
  client = new Int32Array(INITIAL_CAPACITY);
  cursor = new Int32Array(INITIAL_CAPACITY);
  longPoll = new Uint8Array(INITIAL_CAPACITY);
  /** When each request reaches the server (or would have, had it not been lost). */
  arrivalMs = new Int32Array(INITIAL_CAPACITY);
  private limit = INITIAL_CAPACITY;

  /** Records a new request and returns its id. */
  add(client: number, cursor: number, longPoll: boolean, arrivalMs: number): number {
    const id = this.count;
    if (id === this.limit) this.grow();
    this.client[id] = client;
    this.cursor[id] = cursor;
    this.longPoll[id] = longPoll ? 1 : 0;
    this.arrivalMs[id] = arrivalMs;
    this.count = id + 1;
    return id;
  }

  /** These requests as they are now; see the class comment. */
  view(): Requests {
    const r = new Requests();
    r.client = this.client;
    r.cursor = this.cursor;
    r.longPoll = this.longPoll;
    r.arrivalMs = this.arrivalMs;
    r.count = this.count;
    r.limit = this.count;
    return r;
  }

  private grow(): void {
    const n = Math.max(INITIAL_CAPACITY, this.count * 2);
    const length = this.count;
    const grow = <T extends Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old.subarray(0, length));
      return next;
    };
    this.client = grow(this.client, new Int32Array(n));
    this.cursor = grow(this.cursor, new Int32Array(n));
    this.longPoll = grow(this.longPoll, new Uint8Array(n));
    this.arrivalMs = grow(this.arrivalMs, new Int32Array(n));
    this.limit = n;
  }
}
