/**
 * Append-only columns of typed arrays, shared copy-on-write: the trace and the requests of a run
 * keep their fields this way. A view holds the same arrays up to its length, and its first append
 * copies them, so taking a checkpoint costs nothing and no run ever writes into another's columns.
 */
export type Column = Int32Array | Uint32Array | Uint8Array;

/** The same columns as `from` (named by `keys`), seen up to `from`'s length. */
export function shareColumns<T extends object>(to: T, from: T, keys: readonly (keyof T)[]): void {
  for (const key of keys) to[key] = from[key];
}

/** Each column copied into a new one of `capacity` entries, its first `length` kept. */
export function regrowColumns<T extends object>(
  owner: T,
  keys: readonly (keyof T)[],
  length: number,
  capacity: number,
): void {
  for (const key of keys) {
    const old = owner[key] as Column;
    const next = new (old.constructor as new (n: number) => Column)(capacity);
    next.set(old.subarray(0, length));
    owner[key] = next as T[keyof T];
  }
}
