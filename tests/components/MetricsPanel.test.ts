import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import {
  binTrace,
  chooseBinMs,
  defaultScenario,
  EventKind,
  simulate,
  type Run,
} from '../../src/sim';
import MetricsPanel from '../../src/views/MetricsPanel.svelte';
import { cappedLongPolls, rateLimitedPolls, run } from '../sim/helpers';

/** The run binned as the panel's charts bin it. */
const chartBins = (run: Run) => binTrace(run, chooseBinMs(run.endMs));

const polling = simulate({ ...defaultScenario, mode: 'polling' });
const longPolling = simulate({ ...defaultScenario, mode: 'long-polling' });

/** The value and the detail shown under a metric's name, as a reader pairs them. */
function tile(label: string): { value: string; detail: string } {
  const term = screen.getByText(label, { selector: 'dt' });
  const definition = term.nextElementSibling;
  if (!definition) throw new Error(`"${label}" has no value next to it`);
  return {
    value: definition.querySelector('.value')?.textContent ?? '',
    detail: definition.querySelector('.detail')?.textContent ?? '',
  };
}

describe('MetricsPanel', () => {
  it('metrics panel: default polling scenario at its end shows 30 requests, 24 of them wasted', () => {
    render(MetricsPanel, { run: polling, atMs: polling.endMs });

    expect(tile('Requests')).toEqual({ value: '30', detail: '30 answered' });
    expect(tile('Wasted round trips')).toEqual({ value: '24', detail: '80 % of responses' });
    expect(tile('Messages delivered')).toEqual({ value: '6', detail: '0 lost · 1 on the way' });
    expect(tile('Mean latency')).toEqual({ value: '1.21 s', detail: 'p95 1.73 s · max 1.73 s' });
    expect(tile('Bytes').value).toBe('30.6 kB');
  });

  it('metrics panel: refusals show under Requests once there are some (rate limit 60/min, burst 1)', async () => {
    const limited = run(rateLimitedPolls);
    const { rerender } = render(MetricsPanel, { run: limited, atMs: 500 });
    expect(tile('Requests')).toEqual({ value: '2', detail: '1 answered' });

    await rerender({ run: limited, atMs: 1900 });

    expect(tile('Requests')).toEqual({ value: '4', detail: '4 answered · 2 rate limited (429)' });
    // A 429 is no wasted round trip: only the empty answers at 0.1 and 1.1 s count.
    expect(tile('Wasted round trips')).toEqual({ value: '2', detail: '50 % of responses' });
    // Nor in the chart: three empty answers in the whole run, three 429s left out.
    expect(chartBins(limited).wasted.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('metrics panel: long polls refused for want of room show as over capacity (cap 1, 3 clients)', () => {
    const capped = run(cappedLongPolls(3));
    render(MetricsPanel, { run: capped, atMs: 100 });

    expect(tile('Requests')).toEqual({ value: '3', detail: '2 answered · 2 over capacity (503)' });
    expect(tile('Wasted round trips').value).toBe('0');
  });

  it('metrics panel: at mid-run the numbers are those of the first half only', async () => {
    const { rerender } = render(MetricsPanel, { run: polling, atMs: polling.endMs });

    await rerender({ run: polling, atMs: 30_000 });

    expect(tile('Requests').value).toBe('16');
    expect(tile('Wasted round trips').value).toBe('11');
  });

  it('metrics panel: before anything is delivered, latency is a dash, not 0', () => {
    render(MetricsPanel, { run: polling, atMs: 0 });

    expect(tile('Requests').value).toBe('1');
    expect(tile('Wasted round trips')).toEqual({ value: '0', detail: 'no responses yet' });
    expect(tile('Mean latency')).toEqual({ value: '—', detail: 'nothing delivered yet' });
  });

  it('metrics panel: long polling shows the request held now and the peak', () => {
    const heldAt =
      polling.trace.length &&
      longPolling.trace.time[Array.from(longPolling.trace.kind).indexOf(EventKind.requestHeld)];
    render(MetricsPanel, { run: longPolling, atMs: heldAt + 1 });

    expect(tile('Held requests now')).toEqual({ value: '1', detail: 'peak 1' });
  });

  it('metrics panel: each chart has a text alternative summarising it', () => {
    render(MetricsPanel, { run: polling, atMs: 10_000 });

    expect(
      screen.getByRole('img', {
        name: 'Requests per second over 59.45 s: 30 requests in all, at most 1 a second.',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Wasted round trips per second .*: 24 in all/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Requests held at the server .*: at most 0 at once\.$/ }),
    ).toBeInTheDocument();
  });

  it('metrics panel: the playhead line moves with the playhead', async () => {
    const { container, rerender } = render(MetricsPanel, { run: polling, atMs: 0 });
    const x = () => container.querySelector('line.playhead')?.getAttribute('x1');
    expect(x()).toBe('0');

    await rerender({ run: polling, atMs: polling.endMs });

    expect(x()).toBe('300');
  });
});
