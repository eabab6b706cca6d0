/**
 * One time-binning of a run's trace, for every view that draws the run over time: the metrics
 * panel's charts, the sequence diagram's summary band and the transport's scrubber strip. Each
 * reads the series it needs; all of them count an event the same way as the metrics do (a
 * wasted round trip is `isWastedRoundTrip`, a hold ends at `endsHold`).
 */
import type { Run } from './simulate';
import { endsHold, EventKind, isOkStatus } from './trace';

/** An empty success that reached its client: the round trip a poll wastes. */
export const isWastedRoundTrip = (kind: number, status: number, messages: number): boolean =>
  kind === EventKind.responseArrived && isOkStatus(status) && messages === 0;

/** A run's trace in bins of `binMs`, the first starting at 0 ms. */
export interface TraceBins {
  binMs: number;
  /** The end of the time axis the bins cover. */
  endMs: number;
  /** Every event in each bin. */
  events: Float64Array;
  /** Requests sent in each bin. */
  requests: Float64Array;
  /** Wasted round trips (`isWastedRoundTrip`) in each bin. */
  wasted: Float64Array;
  /** The most requests held at the server at once during each bin. */
  heldPeak: Float64Array;
  /** Requests held at the server at the end of each bin. */
  heldEnd: Float64Array;
  /** Requests sent and not yet answered, nor lost, at the end of each bin. */
  openEnd: Float64Array;
  /** Index of the first event of each bin, and the requests held just before it. */
  binStart: Int32Array;
  heldAtStart: Int32Array;
  /** +1 where an event starts a hold, −1 where it ends one, per event. */
  heldDelta: Int8Array;
}

/**
 * Bins a run's trace in one pass over its events. By default the bins cover [0, endMs] (the
 * last one holds endMs); an event past the last bin counts in it.
 */
export function binTrace(
  run: Run,
  binMs: number,
  endMs = run.endMs,
  bins = Math.floor(endMs / binMs) + 1,
): TraceBins {
  const { trace } = run;
  const { time, kind, request, status, b } = trace;
  const series = () => new Float64Array(bins);
  const s: TraceBins = {
    binMs,
    endMs,
    events: series(),
    requests: series(),
    wasted: series(),
    heldPeak: series(),
    heldEnd: series(),
    openEnd: series(),
    binStart: new Int32Array(bins),
    heldAtStart: new Int32Array(bins),
    heldDelta: new Int8Array(trace.length),
  };
  // Whether each request (by id) is held now, and how many are.
  const isHeld = new Uint8Array(run.requestClient.length);
  let held = 0;
  let open = 0;
  let bin = -1;
  const closeBinsTo = (k: number, next: number) => {
    while (bin < k) {
      if (bin >= 0) {
        s.heldEnd[bin] = held;
        s.openEnd[bin] = open;
      }
      bin++;
      s.binStart[bin] = next;
      s.heldAtStart[bin] = held;
      s.heldPeak[bin] = held;
    }
  };
  for (let i = 0; i < trace.length; i++) {
    const k = Math.min(bins - 1, Math.floor(time[i] / binMs));
    closeBinsTo(k, i);
    s.events[k]++;
    const r = request[i];
    switch (kind[i] as EventKind) {
      case EventKind.requestSent:
        s.requests[k]++;
        open++;
        break;
      case EventKind.requestHeld:
        if (isHeld[r]) break;
        isHeld[r] = 1;
        held++;
        s.heldDelta[i] = 1;
        if (held > s.heldPeak[k]) s.heldPeak[k] = held;
        break;
      case EventKind.responseArrived:
        if (isWastedRoundTrip(kind[i], status[i], b[i])) s.wasted[k]++;
        open--;
        break;
      case EventKind.requestLost:
      case EventKind.lateResponse:
      case EventKind.responseLost:
        open--;
        break;
      default:
        if (!endsHold(kind[i]) || !isHeld[r]) break;
        isHeld[r] = 0;
        held--;
        s.heldDelta[i] = -1;
    }
  }
  closeBinsTo(bins - 1, trace.length);
  s.heldEnd[bins - 1] = held;
  s.openEnd[bins - 1] = open;
  return s;
}

/** Requests held at the server after the first `count` events. */
export function heldAfter(run: Run, s: TraceBins, count: number): number {
  if (count <= 0) return 0;
  const k = Math.min(s.binStart.length - 1, Math.floor(run.trace.time[count - 1] / s.binMs));
  let held = s.heldAtStart[k];
  for (let i = s.binStart[k]; i < count; i++) held += s.heldDelta[i];
  return held;
}

/**
 * Counts per bin as a rate a second over a trailing window (by default one bin): a window of a
 * second over 100 ms bins gives a rate that does not flicker with the bins.
 */
export function perSecondOver(counts: Float64Array, binMs: number, windowMs = binMs): Float64Array {
  const window = Math.max(1, Math.round(windowMs / binMs));
  const out = new Float64Array(counts.length);
  let sum = 0;
  for (let k = 0; k < counts.length; k++) {
    sum += counts[k];
    if (k >= window) sum -= counts[k - window];
    out[k] = (sum * 1000) / (window * binMs);
  }
  return out;
}

const BIN_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
/** Enough bins to show the shape of a run in a small chart; more would be thinner than a pixel. */
const MAX_CHART_BINS = 300;

/** 1 s bins, or the smallest round size that keeps a long run under 300 bins. */
export function chooseBinMs(endMs: number): number {
  for (const s of BIN_STEPS_S) if (endMs / (s * 1000) <= MAX_CHART_BINS) return s * 1000;
  return Math.ceil(endMs / MAX_CHART_BINS / 3_600_000) * 3_600_000;
}
