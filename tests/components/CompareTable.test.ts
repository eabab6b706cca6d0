import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { computeMetrics, defaultScenario, scenario, simulate, type Metrics } from '../../src/sim';
import CompareTable, { difference } from '../../src/views/CompareTable.svelte';

const polling = computeMetrics(simulate({ ...defaultScenario, mode: 'polling' }));
const longPolling = computeMetrics(simulate({ ...defaultScenario, mode: 'long-polling' }));

/** The cells of the row headed `label`: polling, long polling, difference. */
function row(label: string): string[] {
  const header = screen.getByRole('rowheader', { name: label });
  const tr = header.closest('tr');
  if (!tr) throw new Error(`"${label}" is not in a row`);
  return within(tr)
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '');
}

describe('CompareTable', () => {
  it('compare table: named by its caption, with a column per mode and a difference', () => {
    render(CompareTable, { polling, longPolling });
    const table = screen.getByRole('table', { name: 'Polling vs long polling' });

    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Metric', 'Polling', 'Long polling', 'Long polling vs polling']);
  });

  it.each([
    { label: 'Requests', cells: ['30', '8', '3.8× fewer requests'] },
    { label: 'Wasted round trips', cells: ['24', '1', '24× fewer wasted round trips'] },
    { label: 'Share of responses wasted', cells: ['80 %', '12.5 %', '68 points lower'] },
    { label: 'Messages delivered', cells: ['6', '7', '1.2× more messages delivered'] },
    { label: 'Mean latency', cells: ['1.21 s', '50 ms', '1.16 s lower'] },
    { label: 'Bytes on the wire', cells: ['30.6 kB', '8.7 kB', '3.5× fewer bytes'] },
    { label: 'Peak held requests', cells: ['0', '1', '1 more held at once'] },
    { label: 'Errors', cells: ['0', '0', 'same'] },
    { label: 'Rate limited (429)', cells: ['0', '0', 'same'] },
    { label: 'Over capacity (503)', cells: ['0', '0', 'same'] },
  ])('compare table: $label reads $cells', ({ label, cells }) => {
    render(CompareTable, { polling, longPolling });

    expect(row(label)).toEqual(cells);
  });

  it('compare table: refusals by the server get their own rows, after the errors they are part of', () => {
    // Polling every 0.5 s against a limit of 60 a minute; long polling against a cap of 1 hold.
    const limits = {
      clients: 3,
      pollIntervalMs: 500,
      durationMs: 10_000,
      server: { rateLimit: { requestsPerMin: 60, burst: 1 }, maxHeldRequests: 1 },
    };
    const p = computeMetrics(simulate(scenario({ ...limits, mode: 'polling' })));
    const l = computeMetrics(simulate(scenario({ ...limits, mode: 'long-polling' })));
    expect(p.server.rateLimited).toBeGreaterThan(0);
    expect(l.server.overCapacity).toBeGreaterThan(0);
    render(CompareTable, { polling: p, longPolling: l });

    expect(row('Rate limited (429)').slice(0, 2)).toEqual([
      String(p.server.rateLimited),
      String(l.server.rateLimited),
    ]);
    expect(row('Over capacity (503)')).toEqual([
      '0',
      String(l.server.overCapacity),
      `${l.server.overCapacity} more over-capacity responses`,
    ]);
    const labels = screen.getAllByRole('rowheader').map((th) => th.textContent);
    expect(labels.slice(labels.indexOf('Errors'))).toEqual([
      'Errors',
      'Rate limited (429)',
      'Over capacity (503)',
    ]);
  });

  it('compare table: latency with nothing delivered shows a dash and no comparison', () => {
    const silent: Metrics = { ...structuredClone(longPolling), messagesDelivered: 0 };
    render(CompareTable, { polling, longPolling: silent });

    expect(row('Mean latency')).toEqual(['1.21 s', '—', '—']);
  });

  it('compare table: with no responses yet, the share wasted is a dash, as in the CLI and the lessons', () => {
    const atStart = (mode: 'polling' | 'long-polling') =>
      computeMetrics(simulate({ ...defaultScenario, mode }), 0);
    render(CompareTable, { polling: atStart('polling'), longPolling: atStart('long-polling') });

    expect(row('Requests')).toEqual(['1', '1', 'same']);
    expect(row('Share of responses wasted')).toEqual(['—', '—', '—']);
  });

  it.each([
    { kind: 'count', noun: 'requests', p: 30, l: 0, expected: 'none (30 fewer)' },
    { kind: 'count', noun: 'requests', p: 10, l: 51, expected: '5.1× more requests' },
    { kind: 'count', noun: 'requests', p: 51, l: 10, expected: '5.1× fewer requests' },
    { kind: 'ms', noun: '', p: 50, l: 62, expected: '12 ms higher' },
    { kind: 'bytes', noun: 'bytes', p: 2000, l: 1000, expected: '2× fewer bytes' },
    { kind: 'share', noun: '', p: 0.5, l: 0.5, expected: 'same' },
    { kind: 'count', noun: 'requests', p: NaN, l: 1, expected: '—' },
  ] as const)(
    'compare table: $kind $p vs $l reads "$expected"',
    ({ kind, noun, p, l, expected }) => {
      expect(difference(kind, noun, p, l)).toBe(expected);
    },
  );
});
