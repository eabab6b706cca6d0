import { describe, expect, it } from 'vitest';
import { formatRun } from '../src/cliFormat';
import { formatMetric } from '../src/lessons';
import { computeMetrics, scenario, simulate } from '../src/sim';
import { describeSet } from '../src/views/diagram/describe';
import {
  bytes,
  clock,
  count,
  decimal,
  duration,
  longDuration,
  perSecond,
  percent,
  ratio,
} from '../src/format';

describe('duration: the unit a person would say', () => {
  it.each([
    { ms: 0, expected: '0 ms' },
    { ms: 2.5, expected: '2.5 ms' },
    { ms: 62.4, expected: '62 ms' },
    { ms: 787, expected: '787 ms' },
    // Would round to "1,000 ms": one second instead.
    { ms: 999.7, expected: '1 s' },
    { ms: 1000, expected: '1 s' },
    // Once "1.05 s" in one view and "1.1 s" in another.
    { ms: 1050, expected: '1.05 s' },
    { ms: 1234, expected: '1.23 s' },
    { ms: 30_000, expected: '30 s' },
    // Once "61.5 s" in one view and "62 s" in another.
    { ms: 61_500, expected: '61.5 s' },
    { ms: 99_990, expected: '99.99 s' },
    { ms: 100_000, expected: '100 s' },
    { ms: 1_200_000, expected: '1,200 s' },
    { ms: -948, expected: '-948 ms' },
    { ms: -1160, expected: '-1.16 s' },
    { ms: NaN, expected: '—' },
  ])('$ms ms → "$expected"', ({ ms, expected }) => {
    expect(duration(ms)).toBe(expected);
  });
});

describe('longDuration: a scenario length in hours, minutes and seconds', () => {
  it.each([
    { ms: 45_000, expected: '45 s' },
    { ms: 59_500, expected: '59.5 s' },
    { ms: 60_000, expected: '1 min' },
    { ms: 150_000, expected: '2 min 30 s' },
    { ms: 61_500, expected: '1 min 1.5 s' },
    { ms: 3_660_000, expected: '1 h 1 min' },
    { ms: 86_400_000, expected: '24 h' },
  ])('$ms ms → "$expected"', ({ ms, expected }) => {
    expect(longDuration(ms)).toBe(expected);
  });
});

describe('clock: a moment with a fixed number of decimals, so a moving clock does not jitter', () => {
  it.each([
    { ms: 12_350, digits: undefined, expected: '12.350 s' },
    { ms: 3200, digits: 2, expected: '3.20 s' },
    { ms: 60_000, digits: 1, expected: '60.0 s' },
    { ms: 12_345, digits: 1, expected: '12.3 s' },
    { ms: 5_400_000, digits: 0, expected: '5,400 s' },
    { ms: 1_234_567, digits: 3, expected: '1,234.567 s' },
  ])('$ms ms to $digits decimals → "$expected"', ({ ms, digits, expected }) => {
    expect(clock(ms, digits)).toBe(expected);
  });
});

describe('counts, decimals, shares, ratios and rates', () => {
  it.each([
    { format: count, x: 0, expected: '0' },
    { format: count, x: 1234, expected: '1,234' },
    { format: count, x: 2.6, expected: '3' },
    { format: count, x: NaN, expected: '—' },
    { format: (x: number) => decimal(x, 1), x: 12.04, expected: '12' },
    { format: (x: number) => decimal(x, 1), x: 1234.56, expected: '1,234.6' },
    { format: decimal, x: 0.0015, expected: '0.002' },
    { format: percent, x: 0.8, expected: '80 %' },
    { format: percent, x: 0.125, expected: '12.5 %' },
    { format: percent, x: 0.0123, expected: '1.2 %' },
    { format: percent, x: NaN, expected: '—' },
    { format: ratio, x: 5.06, expected: '5.1' },
    { format: ratio, x: 12.4, expected: '12' },
    { format: ratio, x: 123.4, expected: '123' },
    { format: (x: number) => ratio(x, 3), x: 0.05333, expected: '0.0533' },
    { format: (x: number) => ratio(x, 3), x: 12.84, expected: '12.8' },
    { format: (x: number) => ratio(x, 3), x: 1234.4, expected: '1,234' },
    { format: perSecond, x: 2.5, expected: '2.5 /s' },
    { format: perSecond, x: 1 / 3, expected: '0.33 /s' },
  ])('$x → "$expected"', ({ format, x, expected }) => {
    expect(format(x)).toBe(expected);
  });
});

describe('bytes: SI units (1 kB = 1,000 B), three significant figures', () => {
  it.each([
    { n: 0, expected: '0 B' },
    { n: 850, expected: '850 B' },
    { n: 999, expected: '999 B' },
    { n: 1000, expected: '1 kB' },
    { n: 1024, expected: '1.02 kB' },
    { n: 8700, expected: '8.7 kB' },
    { n: 30_600, expected: '30.6 kB' },
    { n: 850_000, expected: '850 kB' },
    { n: 999_400, expected: '999 kB' },
    // Rounds up into the next unit rather than showing "1000 kB".
    { n: 999_600, expected: '1 MB' },
    { n: 3_060_000, expected: '3.06 MB' },
    { n: 7_631_600, expected: '7.63 MB' },
    { n: 45_600_000, expected: '45.6 MB' },
    { n: 2_500_000_000, expected: '2.5 GB' },
    { n: 306_123.4, expected: '306 kB' },
    { n: NaN, expected: '—' },
  ])('$n → "$expected"', ({ n, expected }) => {
    expect(bytes(n)).toBe(expected);
  });
});

describe('bytes read the same in the lessons, the metrics panel and the CLI', () => {
  it.each([
    { name: 'bytes.total', value: 3_060_000, expected: '3.06 MB' },
    { name: 'bytes.requests', value: 5_040_000, expected: '5.04 MB' },
    { name: 'bytesPerMin', value: 7_631_600, expected: '7.63 MB' },
    { name: 'bytesPerMin', value: 306_100, expected: '306 kB' },
    { name: 'bytes.responses', value: 850, expected: '850 B' },
  ])('lesson metric $name = $value → "$expected"', ({ name, value, expected }) => {
    expect(formatMetric(name, value)).toBe(expected);
  });

  it('the CLI table shows a run of megabytes in MB, as the panel does (20 updates a second, 1 min)', () => {
    const s = scenario({ mode: 'long-polling', clients: 10, messages: { everyMs: 50 } });
    const m = computeMetrics(simulate(s));
    expect(m.bytes.total).toBeGreaterThan(1_000_000);
    const total = formatRun(s, m)
      .split('\n')
      .find((l) => l.trimStart().startsWith('total'));
    expect(total).toContain(` ${bytes(m.bytes.total)} `);
    expect(bytes(m.bytes.total)).toMatch(/^\d+(\.\d+)? MB$/);
  });
});

describe('a duration reads the same in the lessons, the diagram and the CLI', () => {
  it.each([
    { ms: 1050, expected: '1.05 s' },
    { ms: 61_500, expected: '61.5 s' },
    { ms: 850, expected: '850 ms' },
  ])('$ms ms → "$expected" everywhere', ({ ms, expected }) => {
    expect(formatMetric('latencyMs.max', ms)).toBe(expected);
    expect(describeSet({ pollIntervalMs: ms })).toBe(`poll every ${expected}`);
    const s = scenario({ pollIntervalMs: ms, durationMs: 10_000 });
    expect(formatRun(s, computeMetrics(simulate(s))).split('\n')[1]).toContain(
      `polling every ${expected} `,
    );
  });
});
