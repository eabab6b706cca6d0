/**
 * The arrows pass: requests, responses and the frames on streams, gathered by stroke style and stroked a few dozen to a
 * path, then their heads, then the crosses of arrows lost in the network.
 */
import { FrameKind } from '../../sim/trace';
import {
  LOST_FRACTION,
  MarkFlag,
  MarkKind,
  opensStream,
  responseLook,
  type SequenceLayout,
} from '../sequenceLayout';
import { cross, haloStroke } from './glyphs';
import type { Scene } from './scene';
import { lostPoint, shapeOf, type Shape } from './shapes';
import { ARROW_STYLES, MARK_STROKES as W, STROKES, type ArrowStyle } from './strokes';

/** Lines stroked per path: one path per line is slow, one path for thousands slower still. */
const LINES_PER_PATH = 32;
const STYLE_INDEX = Object.fromEntries(ARROW_STYLES.map((style, k) => [style, k])) as Record<
  ArrowStyle,
  number
>;

/** How an arrow mark is stroked. */
function arrowStyle(layout: SequenceLayout, m: number): ArrowStyle {
  switch (layout.kind[m]) {
    case MarkKind.request:
      return opensStream(layout, m) ? 'open' : 'request';
    case MarkKind.response:
      return responseLook(layout, m);
    default:
      return layout.status[m] === FrameKind.open
        ? 'open'
        : layout.status[m] === FrameKind.message
          ? 'frame'
          : 'heartbeat';
  }
}

/** Growable scratch list of numbers, reused from frame to frame. */
class Scratch {
  data = new Float32Array(4096);
  n = 0;
  push4(a: number, b: number, c: number, d: number): void {
    if (this.n + 4 > this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = a;
    this.data[this.n++] = b;
    this.data[this.n++] = c;
    this.data[this.n++] = d;
  }
}

export class ArrowPass {
  private segments = ARROW_STYLES.map(() => new Scratch());
  /** Per style: tip x, tip y, direction x, direction y. */
  private heads = ARROW_STYLES.map(() => new Scratch());
  private crosses = new Scratch();

  draw(ctx: CanvasRenderingContext2D, scene: Scene, s: Shape): void {
    const { layout, visible, palette: p } = scene;
    for (const b of this.segments) b.n = 0;
    for (const b of this.heads) b.n = 0;
    this.crosses.n = 0;
    for (let j = 0; j < visible.length; j++) {
      const m = visible[j];
      const kind = layout.kind[m];
      if (kind !== MarkKind.request && kind !== MarkKind.response && kind !== MarkKind.frame) {
        continue;
      }
      if (!shapeOf(scene, m, s) || s.fraction <= 0) continue;
      const style = arrowStyle(layout, m);
      const k = STYLE_INDEX[style];
      this.segments[k].push4(s.x0, s.y0, s.xt, s.yt);
      const lost = (layout.flags[m] & MarkFlag.lost) !== 0;
      if (lost && s.fraction >= LOST_FRACTION) {
        const [cx, cy] = lostPoint(s);
        this.crosses.push4(cx, cy, 0, 0);
      } else {
        const dx = s.x1 - s.x0;
        const dy = s.y1 - s.y0;
        const len = Math.hypot(dx, dy) || 1;
        this.heads[k].push4(s.xt, s.yt, dx / len, dy / len);
      }
    }
    ARROW_STYLES.forEach((style, k) => {
      const seg = this.segments[k];
      if (seg.n === 0) return;
      const st = STROKES[style];
      ctx.strokeStyle = p[style];
      ctx.lineWidth = st.width;
      ctx.setLineDash(st.dash);
      const d = seg.data;
      for (let from = 0; from < seg.n; from += 4 * LINES_PER_PATH) {
        ctx.beginPath();
        for (let i = from; i < Math.min(seg.n, from + 4 * LINES_PER_PATH); i += 4) {
          // Stop the line at the base of the head, so a dashed line doesn't poke through it.
          const dx = d[i + 2] - d[i];
          const dy = d[i + 3] - d[i + 1];
          const len = Math.hypot(dx, dy);
          const cut = len > st.head ? (len - st.head * 0.6) / len : 0;
          ctx.moveTo(d[i], d[i + 1]);
          ctx.lineTo(d[i] + dx * cut, d[i + 1] + dy * cut);
        }
        ctx.stroke();
      }
      ctx.setLineDash([]);
      const heads = this.heads[k];
      if (heads.n === 0) return;
      const h = heads.data;
      ctx.beginPath();
      for (let i = 0; i < heads.n; i += 4) {
        const [tx, ty, ux, uy] = [h[i], h[i + 1], h[i + 2], h[i + 3]];
        const bx = tx - ux * st.head;
        const by = ty - uy * st.head;
        const w = st.head * 0.5;
        ctx.moveTo(tx, ty);
        ctx.lineTo(bx - uy * w, by + ux * w);
        ctx.lineTo(bx + uy * w, by - ux * w);
        // A fill closes each triangle by itself (and closePath makes software filling slower).
        if (st.hollow) ctx.closePath();
      }
      if (st.hollow) {
        ctx.fillStyle = p.background;
        ctx.fill();
        ctx.lineWidth = W.hollowHead.width;
        ctx.stroke();
      } else {
        ctx.fillStyle = p[style];
        ctx.fill();
      }
    });
    if (this.crosses.n > 0) {
      const c = this.crosses.data;
      ctx.beginPath();
      for (let i = 0; i < this.crosses.n; i += 4) cross(ctx, c[i], c[i + 1], 7);
      haloStroke(ctx, p.background, W.lost.halo, p.lost, W.lost.width);
    }
  }
}
