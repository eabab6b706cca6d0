/**
 * The machines' pending delayed events: for each machine, the scheduler's handle of each event
 * by its id. A client has a handful of timers with fixed names (its poll tick and its `after`
 * delays), so each client keeps them in slots of one shared typed array, a slot per name: a
 * thousand clients setting and cancelling timers allocate nothing, and each touches one short
 * row. The server names a timer after each request it holds, so it keeps a map.
 */
export class MachineTimers {
  /** A client timer's name → its slot in every client's row. */
  private slotOf = new Map<string, number>();
  private width = 4;
  /** Client c's slot s is at c × width + s: a handle, or −1 when nothing is pending. */
  private rows: Float64Array;
  private server = new Map<string, number>();

  constructor(private readonly clients: number) {
    this.rows = new Float64Array(clients * this.width).fill(-1);
  }

  /** The handle of a pending event (`machine` is a client, or −1 for the server). */
  get(machine: number, id: string): number | undefined {
    if (machine < 0) return this.server.get(id);
    const slot = this.slotOf.get(id);
    const handle = slot === undefined ? -1 : this.rows[machine * this.width + slot];
    return handle < 0 ? undefined : handle;
  }

  set(machine: number, id: string, handle: number): void {
    if (machine < 0) {
      this.server.set(id, handle);
      return;
    }
    // The place first: finding it may widen the rows.
    const k = this.at(machine, id);
    this.rows[k] = handle;
  }

  delete(machine: number, id: string): void {
    if (machine < 0) {
      this.server.delete(id);
      return;
    }
    const slot = this.slotOf.get(id);
    if (slot !== undefined) this.rows[machine * this.width + slot] = -1;
  }

  /** Forgets every pending event of a machine and returns their handles. */
  clear(machine: number): number[] {
    if (machine < 0) {
      const handles = [...this.server.values()];
      this.server.clear();
      return handles;
    }
    const row = this.rows.subarray(machine * this.width, (machine + 1) * this.width);
    const handles = [...row].filter((handle) => handle >= 0);
    row.fill(-1);
    return handles;
  }

  /** Where a client's timer goes in the rows; a name set for the first time gets a slot. */
  private at(client: number, id: string): number {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.slotOf.size;
      this.slotOf.set(id, slot);
      if (slot === this.width) this.widen();
    }
    return client * this.width + slot;
  }

  /** Twice as many slots in every row, the pending handles kept in theirs. */
  private widen(): void {
    const width = this.width * 2;
    const rows = new Float64Array(this.clients * width).fill(-1);
    for (let c = 0; c < this.clients; c++) {
      rows.set(this.rows.subarray(c * this.width, (c + 1) * this.width), c * width);
    }
    this.rows = rows;
    this.width = width;
  }
}
