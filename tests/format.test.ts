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

/** The formatters by name, with the arguments a case gives after the number. */
const FORMATTERS = {
  duration,
  longDuration,
  'clock(1)': (ms: number) => clock(ms, 1),
  'clock(2)': (ms: number) => clock(ms, 2),
  'clock(0)': (ms: number) => clock(ms, 0),
  clock,
  bytes,
  count,
  'decimal(1)': (x: number) => decimal(x, 1),
  decimal,
  percent,
  ratio,
  'ratio(3)': (x: number) => ratio(x, 3),
  perSecond,
};

describe('one formatter for durations, moments, bytes, counts, shares, ratios and rates', () => {
  it.each([
    // Durations in the unit a person would say.
    { f: 'duration', x: 0, expected: '0 ms' },
    { f: 'duration', x: 2.5, expected: '2.5 ms' },
    { f: 'duration', x: 62.4, expected: '62 ms' },
    { f: 'duration', x: 787, expected: '787 ms' },
    // Would round to "1,000 ms": one second instead.
    { f: 'duration', x: 999.7, expected: '1 s' },
    { f: 'duration', x: 1000, expected: '1 s' },
    // Once "1.05 s" in one view and "1.1 s" in another.
    { f: 'duration', x: 1050, expected: '1.05 s' },
    { f: 'duration', x: 1234, expected: '1.23 s' },
    { f: 'duration', x: 30_000, expected: '30 s' },
    // Once "61.5 s" in one view and "62 s" in another.
    { f: 'duration', x: 61_500, expected: '61.5 s' },
    { f: 'duration', x: 99_990, expected: '99.99 s' },
    { f: 'duration', x: 100_000, expected: '100 s' },
    { f: 'duration', x: 1_200_000, expected: '1,200 s' },
    { f: 'duration', x: -948, expected: '-948 ms' },
    { f: 'duration', x: -1160, expected: '-1.16 s' },
    // A scenario's length in hours, minutes and seconds.
    { f: 'longDuration', x: 45_000, expected: '45 s' },
    { f: 'longDuration', x: 59_500, expected: '59.5 s' },
    { f: 'longDuration', x: 60_000, expected: '1 min' },
    { f: 'longDuration', x: 150_000, expected: '2 min 30 s' },
    { f: 'longDuration', x: 61_500, expected: '1 min 1.5 s' },
    { f: 'longDuration', x: 3_660_000, expected: '1 h 1 min' },
    { f: 'longDuration', x: 86_400_000, expected: '24 h' },
    // A moment with fixed decimals, so that a moving clock does not jitter.
    { f: 'clock', x: 12_350, expected: '12.350 s' },
    { f: 'clock', x: 1_234_567, expected: '1,234.567 s' },
    { f: 'clock(2)', x: 3200, expected: '3.20 s' },
    { f: 'clock(1)', x: 60_000, expected: '60.0 s' },
    { f: 'clock(1)', x: 12_345, expected: '12.3 s' },
    { f: 'clock(0)', x: 5_400_000, expected: '5,400 s' },
    // Bytes in SI units (1 kB = 1,000 B), three significant figures.
    { f: 'bytes', x: 0, expected: '0 B' },
    { f: 'bytes', x: 850, expected: '850 B' },
    { f: 'bytes', x: 999, expected: '999 B' },
    { f: 'bytes', x: 1000, expected: '1 kB' },
    { f: 'bytes', x: 1024, expected: '1.02 kB' },
    { f: 'bytes', x: 8700, expected: '8.7 kB' },
    { f: 'bytes', x: 30_600, expected: '30.6 kB' },
    { f: 'bytes', x: 850_000, expected: '850 kB' },
    { f: 'bytes', x: 999_400, expected: '999 kB' },
    // Rounds up into the next unit rather than showing "1000 kB".
    { f: 'bytes', x: 999_600, expected: '1 MB' },
    { f: 'bytes', x: 3_060_000, expected: '3.06 MB' },
    { f: 'bytes', x: 7_631_600, expected: '7.63 MB' },
    { f: 'bytes', x: 45_600_000, expected: '45.6 MB' },
    { f: 'bytes', x: 2_500_000_000, expected: '2.5 GB' },
    { f: 'bytes', x: 306_123.4, expected: '306 kB' },
    // Counts, decimals, shares, ratios and rates.
    { f: 'count', x: 0, expected: '0' },
    { f: 'count', x: 1234, expected: '1,234' },
    { f: 'count', x: 2.6, expected: '3' },
    { f: 'decimal(1)', x: 12.04, expected: '12' },
    { f: 'decimal(1)', x: 1234.56, expected: '1,234.6' },
    { f: 'decimal', x: 0.0015, expected: '0.002' },
    { f: 'percent', x: 0.8, expected: '80 %' },
    { f: 'percent', x: 0.125, expected: '12.5 %' },
    { f: 'percent', x: 0.0123, expected: '1.2 %' },
    { f: 'ratio', x: 5.06, expected: '5.1' },
    { f: 'ratio', x: 12.4, expected: '12' },
    { f: 'ratio', x: 123.4, expected: '123' },
    { f: 'ratio(3)', x: 0.05333, expected: '0.0533' },
    { f: 'ratio(3)', x: 12.84, expected: '12.8' },
    { f: 'ratio(3)', x: 1234.4, expected: '1,234' },
    { f: 'perSecond', x: 2.5, expected: '2.5 /s' },
    { f: 'perSecond', x: 1 / 3, expected: '0.33 /s' },
  ] as { f: keyof typeof FORMATTERS; x: number; expected: string }[])(
    '$f($x) → "$expected"',
    ({ f, x, expected }) => {
      expect(FORMATTERS[f](x)).toBe(expected);
    },
  );

  // What cannot be measured reads as a dash, not as "NaN" or 0.
  it.each(['duration', 'bytes', 'count', 'percent'] as const)('%s(NaN) → "—"', (f) => {
    expect(FORMATTERS[f](NaN)).toBe('—');
  });
});

describe('a metric reads the same in the lessons, the metrics panel and the CLI', () => {
  it.each([
    { name: 'requests', value: 1234, expected: '1,234' },
    { name: 'latencyMs.mean', value: 1050, expected: '1.05 s' },
    { name: 'emptyShare', value: 0.8, expected: '80 %' },
    // A share of nothing cannot be measured: a dash, not 0 %.
    { name: 'emptyShare', value: NaN, expected: '—' },
    { name: 'requestsPerMin', value: 12.5, expected: '12.5' },
    { name: 'requestsPerClient', value: 1234.56, expected: '1,234.6' },
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
