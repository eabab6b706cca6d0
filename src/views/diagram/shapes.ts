/**
 * The geometry of one mark at one playhead time, shared by the canvas drawing, the pointer's
 * hit-testing and the accessible overlay so that all three agree. An arrow's tip follows the
 * playhead: it is at `(now - sendTime) / (recvTime - sendTime)` of its way.
 */
import {
  drawnFraction,
  LOST_FRACTION,
  MarkFlag,
  MarkKind,
  streamTimes,
  type SequenceLayout,
  type StreamTimes,
} from '../sequenceLayout';
import { xOf, type Lanes, type TimeView } from './lanes';

export interface ShapeContext {
  layout: SequenceLayout;
  lanes: Lanes;
  view: TimeView;
  nowMs: number;
}

export type ShapeType = 'arrow' | 'span' | 'point' | 'rule' | 'band';

/** A mutable shape, reused from mark to mark so that a frame allocates nothing. */
export interface Shape {
  type: ShapeType;
  /**
   * Arrow: from (x0, y0) towards (x1, y1), drawn up to (xt, yt). Span: the rectangle. Point:
   * (x0, y0). Band: a quadrilateral, from xa to xb along the client's side at y0 and from x0 to
   * x1 along the server's at y1.
   */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  xt: number;
  yt: number;
  xa: number;
  xb: number;
  /** Arrow: the fraction drawn (0…1). */
  fraction: number;
}

export const newShape = (): Shape => ({
  type: 'point',
  x0: 0,
  y0: 0,
  x1: 0,
  y1: 0,
  xt: 0,
  yt: 0,
  xa: 0,
  xb: 0,
  fraction: 0,
});

const times: StreamTimes = { serverFromMs: 0, serverToMs: 0, clientFromMs: 0, clientToMs: 0 };

/** Arrows stop this far short of a client's lane line, so the delivered dot sits on the line. */
const CLIENT_GAP = 2;

/**
 * An arrow spans at least this many pixels in x. At 20 s a screen a 50 ms transit is 3 px wide,
 * and the request that leaves as a response arrives would hide under it; so when the times are
 * closer than this, the server end moves away (a request arrives a little later, a response
 * leaves a little earlier) while the client end keeps its true time.
 */
export const MIN_ARROW_SPREAD_PX = 7;

/**
 * Fills `out` with mark `m`'s shape at the playhead; returns false when the mark has nothing to
 * draw (not started yet, or on a lane that isn't shown).
 */
export function shapeOf(ctx: ShapeContext, m: number, out: Shape): boolean {
  const { layout, lanes, view, nowMs } = ctx;
  const t0 = layout.t0[m];
  if (t0 > nowMs) return false;
  const c = layout.client[m];
  const kind = layout.kind[m];
  const x0 = xOf(view, t0);
  switch (kind) {
    case MarkKind.stream: {
      const yClient = lanes.clientY[c];
      const yServer = lanes.holdY[c] - lanes.holdBarH / 2 - 1;
      if (Number.isNaN(yClient) || Number.isNaN(yServer)) return false;
      streamTimes(layout, m, times);
      const xNow = xOf(view, nowMs);
      const xa = xOf(view, times.clientFromMs);
      const xb = xOf(view, times.clientToMs);
      // The edges follow the open and close arrows, which keep MIN_ARROW_SPREAD_PX apart.
      const x0 = Math.min(xOf(view, times.serverFromMs), xa - MIN_ARROW_SPREAD_PX);
      let x1 = xOf(view, times.serverToMs);
      x1 =
        times.serverToMs > times.clientToMs
          ? Math.max(x1, xb + MIN_ARROW_SPREAD_PX)
          : Math.min(x1, xb - MIN_ARROW_SPREAD_PX);
      out.type = 'band';
      out.y0 = yClient + CLIENT_GAP;
      out.y1 = yServer;
      out.x0 = Math.min(x0, xNow);
      out.x1 = Math.max(out.x0, Math.min(x1, xNow));
      out.xa = Math.min(xa, xNow);
      out.xb = Math.max(out.xa, Math.min(xb, xNow));
      return true;
    }
    case MarkKind.request:
    case MarkKind.response:
    case MarkKind.frame: {
      const yClient = lanes.clientY[c];
      const yServer = lanes.holdY[c] - lanes.holdBarH / 2 - 1;
      if (Number.isNaN(yClient) || Number.isNaN(yServer)) return false;
      const fromProxy = (layout.flags[m] & MarkFlag.fromProxy) !== 0;
      out.type = 'arrow';
      out.x0 = x0;
      out.x1 = xOf(view, layout.t1[m]);
      if (kind === MarkKind.request) {
        out.y0 = yClient;
        out.y1 = yServer;
        out.x1 = Math.max(out.x1, out.x0 + MIN_ARROW_SPREAD_PX);
      } else {
        // A response or a frame: from the server (or the proxy that answered) to the client.
        out.y0 = fromProxy && !Number.isNaN(lanes.proxyY) ? lanes.proxyY : yServer;
        out.y1 = yClient + CLIENT_GAP;
        out.x0 = Math.min(out.x0, out.x1 - MIN_ARROW_SPREAD_PX);
      }
      const f = drawnFraction(layout, m, nowMs);
      out.fraction = f;
      out.xt = out.x0 + (out.x1 - out.x0) * f;
      out.yt = out.y0 + (out.y1 - out.y0) * f;
      return true;
    }
    case MarkKind.hold: {
      const y = lanes.holdY[c];
      if (Number.isNaN(y)) return false;
      out.type = 'span';
      out.x0 = x0;
      out.x1 = xOf(view, Math.min(layout.t1[m], nowMs));
      out.y0 = y - lanes.holdBarH / 2;
      out.y1 = y + lanes.holdBarH / 2;
      return true;
    }
    case MarkKind.backoff: {
      const y = lanes.clientY[c];
      if (Number.isNaN(y)) return false;
      out.type = 'span';
      out.x0 = x0;
      out.x1 = xOf(view, Math.min(layout.t1[m], nowMs));
      out.y0 = y - 7;
      out.y1 = y + 7;
      return true;
    }
    case MarkKind.serverDown:
      out.type = 'span';
      out.x0 = x0;
      out.x1 = xOf(view, Math.min(layout.t1[m], nowMs));
      out.y0 = lanes.serverY - 18;
      out.y1 = lanes.serverBottom - lanes.fontPx - 4;
      return true;
    case MarkKind.intervention:
      out.type = 'rule';
      out.x0 = x0;
      out.x1 = x0;
      out.y0 = lanes.interventionY - 4;
      out.y1 = lanes.bottom;
      return true;
    case MarkKind.holdTimeout: {
      const y = lanes.holdY[c];
      if (Number.isNaN(y)) return false;
      out.type = 'point';
      out.x0 = x0;
      out.y0 = y;
      return true;
    }
    case MarkKind.published:
      out.type = 'point';
      out.x0 = x0;
      out.y0 = lanes.serverY;
      return true;
    case MarkKind.proxyCut:
      if (Number.isNaN(lanes.proxyY)) return false;
      out.type = 'point';
      out.x0 = x0;
      out.y0 = lanes.proxyY;
      return true;
    default: {
      // Points on a client's lane: delivered, message lost, client timeout, skipped tick.
      const y = lanes.clientY[c];
      if (Number.isNaN(y)) return false;
      out.type = 'point';
      out.x0 = x0;
      out.y0 = kind === MarkKind.tickSkipped ? y - 9 : y;
      return true;
    }
  }
}

