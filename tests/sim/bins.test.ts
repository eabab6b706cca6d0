import { describe, expect, it } from 'vitest';
import {
  binTrace,
  chooseBinMs,
  computeMetrics,
  EventKind,
  heldAfter,
  scenario,
  simulate,
  type Run,
} from '../../src/sim';
import { clientActivity } from '../../src/views/sequenceLayout';

/** Long polls behind a proxy that cuts some, with client timeouts: every kind of ending. */
const busy = simulate(
  scenario({
    mode: 'long-polling',
    clients: 20,
    clientStartSpreadMs: 2000,
    durationMs: 40_000,
    longPollTimeoutMs: 5000,
    messages: { everyMs: 3000 },
    proxy: { idleTimeoutMs: 4000 },
    network: { latencyMs: 80, jitterMs: 60, lossRate: 0.05 },
  }),
);

const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);

/** Requests held at the server after the first `count` events, counted the slow way. */
function heldSlowly(run: Run, count: number): number {
  const held = new Set<number>();
  for (let i = 0; i < count; i++) {
    const kind = run.trace.kind[i];
    if (kind === EventKind.requestHeld) held.add(run.trace.request[i]);
    const ends = [EventKind.responseSent, EventKind.proxyCut, EventKind.requestAborted] as number[];
    if (ends.includes(kind)) {
      held.delete(run.trace.request[i]);
    }
  }
  return held.size;
}

describe('one binning of the trace for the charts, the summary band and the scrubber', () => {
  it.each([
    { binMs: 100, what: 'the summary band (100 ms)' },
    { binMs: chooseBinMs(busy.endMs), what: 'the charts (1 s)' },
    { binMs: busy.endMs / 120, what: 'the scrubber strip (120 bins)', bins: 120 },
  ])('$what: its bins add up to the metrics of the whole run', ({ binMs, bins }) => {
    const m = computeMetrics(busy);
    const b = binTrace(busy, binMs, busy.endMs, bins);

    expect(sum(b.events)).toBe(busy.trace.length);
    expect(sum(b.requests)).toBe(m.requests);
    expect(sum(b.wasted)).toBe(m.emptyResponses);
    expect(Math.max(...b.heldPeak)).toBe(m.server.peakHeldRequests);
    expect(b.heldEnd[b.heldEnd.length - 1]).toBe(heldAfter(busy, b, busy.trace.length));
  });

  it('the summary band counts the wasted round trips the metrics count, a second at a time', () => {
    const a = clientActivity(busy);
    const m = computeMetrics(busy);
    // A trailing one-second window over 100 ms bins: each arrival counts in ten bins, a tenth each.
    expect(sum(a.wastedPerS) / 10).toBeCloseTo(m.emptyResponses, 6);
    expect(a.max.held).toBe(m.server.peakHeldRequests);
  });

  it('requests still open at the end of the run: sent, minus answered, late or lost', () => {
    const b = binTrace(busy, 1000);
    const k = busy.trace.kind.subarray(0, busy.trace.length);
    const n = (kind: number) => k.filter((x) => x === kind).length;
    const ended =
      n(EventKind.responseArrived) +
      n(EventKind.lateResponse) +
      n(EventKind.requestLost) +
      n(EventKind.responseLost);
    expect(b.openEnd[b.openEnd.length - 1]).toBe(n(EventKind.requestSent) - ended);
  });

  it('the held count is exact after every event (1 s bins)', () => {
    const series = binTrace(busy, chooseBinMs(busy.endMs));
    let peak = 0;
    for (let count = 0; count <= busy.trace.length; count++) {
      const slow = heldSlowly(busy, count);
      peak = Math.max(peak, slow);
      expect(heldAfter(busy, series, count)).toBe(slow);
    }
    expect(peak).toBeGreaterThan(5);
    expect(Math.max(...series.heldPeak)).toBe(peak);
  });

  it.each([
    { endMs: 0, expected: 1000 },
    { endMs: 59_446, expected: 1000 },
    { endMs: 300_000, expected: 1000 },
    { endMs: 300_001, expected: 2000 },
    { endMs: 3_600_000, expected: 15_000 },
    { endMs: 86_400_000, expected: 300_000 },
  ])('the charts bin a run of $endMs ms by $expected ms', ({ endMs, expected }) => {
    expect(chooseBinMs(endMs)).toBe(expected);
  });
});
