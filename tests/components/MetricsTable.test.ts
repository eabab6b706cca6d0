import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import MetricsTable, { type MetricsSummary } from '../../src/views/MetricsTable.svelte';

const metrics: MetricsSummary = {
  requests: 10,
  emptyResponses: 7,
  messagesPublished: 3,
  messagesDelivered: 3,
  latencyMs: { mean: 1250.4, p50: 1000, p95: 2400, max: 2500 },
  bytes: { total: 12_345 },
};

/** The text of the value cell in the row whose header is `label`, as a reader pairs them. */
function valueOf(label: string): string | null {
  const header = screen.getByRole('rowheader', { name: label });
  const row = header.closest('tr');
  if (!row) throw new Error(`The row header "${label}" is not inside a table row.`);
  return within(row).getByRole('cell').textContent;
}

describe('MetricsTable', () => {
  it('metrics table: names itself by its caption', () => {
    render(MetricsTable, { metrics, caption: 'Polling' });

    expect(screen.getByRole('table', { name: 'Polling' })).toBeInTheDocument();
  });

  it.each([
    { label: 'Requests', expected: '10' },
    { label: 'Empty responses', expected: '7' },
    { label: 'Messages published', expected: '3' },
    { label: 'Messages delivered', expected: '3' },
    { label: 'Mean latency', expected: '1,250 ms' },
    { label: 'Median latency', expected: '1,000 ms' },
    { label: 'p95 latency', expected: '2,400 ms' },
    { label: 'Max latency', expected: '2,500 ms' },
    { label: 'Bytes on the wire', expected: '12.3 kB' },
  ])('metrics table: row "$label" shows $expected', ({ label, expected }) => {
    render(MetricsTable, { metrics, caption: 'Polling' });

    expect(valueOf(label)).toBe(expected);
  });

  it('metrics table: latency with no delivered message shows a dash, not NaN', () => {
    const silent: MetricsSummary = {
      ...structuredClone(metrics),
      messagesDelivered: 0,
      latencyMs: { mean: NaN, p50: NaN, p95: NaN, max: NaN },
    };
    render(MetricsTable, { metrics: silent, caption: 'Idle channel' });

    expect(valueOf('Mean latency')).toBe('—');
    expect(screen.queryByText(/NaN/)).not.toBeInTheDocument();
  });

  it('metrics table: small byte counts stay in bytes', () => {
    render(MetricsTable, { metrics: { ...metrics, bytes: { total: 850 } }, caption: 'Polling' });

    expect(valueOf('Bytes on the wire')).toBe('850 B');
  });
});
