/**
 * Draws one frame of the sequence diagram on a canvas: everything in view up to the playhead,
 * in one pass per layer, with the arrows of one style stroked a few dozen to a path.
 *
 * The past doesn't change, so the marks are drawn into tiles 128 px wide, each cached once the
 * playhead has left it far enough behind that nothing in it can still change; a frame copies the
 * cached tiles and draws only the last stretch before the playhead. Halos and labels, which
 * depend on the hover, the highlight and on each other, are drawn over them in every frame.
 * Software rendering strokes about 2,000 arrows in 10–30 ms (dashed lines cost the most), so
 * this is what keeps a dense view at 60 frames a second.
 */
import { EventKind, type Run } from '../../sim';
import {
  LOST_FRACTION,
  MarkFlag,
  MarkKind,
  responseLabel,
  responseLook,
  queryWindow,
  type ClientActivity,
  type SequenceLayout,
} from '../sequenceLayout';
import { duration, interventionLabel } from './describe';
import { endMsOf, xOf, type Lanes, type TimeView } from './lanes';
import type { Palette } from './palette';
import { lostPoint, newShape, shapeOf, type Shape, type ShapeContext } from './shapes';

export interface Scene extends ShapeContext {
  run: Run;
  layout: SequenceLayout;
  lanes: Lanes;
  view: TimeView;
  nowMs: number;
  /** Marks overlapping the view and started by the playhead. */
  visible: ArrayLike<number>;
  /** Marks to emphasise (a lesson's highlight), by mark index; null for none. */
  emphasis: Uint8Array | null;
  /** The hovered or focused mark, or -1. */
  hover: number;
  palette: Palette;
  activity: ClientActivity | null;
  /** Times of the axis ticks, for light vertical grid lines. */
  ticks: readonly number[];
  /** Device pixels per CSS pixel. */
  dpr: number;
}

/** Width of a cached tile, in CSS pixels. */
const TILE_PX = 128;
/**
 * A tile is final once the playhead is this far right of it: no glyph, arrowhead or arrow
 * spread (MIN_ARROW_SPREAD_PX) of a mark that is still changing reaches back further.
 */
const FINAL_MARGIN_PX = 32;
/** Tiles drawn at most in one frame; the rest of the view is drawn directly meanwhile. */
const TILES_PER_FRAME = 2;
/** Lines stroked per path: one path per line is slow, one path for thousands slower still. */
const LINES_PER_PATH = 32;

interface Tile {
  canvas: OffscreenCanvas | HTMLCanvasElement;
}

/** What a cached tile depends on besides the playhead; any change empties the cache. */
interface TileKey {
  layout: SequenceLayout;
  lanes: Lanes;
  palette: Palette;
  pxPerMs: number;
  dpr: number;
}

type ArrowStyle = 'request' | 'messages' | 'empty' | 'error';
const ARROW_STYLES: ArrowStyle[] = ['request', 'empty', 'error', 'messages'];
const STYLE_INDEX: Record<ArrowStyle, number> = { request: 0, empty: 1, error: 2, messages: 3 };

interface StrokeStyle {
  width: number;
  dash: number[];
  head: number;
  hollow: boolean;
}

const STROKES: Record<ArrowStyle, StrokeStyle> = {
  request: { width: 2, dash: [], head: 10, hollow: false },
  messages: { width: 4.5, dash: [], head: 13, hollow: false },
  empty: { width: 2.5, dash: [8, 5], head: 12, hollow: true },
  error: { width: 2.5, dash: [10, 4, 2, 4], head: 11, hollow: false },
};

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

export class Renderer {
  private segments = ARROW_STYLES.map(() => new Scratch());
  /** Per style: tip x, tip y, direction x, direction y. */
  private heads = ARROW_STYLES.map(() => new Scratch());
  private crosses = new Scratch();
  private shape: Shape = newShape();
  private tiles = new Map<number, Tile>();
  private tileKey: TileKey | null = null;
  private lastPxPerMs = NaN;
  private pool: (OffscreenCanvas | HTMLCanvasElement)[] = [];
  /** Tiles drawn since the renderer was made (for tests and the bench). */
  tilesRendered = 0;

