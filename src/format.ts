/**
 * Numbers as people read them, in the views, the lessons and the CLI alike: counts, durations,
 * moments on the run's clock, bytes, shares, ratios and rates. A fixed locale (en-US) keeps every
 * reader's screen, every screenshot and every test the same. Pure functions with no imports, so
 * the simulation's catalogue of metrics (src/sim/catalogue.ts) can name them too.
 */

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const upTo = [0, 1, 2, 3].map((d) => new Intl.NumberFormat('en-US', { maximumFractionDigits: d }));
const exactly = [0, 1, 2, 3].map(
  (d) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }),
);

/** Up to `digits` decimals, trailing zeros dropped: 0.001, 1.5, 86,400. */
export function decimal(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '—';
  return (upTo[digits] ?? new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })).format(
    x,
  );
}

/** A count: "1,234"; "—" for a value that is not a number. */
export function count(x: number): string {
  return Number.isFinite(x) ? whole.format(x) : '—';
}

/**
 * A duration in the unit a person would say: "2.5 ms", "787 ms", "1.05 s", "61.5 s", "1,200 s".
 * Below 10 ms one decimal, below a second whole milliseconds, below 100 s up to two decimals of
 * a second, and whole seconds beyond.
 */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const x = Math.abs(ms);
  // 999.7 ms would round to "1,000 ms": say "1 s" instead.
  if (x < 999.5) return `${decimal(ms, x < 9.95 ? 1 : 0)} ms`;
  if (x < 99_995) return `${decimal(ms / 1000, 2)} s`;
  return `${whole.format(ms / 1000)} s`;
}

/**
 * A length of time in the units a person would say, for a scenario's length or a moment in it:
 * "45 s", "2 min", "2 min 30 s", "1 h 1 min", "24 h" (below a minute, as `duration`).
 */
export function longDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 60_000) return duration(ms);
  const h = Math.floor(ms / 3_600_000);
  const min = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const parts = [h && `${count(h)} h`, min && `${min} min`, s && `${decimal(s, 1)} s`];
  return parts.filter(Boolean).join(' ');
}

/**
 * A moment on the run's clock in seconds, with a fixed number of decimals so that a moving
 * clock does not jitter: clock(12_350) is "12.350 s", clock(12_350, 1) "12.4 s".
 */
export function clock(ms: number, digits = 3): string {
  if (!Number.isFinite(ms)) return '—';
  const format =
    exactly[digits] ??
    new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  return `${format.format(ms / 1000)} s`;
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

/**
 * A ratio to `figures` significant figures, whole from 10^figures up: with 2, 5.06 → "5.1",
 * 12.4 → "12", 123.4 → "123"; with 3, 0.0533 → "0.0533", 12.84 → "12.8", 1234 → "1,234".
 */
export function ratio(r: number, figures = 2): string {
  if (!Number.isFinite(r)) return '—';
  if (Math.abs(r) >= 10 ** figures) return whole.format(r);
  return decimal(Number(r.toPrecision(figures)), 20);
}

/** Events a second, to two decimals: "2.5 /s". */
export function perSecond(x: number): string {
  return `${decimal(x, 2)} /s`;
}
