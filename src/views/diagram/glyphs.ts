/** Small canvas drawings shared by the passes: crosses, clock faces, hatching and haloed text. */
import { MARK_STROKES as W } from './strokes';

/** Text with a halo of the background colour, so it stays legible over lines. */
export function backedText(
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

export function cross(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x - r, y + r);
  ctx.lineTo(x + r, y - r);
}

/** A clock face: a timeout. */
export function clock(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  r: number,
  color: string,
  background: string,
): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  fillAndStroke(ctx, background, color, W.clock.width);
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x, y - r * 0.65);
  ctx.moveTo(x, y);
  ctx.lineTo(x + r * 0.5, y);
  ctx.stroke();
}

/** Diagonal hatching inside a rectangle. */
export function hatch(
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
  ctx.lineWidth = W.hatch.width;
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

/** Fills the current path, then outlines it. */
export function fillAndStroke(
  ctx: CanvasRenderingContext2D,
  fill: string,
  stroke: string,
  width: number,
): void {
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.stroke();
}

/** Strokes the current path twice: a wide halo of the background, then the line over it. */
export function haloStroke(
  ctx: CanvasRenderingContext2D,
  background: string,
  haloWidth: number,
  color: string,
  width: number,
): void {
  ctx.strokeStyle = background;
  ctx.lineWidth = haloWidth;
  ctx.stroke();
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.stroke();
}