  draw(ctx: CanvasRenderingContext2D, scene: Scene): void {
    const { lanes, palette: p, view, nowMs } = scene;
    ctx.clearRect(0, 0, lanes.width, lanes.height);
    const xNow = xOf(view, nowMs);
    const font = `${lanes.fontPx}px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`;
    const boldFont = `600 ${font}`;

    ctx.save();
    ctx.beginPath();
    ctx.rect(view.plotLeft, 0, view.plotRight - view.plotLeft, lanes.height);
    ctx.clip();

    // The future is hidden: tint it so that its emptiness reads as "not yet".
    if (xNow < view.plotRight) {
      ctx.fillStyle = p.future;
      ctx.fillRect(Math.max(view.plotLeft, xNow), lanes.top - 6, view.plotRight, lanes.height);
    }

    ctx.lineWidth = 1;
    ctx.strokeStyle = p.grid;
    ctx.beginPath();
    for (const t of scene.ticks) {
      const x = Math.round(xOf(view, t)) + 0.5;
      ctx.moveTo(x, lanes.top - 6);
      ctx.lineTo(x, lanes.bottom);
    }
    ctx.stroke();

    this.drawLaneLines(ctx, scene);
    this.drawActivity(ctx, scene, font);
    this.drawMarksCached(ctx, scene);
    this.drawHalos(ctx, scene);
    this.drawLabels(ctx, scene, font, boldFont, xNow);
    ctx.restore();
  }

  /** Spans, arrows and points of `scene.visible`, in the scene's view. */
  private drawMarks(
    ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
    scene: Scene,
  ): void {
    const c = ctx as CanvasRenderingContext2D;
    this.drawSpans(c, scene);
    this.drawArrows(c, scene);
    this.drawPoints(c, scene);
  }

