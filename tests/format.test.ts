import { describe, expect, it } from 'vitest';
import { formatRun } from '../src/cliFormat';
import { formatMetric } from '../src/lessons';
import { computeMetrics, scenario, simulate } from '../src/sim';
import { bytes } from '../src/format';

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
