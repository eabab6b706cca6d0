/**
 * Numbers as people read them, in the views, the lessons and the CLI alike: counts, durations,
 * bytes and shares. A fixed locale (en-US) keeps every reader's screen, every screenshot and every
 * test the same. Pure functions with no DOM, so the lesson engine and the CLI show bytes with the
 * same `bytes` as the metrics panel.
 */

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Up to `digits` decimals, trailing zeros dropped: 0.001, 1.5, 86,400. */
export function decimal(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '—';
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(x);
}

/** A count: "1,234"; "—" for a value that is not a number. */
export function count(x: number): string {
  return Number.isFinite(x) ? whole.format(x) : '—';
}

/** A duration in the unit a person would say: "50 ms", "787 ms", "1.05 s", "30 s", "1,200 s". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const x = Math.abs(ms);
  if (x < 1000) return `${decimal(ms, x < 10 ? 1 : 0)} ms`;
  if (x < 100_000) return `${decimal(ms / 1000, 2)} s`;
  return `${whole.format(ms / 1000)} s`;
}

/** A time on the run's clock, to the millisecond: "12.350 s". */
export function clock(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/**
 * Bytes in SI units (1 kB = 1,000 B) to three significant figures, trailing zeros dropped:
 * "850 B", "1.02 kB", "30.6 kB", "3.06 MB".
 */
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let x = n;
  let u = 0;
  while (Math.abs(x) >= 999.5 && u < units.length - 1) {
    x /= 1000;
    u++;
  }
  return u === 0 ? `${whole.format(x)} B` : `${Number(x.toPrecision(3))} ${units[u]}`;
}

/** A fraction as a percentage: 0.8 → "80 %", 0.0123 → "1.2 %". */
export function percent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${decimal(fraction * 100, 1)} %`;
}

/** A ratio to two significant figures (three at 100 and over): 5.06 → "5.1", 12.4 → "12". */
export function ratio(r: number): string {
  if (!Number.isFinite(r)) return '—';
  if (r >= 100) return whole.format(r);
  return decimal(Number(r.toPrecision(2)), 2);
}
