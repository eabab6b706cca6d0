import { describe, expect, it } from 'vitest';
import { computeMetrics, defaultScenario, simulate, type Metrics } from '../../src/sim';
import {
  csvField,
  metricsCsv,
  traceJsonLines,
  traceJsonLinesBlob,
} from '../../src/views/exporters';

const polling = simulate({ ...defaultScenario, mode: 'polling' });
const longPolling = simulate({ ...defaultScenario, mode: 'long-polling' });
const pollingMetrics = computeMetrics(polling);
const longPollingMetrics = computeMetrics(longPolling);

/** Splits RFC 4180 CSV without quoted line breaks into cells. */
const rows = (csv: string) =>
  csv
    .split('\r\n')
    .slice(0, -1)
    .map((line) => line.split(','));

describe('exporters', () => {
  it.each([
    { value: 'requests', expected: 'requests' },
    { value: 12.5, expected: '12.5' },
    { value: 'a,b', expected: '"a,b"' },
    { value: 'say "hi"', expected: '"say ""hi"""' },
    { value: 'two\nlines', expected: '"two\nlines"' },
    { value: 'cr\rlf', expected: '"cr\rlf"' },
    { value: undefined, expected: '' },
  ])('csv field: $value is written as $expected', ({ value, expected }) => {
    expect(csvField(value)).toBe(expected);
  });

  it('metrics csv: one run has a header row and one row per metric, CRLF-terminated', () => {
    const csv = metricsCsv(structuredClone(pollingMetrics));

    expect(csv.startsWith('metric,value\r\natMs,60000\r\nrequests,30\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const table = rows(csv);
    expect(table.every((row) => row.length === 2)).toBe(true);
    expect(table).toContainEqual(['latencyMs.p95', '1730']);
    expect(table).toContainEqual(['bytes.total', '30600']);
    expect(table).toContainEqual(['server.peakHeldRequests', '0']);
  });

  it('metrics csv: both modes side by side share the metric names', () => {
    const csv = metricsCsv({
      polling: structuredClone(pollingMetrics),
      longPolling: structuredClone(longPollingMetrics),
    });
    const table = rows(csv);

    expect(table[0]).toEqual(['metric', 'polling', 'long_polling']);
    expect(table).toContainEqual(['requests', '30', '8']);
    expect(table).toContainEqual(['emptyResponses', '24', '1']);
    expect(table).toContainEqual(['latencyMs.mean', '1212.6666666666667', '50']);
    expect(table.length).toBe(rows(metricsCsv(pollingMetrics)).length);
  });

  it('metrics csv: a metric missing on one side leaves its cell empty', () => {
    const partial = { ...structuredClone(longPollingMetrics) } as Partial<Metrics>;
    delete partial.proxyCuts;

    const table = rows(metricsCsv({ polling: pollingMetrics, longPolling: partial as Metrics }));

    expect(table).toContainEqual(['proxyCuts', '0', '']);
  });

  it('trace json lines: one parseable event a line, in trace order', () => {
    const text = traceJsonLines(polling);
    const lines = text.split('\n');

    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(polling.trace.length);
    expect(JSON.parse(lines[0])).toEqual({
      i: 0,
      t: 0,
      kind: 'request.sent',
      client: 0,
      request: 0,
      cursor: 0,
      longPoll: false,
    });
    expect(lines.map((line) => JSON.parse(line).i)).toEqual(lines.map((_, i) => i));
  });

  it('trace json lines: the chunked blob holds exactly the same text', async () => {
    const blob = traceJsonLinesBlob(longPolling, 7);

    expect(blob.type).toBe('application/x-ndjson');
    expect(await blob.text()).toBe(traceJsonLines(longPolling));
  });
});
