/**
 * Dotted paths into plain data ("server.rateLimit.burst", "faults.0.atMs"): reading, setting and
 * merging. Nothing here changes its input; a set or a merge copies what it changes. Which parts a
 * merge replaces whole is the caller's rule (`Whole`); the scenario's rules are in scenario.ts.
 */

/** A value that is neither a list nor null: the only kind a merge looks into. */
export const isRecord = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/** Whether the object at a dotted path is replaced whole by a merge rather than merged field by field. */
export type Whole = (path: string) => boolean;

const mergeAll: Whole = () => false;

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** The keys of a dotted path; the empty path has none. */
export function pathKeys(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

/** The value at a dotted path, or undefined where the path leads through nothing (or null). */
export function getPath(value: unknown, path: string): unknown {
  let x = value;
  for (const key of pathKeys(path)) {
    if (x === null || typeof x !== 'object') return undefined;
    x = (x as Record<string, unknown>)[key];
  }
  return x;
}

/** A copy of `value` with `x` at a dotted path; missing objects on the way are created. */
export function setPath<T>(value: T, path: string, x: unknown): T {
  const [key, ...rest] = pathKeys(path);
  if (key === undefined) return x as T;
  const current = value as unknown;
  const inner = isRecord(current) || Array.isArray(current) ? current[key as never] : undefined;
  const next: unknown = rest.length === 0 ? x : setPath(inner ?? {}, rest.join('.'), x);
  if (Array.isArray(current)) return Object.assign([...current], { [key]: next }) as T;
  return { ...(isRecord(current) ? current : {}), [key]: next } as T;
}

/**
 * `base` with `patch` merged in: objects merge at every depth; a list, a value, `null` and an
 * object that `whole` names replace what was there; an undefined field changes nothing (as in
 * JSON, which cannot write one).
 */
export function mergePatch<T>(base: T, patch: Record<string, unknown>, whole = mergeAll): T {
  return merge(base, patch, whole, '') as T;
}

function merge(base: unknown, patch: Record<string, unknown>, whole: Whole, at: string): unknown {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const path = join(at, key);
    const current = out[key];
    out[key] =
      isRecord(value) && isRecord(current) && !whole(path)
        ? merge(current, value, whole, path)
        : value;
  }
  return out;
}

/** The dotted paths a patch sets: its leaves, where a list or an object `whole` names is one leaf. */
export function leafPaths(patch: Record<string, unknown>, whole = mergeAll, at = ''): string[] {
  return Object.entries(patch).flatMap(([key, value]) => {
    const path = join(at, key);
    return isRecord(value) && !whole(path) ? leafPaths(value, whole, path) : [path];
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields of `value` that differ from `base`, as a patch: merged into `base` it gives `value`'s
 * fields again. Objects are compared field by field unless `whole` names them; fields that are
 * undefined in `value` are left out.
 */
export function diffPatch(
  base: unknown,
  value: Record<string, unknown>,
  whole = mergeAll,
  at = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, x] of Object.entries(value)) {
    const was = isRecord(base) ? base[key] : undefined;
    if (x === undefined || same(x, was)) continue;
    const path = join(at, key);
    if (!isRecord(x) || !isRecord(was) || whole(path)) out[key] = x;
    else {
      // An object whose differences are all undefined changes nothing when merged.
      const inner = diffPatch(was, x, whole, path);
      if (Object.keys(inner).length > 0) out[key] = inner;
    }
  }
  return out;
}

/**
 * The smallest patch that sets a dotted path to `x` in `base`: just that field, unless an object
 * on the way is replaced whole by a merge, which then travels whole with the field changed in it.
 */
export function patchAt(
  base: unknown,
  path: string,
  x: unknown,
  whole = mergeAll,
): Record<string, unknown> {
  const keys = pathKeys(path);
  for (let n = 1; n < keys.length; n++) {
    const outer = keys.slice(0, n).join('.');
    if (!whole(outer)) continue;
    return setPath({}, outer, setPath(getPath(base, outer) ?? {}, keys.slice(n).join('.'), x));
  }
  return setPath({}, path, x);
}
