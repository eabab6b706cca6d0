/** The summary band's pass, for more clients than lanes: open and held requests and empty responses per second. */
import { count, decimal } from '../../format';
import { backedText } from './glyphs';
import { endMsOf, xOf } from './lanes';
import type { Scene } from './scene';

/** The summary band: open requests, held requests and empty responses per second. */
export function drawActivity(ctx: CanvasRenderingContext2D, scene: Scene, font: string): void {
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
    const text = `${row.label}: ${row.key === 'wastedPerS' ? decimal(value, 1) : count(value)}`;
    ctx.fillStyle = p.foreground;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    backedText(ctx, text, view.plotLeft + 4, row.top + 1, p.background);
    ctx.textBaseline = 'alphabetic';
  }
}
