/**
 * The labels pass: the words beside the marks ("empty", "#3–5", "timeout", a hold's countdown),
 * placed most important first, and skipped where they would overlap a label already placed (the
 * details panel still tells them). Text widths are measured once and kept across frames.
 */
import { clock } from '../../format';
import { EventKind } from '../../sim';
import { FrameKind, StreamEnd } from '../../sim/trace';
import {
  frameLabel,
  MarkFlag,
  MarkKind,
  opensStream,
  responseLabel,
  responseLook,
} from '../sequenceLayout';
import { duration, interventionLabel } from './describe';
import { backedText } from './glyphs';
import type { Palette } from './palette';
import type { Scene } from './scene';
import { shapeOf, type Shape } from './shapes';

export class LabelPass {
  draw(
    ctx: CanvasRenderingContext2D,
    scene: Scene,
    s: Shape,
    font: string,
    boldFont: string,
    xNow: number,
  ): void {
    const { layout, visible, palette: p, lanes, run, nowMs, view } = scene;
    const fs = lanes.fontPx;
    this.lastFont = '';
    // When responses are denser than one per label width on a lane, their labels would tile the
    // whole picture: leave them to the details panel. Messages keep theirs longer than "empty".
    let responses = 0;
    for (let j = 0; j < visible.length; j++) {
      const k = layout.kind[visible[j]];
      if (k === MarkKind.response || k === MarkKind.frame) responses++;
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
        case MarkKind.request: {
          // Only the request that opens a stream says so: "GET stream", "Upgrade".
          if (!opensStream(layout, m) || s.fraction < 0.5) break;
          const text = frameLabel(layout, m);
          const x = (s.x0 + s.x1) / 2 - this.measure(ctx, text, boldFont) - 8;
          add(text, x, (s.y0 + s.y1) / 2 + fs * 0.35, p.openText, true, 1);
          break;
        }
        case MarkKind.frame: {
          if (s.fraction < 0.5 || layout.status[m] === FrameKind.heartbeat) break;
          const open = layout.status[m] === FrameKind.open;
          if (!open && !labelMessages) break;
          add(
            frameLabel(layout, m),
            (s.x0 + s.x1) / 2 + 7,
            (s.y0 + s.y1) / 2 + fs * 0.35,
            open ? p.openText : p.messagesText,
            true,
            1,
          );
          break;
        }
        case MarkKind.stream: {
          if (s.xb - s.xa < fs * 3) break;
          const text = layout.flags[m] & MarkFlag.websocket ? 'WebSocket' : 'SSE stream';
          // At the band's start, or at the left edge while the start is out of view.
          const x = Math.max(s.xa, lanes.plotLeft) + 6;
          if (s.xb - x < this.measure(ctx, text, font)) break;
          add(text, x, s.y0 + fs + 4, p.openText, false, 2);
          break;
        }
        case MarkKind.streamBroken: {
          const text = layout.status[m] === StreamEnd.proxyTimeout ? 'cut' : 'reset';
          add(text, s.x0 + 10, s.y0 - 10, p.errorText, false, 1);
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
        case MarkKind.backoff: {
          // An EventSource's own reconnection wait (b = 0) is its retry time, not a backoff.
          const word = layout.b[m] === 0 ? 'retry' : 'backoff';
          add(`${word} ${duration(layout.a[m])}`, s.x0, s.y0 - 7, p.errorText, false, 2);
          break;
        }
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
          const left = clock(deadline - nowMs, 1);
          const text = fitting(
            ctx,
            [`held: ${left} left`, `${left} left`, left],
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
      const next = clock(nextDeadline - nowMs, 1);
      const text = fitting(
        ctx,
        [
          `${heldNow} held, next timeout in ${next}`,
          `${heldNow} held, next in ${next}`,
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