  /** The marks from cached tiles where the past is final, and drawn afresh near the playhead. */
  private drawMarksCached(ctx: CanvasRenderingContext2D, scene: Scene): void {
    const { view, layout, lanes, palette, dpr, nowMs } = scene;
    const k = this.tileKey;
    if (
      !k ||
      k.layout !== layout ||
      k.lanes !== lanes ||
      k.palette !== palette ||
      k.pxPerMs !== view.pxPerMs ||
      k.dpr !== dpr
    ) {
      this.release([...this.tiles.keys()]);
      this.tileKey = { layout, lanes, palette, pxPerMs: view.pxPerMs, dpr };
    }
    // While the scale changes from frame to frame (a zoom), tiles would be thrown away at once:
    // draw directly. Once it holds still, build a few tiles a frame, so none stutters.
    const stable = view.pxPerMs === this.lastPxPerMs;
    this.lastPxPerMs = view.pxPerMs;
    let budget = stable ? TILES_PER_FRAME : 0;
    // Tile i covers [i, i + 1) · TILE_PX of "absolute" x, where x = t · pxPerMs.
    const originX = view.plotLeft - view.startMs * view.pxPerMs;
    const first = Math.floor((view.plotLeft - originX) / TILE_PX);
    const last = Math.floor((view.plotRight - originX) / TILE_PX);
    const finalX = nowMs * view.pxPerMs - FINAL_MARGIN_PX;
    /** Runs of tiles [from, to] to draw directly: not final yet, or not cached yet. */
    const runs: [number, number][] = [];
    for (let i = first; i <= last; i++) {
      const final = (i + 1) * TILE_PX <= finalX;
      let tile = final ? this.tiles.get(i) : undefined;
      if (!tile && final && budget > 0) {
        budget--;
        tile = this.renderTile(i, scene) ?? undefined;
        if (tile) this.tiles.set(i, tile);
      }
      if (tile) {
        ctx.drawImage(tile.canvas, originX + i * TILE_PX, 0, TILE_PX, lanes.height);
      } else if (runs.length > 0 && runs[runs.length - 1][1] === i - 1) {
        runs[runs.length - 1][1] = i;
      } else {
        runs.push([i, i]);
      }
    }
    this.release([...this.tiles.keys()].filter((i) => i < first - 2 || i > last + 2));
    for (const [from, to] of runs) {
      const x0 = Math.max(view.plotLeft, originX + from * TILE_PX);
      const x1 = Math.min(view.plotRight, originX + (to + 1) * TILE_PX);
      const fromMs = (from * TILE_PX - FINAL_MARGIN_PX) / view.pxPerMs;
      const toMs = ((to + 1) * TILE_PX + FINAL_MARGIN_PX) / view.pxPerMs;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, 0, x1 - x0, lanes.height);
      ctx.clip();
      this.drawMarks(ctx, {
        ...scene,
        visible: queryWindow(layout, fromMs, Math.min(toMs, endMsOf(view), nowMs)),
      });
      ctx.restore();
    }
  }

  private release(indices: number[]): void {
    for (const i of indices) {
      const tile = this.tiles.get(i);
      this.tiles.delete(i);
      if (tile && this.pool.length < 32) this.pool.push(tile.canvas);
    }
  }

  private renderTile(i: number, scene: Scene): Tile | null {
    const { view, lanes, dpr, layout } = scene;
    const w = Math.ceil(TILE_PX * dpr);
    const h = Math.ceil(lanes.height * dpr);
    // Allocating a bitmap costs more than clearing one: reuse the tiles thrown away.
    let canvas = this.pool.pop();
    while (canvas && (canvas.width !== w || canvas.height !== h)) canvas = this.pool.pop();
    canvas ??=
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(w, h)
        : Object.assign(document.createElement('canvas'), { width: w, height: h });
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | null;
    if (!ctx) return null;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.save();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.beginPath();
    ctx.rect(0, 0, TILE_PX, lanes.height);
    ctx.clip();
    const startMs = (i * TILE_PX) / view.pxPerMs;
    const marginMs = FINAL_MARGIN_PX / view.pxPerMs;
    const tileView: TimeView = { startMs, pxPerMs: view.pxPerMs, plotLeft: 0, plotRight: TILE_PX };
    this.drawMarks(ctx, {
      ...scene,
      view: tileView,
      visible: queryWindow(
        layout,
        startMs - marginMs,
        startMs + (TILE_PX + FINAL_MARGIN_PX) / view.pxPerMs,
      ),
    });
    ctx.restore();
    this.tilesRendered++;
    return { canvas };
  }

  private drawLaneLines(ctx: CanvasRenderingContext2D, scene: Scene): void {
    const { lanes, palette: p, view } = scene;
    ctx.strokeStyle = p.lane;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (const name of lanes.names) {
      if (name.kind !== 'client') continue;
      ctx.moveTo(view.plotLeft, name.y);
      ctx.lineTo(view.plotRight, name.y);
    }
    ctx.stroke();
    if (!Number.isNaN(lanes.proxyY)) {
      ctx.setLineDash([6, 6]);
      ctx.beginPath();
      ctx.moveTo(view.plotLeft, lanes.proxyY);
      ctx.lineTo(view.plotRight, lanes.proxyY);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(view.plotLeft, lanes.serverY);
    ctx.lineTo(view.plotRight, lanes.serverY);
    ctx.stroke();
  }

  /** The summary band: open requests, held requests and empty responses per second. */
  private drawActivity(ctx: CanvasRenderingContext2D, scene: Scene, font: string): void {
    const { activity, lanes, view, nowMs, palette: p } = scene;
    if (!activity || lanes.summaryRows.length === 0) return;
    const from = Math.max(0, view.startMs);
    const to = Math.min(endMsOf(view), nowMs);
    const colors = { open: p.request, held: p.hold, wastedPerS: p.empty };
    ctx.font = font;
    for (const row of lanes.summaryRows) {
      const series = activity[row.key];
      const max = Math.max(1, activity.max[row.key]);
      const base = row.top + row.height;
      ctx.strokeStyle = p.grid;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(view.plotLeft, base + 0.5);
      ctx.lineTo(view.plotRight, base + 0.5);
      ctx.stroke();
      if (to > from) {
        const x0 = Math.floor(xOf(view, from));
        const x1 = Math.ceil(xOf(view, to));
        const step = 2;
        ctx.beginPath();
        ctx.moveTo(x0, base);
        for (let x = x0; x <= x1; x += step) {
          const ta = Math.max(from, view.startMs + (x - view.plotLeft) / view.pxPerMs);
          const tb = Math.min(to, ta + step / view.pxPerMs);
          let v = 0;
          const kb = Math.min(series.length - 1, Math.floor(tb / activity.binMs));
          for (let k = Math.floor(ta / activity.binMs); k <= kb; k++) v = Math.max(v, series[k]);
          ctx.lineTo(x, base - (v / max) * (row.height - 4));
        }
        ctx.lineTo(x1, base);
        ctx.closePath();
        ctx.globalAlpha = 0.35;
        ctx.fillStyle = colors[row.key];
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colors[row.key];
        ctx.lineWidth = 2;
        ctx.stroke();
      }
      const k = Math.max(0, Math.min(series.length - 1, Math.floor(nowMs / activity.binMs)));
      const value = series[k];
      const text = `${row.label}: ${row.key === 'wastedPerS' ? value.toFixed(1) : value}`;
      ctx.fillStyle = p.foreground;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      backedText(ctx, text, view.plotLeft + 4, row.top + 1, p.background);
      ctx.textBaseline = 'alphabetic';
    }
  }

  private drawSpans(ctx: CanvasRenderingContext2D, scene: Scene): void {
    const { layout, visible, palette: p, lanes } = scene;
    const s = this.shape;
    for (let j = 0; j < visible.length; j++) {
      const m = visible[j];
      const kind = layout.kind[m];
      if (kind !== MarkKind.serverDown && kind !== MarkKind.hold && kind !== MarkKind.backoff) {
        continue;
      }
      if (!shapeOf(scene, m, s)) continue;
      const w = Math.max(1, s.x1 - s.x0);
      if (kind === MarkKind.serverDown) {
        hatch(ctx, s.x0, s.y0, w, s.y1 - s.y0, p.down, 10, xOf(scene.view, 0));
        ctx.strokeStyle = p.down;
        ctx.lineWidth = 1.5;
        ctx.strokeRect(s.x0, s.y0, w, s.y1 - s.y0);
      } else if (kind === MarkKind.hold) {
        ctx.fillStyle = p.hold;
        ctx.fillRect(s.x0, s.y0, w, s.y1 - s.y0);
        ctx.strokeStyle = p.holdEdge;
        ctx.lineWidth = lanes.holdBarH > 6 ? 1.5 : 1;
        ctx.strokeRect(s.x0, s.y0, w, s.y1 - s.y0);
      } else {
        hatch(ctx, s.x0, s.y0, w, s.y1 - s.y0, p.backoff, 6, xOf(scene.view, 0));
        // A bracket above the wait: |‾‾‾‾|
        ctx.strokeStyle = p.backoff;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(s.x0, s.y0 + 4);
        ctx.lineTo(s.x0, s.y0 - 3);
        ctx.lineTo(s.x0 + w, s.y0 - 3);
        ctx.lineTo(s.x0 + w, s.y0 + 4);
        ctx.stroke();
      }
    }
  }

  /** Wide translucent strokes under the highlighted and hovered marks. */
  private drawHalos(ctx: CanvasRenderingContext2D, scene: Scene): void {
    const { visible, emphasis, hover, palette: p } = scene;
    if (!emphasis && hover < 0) return;
    const s = this.shape;
    ctx.lineCap = 'round';
    for (let j = 0; j < visible.length; j++) {
      const m = visible[j];
      const isHover = m === hover;
      if (!isHover && !(emphasis && emphasis[m])) continue;
      if (!shapeOf(scene, m, s)) continue;
      ctx.strokeStyle = isHover ? p.hover : p.highlight;
      ctx.fillStyle = ctx.strokeStyle;
      ctx.lineWidth = isHover ? 12 : 14;
      ctx.beginPath();
      if (s.type === 'arrow') {
        ctx.moveTo(s.x0, s.y0);
        ctx.lineTo(s.xt, s.yt);
        ctx.stroke();
      } else if (s.type === 'point') {
        ctx.arc(s.x0, s.y0, 13, 0, Math.PI * 2);
        ctx.fill();
      } else if (s.type === 'rule') {
        ctx.moveTo(s.x0, s.y0);
        ctx.lineTo(s.x0, s.y1);
        ctx.stroke();
      } else {
        ctx.fillRect(s.x0 - 5, s.y0 - 5, Math.max(1, s.x1 - s.x0) + 10, s.y1 - s.y0 + 10);
      }
    }
    ctx.lineCap = 'butt';
  }

  private drawArrows(ctx: CanvasRenderingContext2D, scene: Scene): void {
    const { layout, visible, palette: p } = scene;
    const s = this.shape;
    for (const b of this.segments) b.n = 0;
    for (const b of this.heads) b.n = 0;
    this.crosses.n = 0;
    for (let j = 0; j < visible.length; j++) {
      const m = visible[j];
      const kind = layout.kind[m];
      if (kind !== MarkKind.request && kind !== MarkKind.response) continue;
      if (!shapeOf(scene, m, s) || s.fraction <= 0) continue;
      const style: ArrowStyle = kind === MarkKind.request ? 'request' : responseLook(layout, m);
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
    const color: Record<ArrowStyle, string> = {
      request: p.request,
      messages: p.messages,
      empty: p.empty,
      error: p.error,
    };
    ARROW_STYLES.forEach((style, k) => {
      const seg = this.segments[k];
      if (seg.n === 0) return;
      const st = STROKES[style];
      ctx.strokeStyle = color[style];
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
        ctx.lineWidth = 2;
        ctx.stroke();
      } else {
        ctx.fillStyle = color[style];
        ctx.fill();
      }
    });
    if (this.crosses.n > 0) {
      const c = this.crosses.data;
      ctx.beginPath();
      for (let i = 0; i < this.crosses.n; i += 4) cross(ctx, c[i], c[i + 1], 7);
      ctx.strokeStyle = p.background;
      ctx.lineWidth = 6;
      ctx.stroke();
      ctx.strokeStyle = p.lost;
      ctx.lineWidth = 3;
      ctx.stroke();
    }
  }

  private drawPoints(ctx: CanvasRenderingContext2D, scene: Scene): void {
    const { layout, visible, palette: p, lanes } = scene;
    const s = this.shape;
    for (let j = 0; j < visible.length; j++) {
      const m = visible[j];
      const kind = layout.kind[m];
      if (!isPoint(kind) || !shapeOf(scene, m, s)) continue;
      const { x0: x, y0: y } = s;
      switch (kind) {
        case MarkKind.published:
          ctx.beginPath();
          ctx.moveTo(x, y - 8);
          ctx.lineTo(x + 8, y);
          ctx.lineTo(x, y + 8);
          ctx.lineTo(x - 8, y);
          ctx.closePath();
          ctx.fillStyle = p.published;
          ctx.fill();
          ctx.strokeStyle = p.publishedEdge;
          ctx.lineWidth = 1.5;
          ctx.stroke();
          break;
        case MarkKind.delivered:
          ctx.beginPath();
          ctx.arc(x, y, 6, 0, Math.PI * 2);
          ctx.fillStyle = p.delivered;
          ctx.fill();
          ctx.strokeStyle = p.background;
          ctx.lineWidth = 2;
          ctx.stroke();
          break;
        case MarkKind.messageLost:
          ctx.beginPath();
          ctx.arc(x, y, 6, 0, Math.PI * 2);
          ctx.moveTo(x - 4.2, y + 4.2);
          ctx.lineTo(x + 4.2, y - 4.2);
          ctx.fillStyle = p.background;
          ctx.fill();
          ctx.strokeStyle = p.empty;
          ctx.lineWidth = 2;
          ctx.stroke();
          break;
        case MarkKind.holdTimeout:
          clock(ctx, x, y, lanes.holdBarH > 6 ? 9 : 6, p.empty, p.background);
          break;
        case MarkKind.clientTimeout:
          clock(ctx, x, y, 8, p.backoff, p.background);
          break;
        case MarkKind.tickSkipped:
          ctx.beginPath();
          ctx.moveTo(x - 5, y - 5);
          ctx.lineTo(x + 5, y - 5);
          ctx.lineTo(x, y + 4);
          ctx.closePath();
          ctx.fillStyle = p.background;
          ctx.fill();
          ctx.strokeStyle = p.muted;
          ctx.lineWidth = 1.5;
          ctx.stroke();
          break;
        case MarkKind.proxyCut:
          ctx.beginPath();
          cross(ctx, x, y, 9);
          ctx.strokeStyle = p.background;
          ctx.lineWidth = 7;
          ctx.stroke();
          ctx.strokeStyle = p.error;
          ctx.lineWidth = 3.5;
          ctx.stroke();
          break;
        case MarkKind.intervention:
          ctx.strokeStyle = p.intervention;
          ctx.lineWidth = 2;
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(Math.round(x) + 0.5, s.y0);
          ctx.lineTo(Math.round(x) + 0.5, s.y1);
          ctx.stroke();
          ctx.setLineDash([]);
          break;
      }
    }
  }

  private drawLabels(
    ctx: CanvasRenderingContext2D,
    scene: Scene,
    font: string,
    boldFont: string,
    xNow: number,
  ): void {
    const { layout, visible, palette: p, lanes, run, nowMs, view } = scene;
    const s = this.shape;
    const fs = lanes.fontPx;
    this.lastFont = '';
    // When responses are denser than one per label width on a lane, their labels would tile the
    // whole picture: leave them to the details panel. Messages keep theirs longer than "empty".
    let responses = 0;
    for (let j = 0; j < visible.length; j++) {
      if (layout.kind[visible[j]] === MarkKind.response) responses++;
    }
    const lanesDrawn = Math.max(1, lanes.names.filter((n) => n.kind === 'client').length);
    const perLanePx = (view.plotRight - view.plotLeft) / Math.max(1, responses / lanesDrawn);
    const labelEmpty = perLanePx >= fs * 4;
    const labelMessages = perLanePx >= fs * 1.5;

    const labels: Label[] = [];
    const add = (
      text: string,
      x: number,
      y: number,
      color: string,
      bold: boolean,
      rank: number,
    ) => {
      labels.push({
        text,
        x,
        y,
        w: this.measure(ctx, text, bold ? boldFont : font),
        color,
        bold,
        rank,
      });
    };
    let heldNow = 0;
    let nextDeadline = Infinity;
    for (let j = 0; j < visible.length; j++) {
      const m = visible[j];
      const kind = layout.kind[m];
      if (!shapeOf(scene, m, s)) continue;
      switch (kind) {
        case MarkKind.response: {
          if (s.fraction < 0.5) break;
          const look = responseLook(layout, m);
          if (!(look === 'messages' ? labelMessages : labelEmpty)) break;
          const color =
            look === 'messages' ? p.messagesText : look === 'empty' ? p.emptyText : p.errorText;
          add(
            responseLabel(layout, m),
            (s.x0 + s.x1) / 2 + 7,
            (s.y0 + s.y1) / 2 + fs * 0.35,
            color,
            look === 'messages',
            look === 'empty' ? 3 : 1,
          );
          break;
        }
        case MarkKind.published: {
          // Left of the diamond and above the line: the response it triggers leaves up and right.
          const text = `#${layout.a[m]}`;
          add(text, s.x0 - this.measure(ctx, text, boldFont) - 9, s.y0 - 9, p.foreground, true, 1);
          break;
        }
        case MarkKind.holdTimeout: {
          if (!lanes.countdownEach) break;
          const x = s.x0 - this.measure(ctx, 'timeout', font) - 12;
          add('timeout', x, s.y0 - lanes.holdBarH / 2 - 5, p.emptyText, false, 2);
          break;
        }
        case MarkKind.clientTimeout:
        case MarkKind.messageLost:
        case MarkKind.proxyCut: {
          const text =
            kind === MarkKind.clientTimeout
              ? 'gave up'
              : kind === MarkKind.proxyCut
                ? 'cut'
                : `#${layout.a[m]} lost`;
          const color = kind === MarkKind.messageLost ? p.emptyText : p.errorText;
          add(text, s.x0 + 12, s.y0 - 8, color, false, 1);
          break;
        }
        case MarkKind.backoff:
          add(`backoff ${duration(layout.a[m])}`, s.x0, s.y0 - 7, p.errorText, false, 2);
          break;
        case MarkKind.serverDown: {
          const text = nowMs < layout.t1[m] ? 'server down' : 'server was down';
          add(text, Math.max(s.x0 + 4, lanes.plotLeft + 4), s.y0 + fs + 2, p.foreground, true, 0);
          break;
        }
        case MarkKind.intervention: {
          const text = interventionLabel(run, layout, m);
          add(text, s.x0 + 5, lanes.interventionY + fs * 0.5, p.foreground, true, 0);
          break;
        }
        case MarkKind.hold: {
          if (nowMs >= layout.t1[m]) {
            // A hold that ends with no answer: its client gave up and closed the connection.
            const end = layout.endEvent[m];
            if (
              lanes.countdownEach &&
              end >= 0 &&
              run.trace.kind[end] === EventKind.requestAborted
            ) {
              const x = s.x1 - this.measure(ctx, 'client closed', font) - 4;
              add('client closed', x, s.y0 - lanes.holdBarH / 2 - 5, p.errorText, false, 2);
            }
            break;
          }
          heldNow++;
          const deadline = layout.a[m];
          nextDeadline = Math.min(nextDeadline, deadline);
          if (!lanes.countdownEach) break;
          this.setFont(ctx, boldFont);
          const left = ((deadline - nowMs) / 1000).toFixed(1);
          const text = fitting(
            ctx,
            [`held: ${left} s left`, `${left} s left`, `${left} s`],
            view.plotRight - xNow - 12,
          );
          boxedText(ctx, text, xNow + 8, (s.y0 + s.y1) / 2, fs, p.foreground, p);
          break;
        }
      }
    }

    // Place the important labels first; a label that would overlap one already placed is
    // skipped (the details panel still tells it).
    labels.sort((x, y) => x.rank - y.rank);
    const placed = new LabelGrid();
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'left';
    for (const label of labels) {
      if (!placed.tryPlace(label.x - 2, label.y - fs, label.w + 4, fs + 4)) continue;
      this.setFont(ctx, label.bold ? boldFont : font);
      ctx.fillStyle = label.color;
      backedText(ctx, label.text, label.x, label.y, p.background);
    }

    if (heldNow > 0 && !lanes.countdownEach) {
      this.setFont(ctx, boldFont);
      const next = ((nextDeadline - nowMs) / 1000).toFixed(1);
      const text = fitting(
        ctx,
        [
          `${heldNow} held, next timeout in ${next} s`,
          `${heldNow} held, next in ${next} s`,
          `${heldNow} held`,
        ],
        view.plotRight - xNow - 12,
      );
      boxedText(ctx, text, xNow + 8, lanes.serverY, fs, p.foreground, p);
    }
  }

  /** Setting the font is costly (the string is parsed each time): only when it changes. */
  private lastFont = '';
  private setFont(ctx: CanvasRenderingContext2D, font: string): void {
    if (font !== this.lastFont) {
      ctx.font = font;
      this.lastFont = font;
    }
  }

  /** Widths of label texts by font, kept across frames: the same few labels recur. */
  private widths = new Map<string, number>();
  private measure(ctx: CanvasRenderingContext2D, text: string, font: string): number {
    const key = `${font}|${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      this.setFont(ctx, font);
      w = ctx.measureText(text).width;
      if (this.widths.size > 5000) this.widths.clear();
      this.widths.set(key, w);
    }
    return w;
  }
}

interface Label {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  w: number;
  color: string;
  bold: boolean;
  /** Lower ranks are placed first. */
  rank: number;
}

/** Rectangles already taken by labels, bucketed by x so that a check looks at its neighbours only. */
class LabelGrid {
  private buckets = new Map<number, number[]>();
  private static readonly BUCKET_PX = 80;

  tryPlace(x: number, y: number, w: number, h: number): boolean {
    const b0 = Math.floor(x / LabelGrid.BUCKET_PX);
    const b1 = Math.floor((x + w) / LabelGrid.BUCKET_PX);
    for (let b = b0; b <= b1; b++) {
      const rects = this.buckets.get(b);
      if (!rects) continue;
      for (let i = 0; i < rects.length; i += 4) {
        if (
          x < rects[i] + rects[i + 2] &&
          rects[i] < x + w &&
          y < rects[i + 1] + rects[i + 3] &&
          rects[i + 1] < y + h
        ) {
          return false;
        }
      }
    }
    for (let b = b0; b <= b1; b++) {
      let rects = this.buckets.get(b);
      if (!rects) this.buckets.set(b, (rects = []));
      rects.push(x, y, w, h);
    }
    return true;
  }
}

function isPoint(kind: number): boolean {
  return (
    kind === MarkKind.published ||
    kind === MarkKind.delivered ||
    kind === MarkKind.messageLost ||
    kind === MarkKind.holdTimeout ||
    kind === MarkKind.clientTimeout ||
    kind === MarkKind.tickSkipped ||
    kind === MarkKind.proxyCut ||
    kind === MarkKind.intervention
  );
}

/** Text with a halo of the background colour, so it stays legible over lines. */
function backedText(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  background: string,
): void {
  const fill = ctx.fillStyle;
  ctx.strokeStyle = background;
  ctx.lineWidth = 4;
  ctx.lineJoin = 'round';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = fill;
  ctx.fillText(text, x, y);
}

/** The first of `texts` (longest first) that fits in `widthPx`, else the last. */
function fitting(ctx: CanvasRenderingContext2D, texts: string[], widthPx: number): string {
  for (const t of texts) if (ctx.measureText(t).width <= widthPx) return t;
  return texts[texts.length - 1];
}

/** Text on an opaque box, vertically centred on `y`, so that a lane line under it doesn't show. */
function boxedText(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  fontPx: number,
  color: string,
  p: Palette,
): void {
  const w = ctx.measureText(text).width;
  const h = fontPx + 6;
  ctx.fillStyle = p.background;
  ctx.fillRect(x - 3, y - h / 2, w + 6, h);
  ctx.fillStyle = p.future;
  ctx.fillRect(x - 3, y - h / 2, w + 6, h);
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x, y + 1);
  ctx.textBaseline = 'alphabetic';
}

function cross(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x - r, y + r);
  ctx.lineTo(x + r, y - r);
}

/** A clock face: a timeout. */
function clock(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  r: number,
  color: string,
  background: string,
): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = background;
  ctx.fill();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x, y - r * 0.65);
  ctx.moveTo(x, y);
  ctx.lineTo(x + r * 0.5, y);
  ctx.stroke();
}

/** Diagonal hatching inside a rectangle. */
function hatch(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  color: string,
  spacing: number,
  originX: number,
): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  // Lines anchored to time 0, so the hatching moves with the band instead of crawling in it.
  const start = originX + Math.floor((x - h - originX) / spacing) * spacing;
  for (let sx = start; sx < x + w; sx += spacing) {
    ctx.moveTo(sx, y + h);
    ctx.lineTo(sx + h, y);
  }
  ctx.stroke();
  ctx.restore();
}