/** Where a lost arrow's ✕ is, once the arrow has got that far. */
export function lostPoint(shape: Shape): [number, number] {
  return [
    shape.x0 + (shape.x1 - shape.x0) * LOST_FRACTION,
    shape.y0 + (shape.y1 - shape.y0) * LOST_FRACTION,
  ];
}

function distanceToSegment(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + u * dx), py - (ay + u * dy));
}

/** Distance in px from a point to what is drawn of a shape. */
export function distanceTo(shape: Shape, px: number, py: number): number {
  switch (shape.type) {
    case 'arrow':
      return distanceToSegment(px, py, shape.x0, shape.y0, shape.xt, shape.yt);
    case 'rule':
      return py >= shape.y0 && py <= shape.y1 ? Math.abs(px - shape.x0) : Infinity;
    case 'span': {
      const dx = Math.max(shape.x0 - px, 0, px - shape.x1);
      const dy = Math.max(shape.y0 - py, 0, py - shape.y1);
      return Math.hypot(dx, dy);
    }
    case 'band': {
      // Between its two sides, the band runs from its left edge to its right edge at that height.
      const u = Math.max(0, Math.min(1, (py - shape.y0) / (shape.y1 - shape.y0 || 1)));
      const left = shape.xa + (shape.x0 - shape.xa) * u;
      const right = shape.xb + (shape.x1 - shape.xb) * u;
      const dx = Math.max(left - px, 0, px - right);
      const dy = Math.max(shape.y0 - py, 0, py - shape.y1);
      return Math.hypot(dx, dy);
    }
    case 'point':
      return Math.hypot(px - shape.x0, py - shape.y0);
  }
}

/** Points and arrows win over the spans and rules they sit on: the smaller thing is meant. */
const PRIORITY_PX: Record<ShapeType, number> = { point: 0, arrow: 1, span: 4, rule: 5, band: 7 };

/** The mark nearest to (px, py) within `radiusPx`, or -1. */
export function hitTest(
  ctx: ShapeContext,
  visible: ArrayLike<number>,
  px: number,
  py: number,
  radiusPx: number,
): number {
  const shape = newShape();
  let best = -1;
  let bestScore = Infinity;
  for (let j = 0; j < visible.length; j++) {
    const m = visible[j];
    if (!shapeOf(ctx, m, shape)) continue;
    const d = distanceTo(shape, px, py);
    if (d > radiusPx) continue;
    const score = d + PRIORITY_PX[shape.type];
    if (score < bestScore) {
      bestScore = score;
      best = m;
    }
  }
  return best;
}

/** A box around what is drawn of a mark, at least `minPx` each way (a touch target). */
export function boxOf(shape: Shape, minPx: number): { x: number; y: number; w: number; h: number } {
  let x0: number, x1: number, y0: number, y1: number;
  if (shape.type === 'arrow') {
    x0 = Math.min(shape.x0, shape.xt);
    x1 = Math.max(shape.x0, shape.xt);
    y0 = Math.min(shape.y0, shape.yt);
    y1 = Math.max(shape.y0, shape.yt);
  } else if (shape.type === 'point') {
    x0 = x1 = shape.x0;
    y0 = y1 = shape.y0;
  } else if (shape.type === 'band') {
    x0 = Math.min(shape.x0, shape.xa);
    x1 = Math.max(shape.x1, shape.xb);
    y0 = shape.y0;
    y1 = shape.y1;
  } else {
    x0 = shape.x0;
    x1 = shape.type === 'rule' ? shape.x0 : shape.x1;
    y0 = shape.y0;
    y1 = shape.y1;
  }
  const w = Math.max(minPx, x1 - x0);
  const h = Math.max(minPx, y1 - y0);
  return { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w, h };
}
