/**
 * The requests of a run, by id: which client sent each, the cursor it carried, what it asked for and when it reaches the server. Append-only columns, shared with a checkpoint as the
 * trace is (see columns.ts).
 */
import { regrowColumns, shareColumns } from './columns';
import type { RequestKind } from './trace';

const INITIAL_CAPACITY = 1024;
const REQUEST_COLUMNS = ['client', 'cursor', 'kind', 'arrivalMs'] as const;

export class Requests {
  count = 0;
  client = new Int32Array(INITIAL_CAPACITY);
  cursor = new Int32Array(INITIAL_CAPACITY);
  /** What each asks for (`RequestKind`): an answer at once, a hold, a stream or a socket. */
  kind = new Uint8Array(INITIAL_CAPACITY);
  /** When each request reaches the server (or would have, had it not been lost). */
  arrivalMs = new Int32Array(INITIAL_CAPACITY);
  private limit = INITIAL_CAPACITY;

  /** Records a new request and returns its id. */
  add(client: number, cursor: number, kind: RequestKind, arrivalMs: number): number {
    const id = this.count;
    if (id === this.limit) this.grow();
    this.client[id] = client;
    this.cursor[id] = cursor;
    this.kind[id] = kind;
    this.arrivalMs[id] = arrivalMs;
    this.count = id + 1;
    return id;
  }

  /** These requests as they are now; see the class comment. */
  view(): Requests {
    const r = new Requests();
    shareColumns(r, this, REQUEST_COLUMNS);
    r.count = this.count;
    r.limit = this.count;
    return r;
  }

  private grow(): void {
    this.limit = Math.max(INITIAL_CAPACITY, this.count * 2);
    regrowColumns(this, REQUEST_COLUMNS, this.count, this.limit);
  }
}
