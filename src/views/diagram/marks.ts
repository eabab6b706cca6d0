/**
 * The passes for marks that are not arrows: the bands of streams, spans (holds, backoffs, the server down), points
 * (publications, deliveries, timeouts, cuts, interventions), and the halos under the
 * highlighted and hovered marks.
 */
import { MarkKind } from '../sequenceLayout';
import { StreamEnd } from '../../sim/trace';
import { clock, cross, fillAndStroke, haloStroke, hatch } from './glyphs';
import { xOf } from './lanes';
import type { Scene } from './scene';
import { shapeOf, type Shape } from './shapes';
import { MARK_STROKES as W } from './strokes';

/**
 * Open streams and sockets: a tinted band from the server's side to the client's, under every
 * other mark, with solid edges along both sides and, once it has ended, across its end.
 */
export function drawBands(ctx: CanvasRenderingContext2D, scene: Scene, s: Shape): void {
  const { layout, visible, palette: p, nowMs } = scene;
  for (let j = 0; j < visible.length; j++) {
    const m = visible[j];
    if (layout.kind[m] !== MarkKind.stream || !shapeOf(scene, m, s)) continue;
    ctx.beginPath();
    ctx.moveTo(s.xa, s.y0);
    ctx.lineTo(s.xb, s.y0);
    ctx.lineTo(s.x1, s.y1);
    ctx.lineTo(s.x0, s.y1);
    ctx.closePath();
    ctx.fillStyle = p.streamFill;
    ctx.fill();
    ctx.strokeStyle = p.open;
    ctx.lineWidth = W.stream.edge;
    ctx.beginPath();
    ctx.moveTo(s.xa, s.y0);
    ctx.lineTo(s.xb, s.y0);
    ctx.moveTo(s.x0, s.y1);
    ctx.lineTo(s.x1, s.y1);
    // The end, once both sides have seen it.
    if (layout.endEvent[m] >= 0 && layout.t1[m] <= nowMs) {
      ctx.moveTo(s.xb, s.y0);
      ctx.lineTo(s.x1, s.y1);
    }
    ctx.stroke();
  }
}

export function drawSpans(ctx: CanvasRenderingContext2D, scene: Scene, s: Shape): void {
  const { layout, visible, palette: p, lanes } = scene;
  for (let j = 0; j < visible.length; j++) {
    const m = visible[j];
    const kind = layout.kind[m];
    if (kind !== MarkKind.serverDown && kind !== MarkKind.hold && kind !== MarkKind.backoff) {
      continue;
    }
    if (!shapeOf(scene, m, s)) continue;
    const w = Math.max(1, s.x1 - s.x0);
    if (kind === MarkKind.serverDown) {
      hatch(ctx, s.x0, s.y0, w, s.y1 - s.y0, p.down, W.down.spacing, xOf(scene.view, 0));
      ctx.strokeStyle = p.down;
      ctx.lineWidth = W.down.edge;
      ctx.strokeRect(s.x0, s.y0, w, s.y1 - s.y0);
    } else if (kind === MarkKind.hold) {
      ctx.fillStyle = p.hold;
      ctx.fillRect(s.x0, s.y0, w, s.y1 - s.y0);
      ctx.strokeStyle = p.holdEdge;
      ctx.lineWidth = lanes.holdBarH > 6 ? W.hold.edge : 1;
      ctx.strokeRect(s.x0, s.y0, w, s.y1 - s.y0);
    } else {
      hatch(ctx, s.x0, s.y0, w, s.y1 - s.y0, p.backoff, W.backoff.spacing, xOf(scene.view, 0));
      // A bracket above the wait: |‾‾‾‾|
      ctx.strokeStyle = p.backoff;
      ctx.lineWidth = W.backoff.bracket;
      ctx.beginPath();
      ctx.moveTo(s.x0, s.y0 + 4);
      ctx.lineTo(s.x0, s.y0 - 3);
      ctx.lineTo(s.x0 + w, s.y0 - 3);
      ctx.lineTo(s.x0 + w, s.y0 + 4);
      ctx.stroke();
    }
  }
}

export function drawPoints(ctx: CanvasRenderingContext2D, scene: Scene, s: Shape): void {
  const { layout, visible, palette: p, lanes } = scene;
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
        fillAndStroke(ctx, p.published, p.publishedEdge, W.published.edge);
        break;
      case MarkKind.delivered:
        ctx.beginPath();
        ctx.arc(x, y, 6, 0, Math.PI * 2);
        fillAndStroke(ctx, p.delivered, p.background, W.delivered.edge);
        break;
      case MarkKind.messageLost:
        ctx.beginPath();
        ctx.arc(x, y, 6, 0, Math.PI * 2);
        ctx.moveTo(x - 4.2, y + 4.2);
        ctx.lineTo(x + 4.2, y - 4.2);
        fillAndStroke(ctx, p.background, p.empty, W.messageLost.width);
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
        fillAndStroke(ctx, p.background, p.muted, W.tickSkipped.edge);
        break;
      case MarkKind.proxyCut:
        ctx.beginPath();
        cross(ctx, x, y, 9);
        haloStroke(ctx, p.background, W.proxyCut.halo, p.error, W.proxyCut.width);
        break;
      case MarkKind.streamBroken:
        // A break across the lane: two slanted strokes, "//".
        ctx.beginPath();
        ctx.moveTo(x - 7, y + 8);
        ctx.lineTo(x - 1, y - 8);
        ctx.moveTo(x + 1, y + 8);
        ctx.lineTo(x + 7, y - 8);
        haloStroke(
          ctx,
          p.background,
          W.streamBroken.width + W.streamBroken.halo,
          layout.status[m] === StreamEnd.serverError ? p.down : p.error,
          W.streamBroken.width,
        );
        break;
      case MarkKind.intervention:
        ctx.strokeStyle = p.intervention;
        ctx.lineWidth = W.intervention.width;
        ctx.setLineDash(W.intervention.dash);
        ctx.beginPath();
        ctx.moveTo(Math.round(x) + 0.5, s.y0);
        ctx.lineTo(Math.round(x) + 0.5, s.y1);
        ctx.stroke();
        ctx.setLineDash([]);
        break;
    }
  }
}

/** Wide translucent strokes under the highlighted and hovered marks. */
export function drawHalos(ctx: CanvasRenderingContext2D, scene: Scene, s: Shape): void {
  const { visible, emphasis, hover, palette: p } = scene;
  if (!emphasis && hover < 0) return;
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
    } else if (s.type === 'band') {
      ctx.moveTo(s.xa, s.y0);
      ctx.lineTo(s.xb, s.y0);
      ctx.lineTo(s.x1, s.y1);
      ctx.lineTo(s.x0, s.y1);
      ctx.closePath();
      ctx.stroke();
      ctx.fill();
    } else {
      ctx.fillRect(s.x0 - 5, s.y0 - 5, Math.max(1, s.x1 - s.x0) + 10, s.y1 - s.y0 + 10);
    }
  }
  ctx.lineCap = 'butt';
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
    kind === MarkKind.streamBroken ||
    kind === MarkKind.intervention
  );
}
