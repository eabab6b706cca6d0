/**
 * The cache of the past: marks are drawn into tiles 128 px wide, each kept once the playhead has
 * left it far enough behind that nothing in it can still change. A frame copies the cached tiles
 * and draws only the stretch near the playhead (and a few new tiles) afresh.
 */
import { queryWindow, type SequenceLayout } from '../sequenceLayout';
import { endMsOf, type Lanes, type TimeView } from './lanes';
import type { Palette } from './palette';
import type { Scene } from './scene';

/** Width of a cached tile, in CSS pixels. */
const TILE_PX = 128;
/**
 * A tile is final once the playhead is this far right of it: no glyph, arrowhead or arrow
 * spread (MIN_ARROW_SPREAD_PX) of a mark that is still changing reaches back further.
 */
const FINAL_MARGIN_PX = 32;
/** Tiles drawn at most in one frame; the rest of the view is drawn directly meanwhile. */
const TILES_PER_FRAME = 2;

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

/** Draws the marks of `scene.visible` in the scene's view, on the screen or on a tile. */
export type MarksPass = (
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  scene: Scene,
) => void;

export class TileCache {
  private tiles = new Map<number, Tile>();
  private tileKey: TileKey | null = null;
  private lastPxPerMs = NaN;
  private pool: (OffscreenCanvas | HTMLCanvasElement)[] = [];
  /** Tiles drawn since the cache was made (for tests and the bench). */
  tilesRendered = 0;

  constructor(private readonly drawMarks: MarksPass) {}

  /** The marks from cached tiles where the past is final, and drawn afresh near the playhead. */
  draw(ctx: CanvasRenderingContext2D, scene: Scene): void {
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
}
