import { describe, expect, it } from 'vitest';
import { formatCompare, formatRun } from '../../src/cliFormat';
import {
  computeMetrics,
  defaultScenario,
  formatMetric,
  labelInGroup,
  METRIC_NAMES,
  METRICS,
  metricValue,
  scenario,
  simulate,
  type Metrics,
} from '../../src/sim';

/** The dotted paths of every number in a metrics object. */
function numberPaths(x: object, prefix = ''): string[] {
  return Object.entries(x).flatMap(([k, v]) =>
    typeof v === 'number' ? [`${prefix}${k}`] : numberPaths(v as object, `${prefix}${k}.`),
  );
}

const run = simulate({ ...defaultScenario, mode: 'polling' });
const m = computeMetrics(run);

describe('catalogue of metrics', () => {
  it('has an entry for every figure the metrics count (atMs aside), each name once', () => {
    const counted = numberPaths(m).filter((p) => p !== 'atMs');
    expect(counted.filter((p) => !METRIC_NAMES.includes(p))).toEqual([]);
    expect(new Set(METRIC_NAMES).size).toBe(METRIC_NAMES.length);
  });

  it('reads every metric of the default polling run as a number, the fields as counted', () => {
    for (const d of METRICS) expect(d.read(m, run.scenario), d.name).not.toBeNaN();
    expect(metricValue('latencyMs.p95', m, run.scenario)).toBe(m.latencyMs.p95);
    expect(metricValue('emptyShare', m, run.scenario)).toBe(24 / 30);
    expect(metricValue('requestsPerMin', m, run.scenario)).toBe(30);
  });

  it('the CLI table has a row for every metric, so a new entry shows there without more', () => {
    const rows = formatRun(run.scenario, m)
      .split('\n')
      .map((line) => line.trim());
    for (const d of METRICS) {
      const row = rows.find((r) => r.startsWith(`${labelInGroup(d)}  `));
      expect(row, d.name).toContain(formatMetric(d.name, d.read(m, run.scenario)));
    }
  });

  it('refuses a name it does not have', () => {
    expect(() => formatMetric('requestz', 1)).toThrow(/unknown metric "requestz"/);
  });
});

describe('catalogue at the edge: no responses yet', () => {
  // At 0 ms the first poll is on its way: nothing has been answered.
  const s = scenario({ mode: 'polling' });
  const atStart: Metrics = computeMetrics(simulate(s), 0);

  it('the share of wasted round trips cannot be measured: NaN, shown as a dash, not 0 %', () => {
    expect(atStart.requests).toBe(1);
    expect(atStart.responses).toBe(0);
    expect(metricValue('emptyShare', atStart, s)).toBeNaN();
    expect(formatMetric('emptyShare', metricValue('emptyShare', atStart, s))).toBe('—');
  });

  it('the CLI tables show a dash for it, and no difference', () => {
    expect(formatRun(s, atStart)).toMatch(/\n\s+empty share of responses\s+—\n/);
    const byMode = { polling: atStart, 'long-polling': atStart, sse: atStart, websocket: atStart };
    // Four modes' dashes, and a dash for the difference.
    expect(formatCompare(s, byMode)).toMatch(/\n\s+empty share of responses\s+—\s+—\s+—\s+—\s+—\n/);
  });

  it('a latency with nothing delivered is no 0 ms either', () => {
    expect(metricValue('latencyMs.mean', atStart, s)).toBeNaN();
    expect(metricValue('lostShare', atStart, s)).toBeNaN();
  });
});
