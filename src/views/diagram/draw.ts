/**
 * Draws one frame of the sequence diagram on a canvas: everything in view up to the playhead,
 * in one pass per layer, with the arrows of one style stroked a few dozen to a path.
 *
 * The past doesn't change, so the marks are drawn into cached tiles (tiles.ts) and a frame
 * draws afresh only the last stretch before the playhead. Halos and labels, which depend on the
 * hover, the highlight and on each other, are drawn over them in every frame. Each pass has its
 * own file: arrows.ts, marks.ts (spans, points, halos), activity.ts (the summary band) and
 * labels.ts. Software rendering strokes about 2,000 arrows in 10–30 ms (dashed lines cost the
 * most), so the cache is what keeps a dense view at 60 frames a second.
 */
import { drawActivity } from './activity';
import { ArrowPass } from './arrows';
import { LabelPass } from './labels';
import { xOf } from './lanes';
import { drawBands, drawHalos, drawPoints, drawSpans } from './marks';
import type { Scene } from './scene';
import { newShape, type Shape } from './shapes';
import { MARK_STROKES as W } from './strokes';
import { TileCache } from './tiles';

export type { Scene } from './scene';

export class Renderer {
  private shape: Shape = newShape();
  private arrows = new ArrowPass();
  private labels = new LabelPass();
  private tiles = new TileCache((ctx, scene) => this.drawMarks(ctx, scene));

  /** Tiles drawn since the renderer was made (for tests and the bench). */
  get tilesRendered(): number {
    return this.tiles.tilesRendered;
  }

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
    drawActivity(ctx, scene, font);
    this.tiles.draw(ctx, scene);
    drawHalos(ctx, scene, this.shape);
    this.labels.draw(ctx, scene, this.shape, font, boldFont, xNow);
    ctx.restore();
  }

  /** Stream bands, spans, arrows and points of `scene.visible`, in the scene's view. */
  private drawMarks(
    ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
    scene: Scene,
  ): void {
    const c = ctx as CanvasRenderingContext2D;
    drawBands(c, scene, this.shape);
    drawSpans(c, scene, this.shape);
    this.arrows.draw(c, scene, this.shape);
    drawPoints(c, scene, this.shape);
  }

  private drawLaneLines(ctx: CanvasRenderingContext2D, scene: Scene): void {
    const { lanes, palette: p, view } = scene;
    ctx.strokeStyle = p.lane;
    ctx.lineWidth = W.lane.width;
    ctx.beginPath();
    for (const name of lanes.names) {
      if (name.kind !== 'client') continue;
      ctx.moveTo(view.plotLeft, name.y);
      ctx.lineTo(view.plotRight, name.y);
    }
    ctx.stroke();
    if (!Number.isNaN(lanes.proxyY)) {
      ctx.setLineDash(W.lane.proxyDash);
      ctx.beginPath();
      ctx.moveTo(view.plotLeft, lanes.proxyY);
      ctx.lineTo(view.plotRight, lanes.proxyY);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.lineWidth = W.lane.serverWidth;
    ctx.beginPath();
    ctx.moveTo(view.plotLeft, lanes.serverY);
    ctx.lineTo(view.plotRight, lanes.serverY);
    ctx.stroke();
  }
}
