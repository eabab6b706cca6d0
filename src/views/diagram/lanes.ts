/**
 * Where things go on screen: the lanes (clients on top, then the proxy, the server at the
 * bottom) and the time scale (time runs left to right). Pure functions of the component's width,
 * the run's shape and the playhead, so that drawing, hit-testing and the accessible overlay agree.
 */

/** Up to this many clients get a lane each; beyond, they share a summary band. */
export const MAX_CLIENT_LANES = 12;

/** Below this width the lane names move from a left gutter to above each lane. */
export const NARROW_PX = 600;

export interface LaneInput {
  /** Width of the diagram in CSS pixels. */
  width: number;
  /** The clients drawn with a lane of their own, top to bottom. */
  drawn: readonly number[];
  /** How many clients the run has (ids 0 … clients-1). */
  clients: number;
  /** Draw the summary band of all clients above the drawn ones. */
  summary: boolean;
  proxy: boolean;
}

export interface SummaryRow {
  key: 'open' | 'held' | 'wastedPerS';
  label: string;
  top: number;
  height: number;
}

export interface LaneName {
  y: number;
  text: string;
  kind: 'client' | 'proxy' | 'server' | 'summary';
}

export interface Lanes {
  width: number;
  height: number;
  narrow: boolean;
  fontPx: number;
  /** The plot spans [plotLeft, plotRight]; the gutter with the lane names is left of it. */
  plotLeft: number;
  plotRight: number;
  /** Baseline of the time axis' labels. */
  axisY: number;
  /** Top of the marks area (below the axis and the intervention labels). */
  top: number;
  /** Where intervention labels sit. */
  interventionY: number;
  bottom: number;
  /** y of each client's lane line, by client id; NaN for clients without a lane. */
  clientY: Float64Array;
  clientLaneH: number;
  summaryRows: SummaryRow[];
  /** y of the proxy lane, NaN when there is no proxy. */
  proxyY: number;
  serverY: number;
  /** Centre of each client's hold bar on the server lane, by client id (NaN: none). */
  holdY: Float64Array;
  holdBarH: number;
  /** Whether each hold bar has room for its own countdown text. */
  countdownEach: boolean;
  serverBottom: number;
  names: LaneName[];
}

export function computeLanes(input: LaneInput): Lanes {
  const width = Math.max(240, input.width);
  const narrow = width < NARROW_PX;
  const fontPx = width >= 1600 ? 17 : width >= 1100 ? 15 : 14;
  const gutter = narrow ? 0 : fontPx * 6.4;
  const plotLeft = Math.round(gutter) + (narrow ? 4 : 8);
  const plotRight = width - (narrow ? 4 : 12);
  const axisY = fontPx + 6;
  const interventionY = axisY + 14;
  const top = interventionY + fontPx + 10;
  const n = input.drawn.length;
  const names: LaneName[] = [];

  let y = top;
  const summaryRows: SummaryRow[] = [];
  if (input.summary) {
    const rowH = narrow ? 40 : 48;
    const rows: [SummaryRow['key'], string][] = [
      ['open', 'Requests open'],
      ['held', 'Held at the server'],
      ['wastedPerS', 'Empty responses / s'],
    ];
    // On a phone the rows' own labels say enough; there is no gutter for this one.
    if (!narrow) names.push({ y: y + rowH / 2, text: `All ${input.clients}`, kind: 'summary' });
    for (const [key, label] of rows) {
      summaryRows.push({ key, label, top: y, height: rowH - 6 });
      y += rowH;
    }
    y += 8;
  }

  const clientLaneH = n <= 1 ? (narrow ? 58 : 70) : Math.max(30, Math.min(56, Math.round(300 / n)));
  const clientY = new Float64Array(input.clients).fill(NaN);
  input.drawn.forEach((c, i) => {
    const ly = y + clientLaneH * i + clientLaneH * 0.6;
    clientY[c] = ly;
    names.push({ y: ly, text: `Client ${c + 1}`, kind: 'client' });
  });
  y += clientLaneH * n;

  // The gap the arrows cross grows on wide screens, so that a projector shows them large.
  const network = narrow ? 120 : Math.round(Math.max(150, Math.min(230, width * 0.12)));
  let proxyY = NaN;
  if (input.proxy) {
    proxyY = y + (network + 40) / 2;
    names.push({ y: proxyY, text: 'Proxy', kind: 'proxy' });
    y += network + 40;
  } else {
    y += network;
  }

  const serverY = y;
  names.push({ y: serverY, text: 'Server', kind: 'server' });
  const roomy = n <= 3;
  const holdBarH = roomy ? 12 : 5;
  const step = roomy ? 22 : 7;
  const holdY = new Float64Array(input.clients).fill(NaN);
  input.drawn.forEach((c, i) => {
    holdY[c] = serverY + step * i;
  });
  const serverBottom = serverY + step * Math.max(0, n - 1) + holdBarH / 2 + fontPx + 14;
  const bottom = serverBottom;
  return {
    width,
    height: Math.ceil(bottom + 6),
    narrow,
    fontPx,
    plotLeft,
    plotRight,
    axisY,
    top,
    interventionY,
    bottom,
    clientY,
    clientLaneH,
    summaryRows,
    proxyY,
    serverY,
    holdY,
    holdBarH,
    countdownEach: roomy,
    serverBottom,
    names,
  };
}

/** Which clients get a lane: all up to `maxLanes`, else the one picked to show in full. */
export function drawnClients(
  clients: number,
  shown: number,
  maxLanes = MAX_CLIENT_LANES,
): number[] {
  if (clients <= maxLanes) return Array.from({ length: clients }, (_, c) => c);
  return [Math.max(0, Math.min(clients - 1, shown))];
}

/** A linear time scale: x = plotLeft + (t - startMs) · pxPerMs. */
export interface TimeView {
  startMs: number;
  pxPerMs: number;
  plotLeft: number;
  plotRight: number;
}

export const xOf = (view: TimeView, t: number) => view.plotLeft + (t - view.startMs) * view.pxPerMs;
export const tOf = (view: TimeView, x: number) => view.startMs + (x - view.plotLeft) / view.pxPerMs;
export const endMsOf = (view: TimeView) => tOf(view, view.plotRight);

/** The playhead sits here, as a fraction of the plot's width, while the view follows it. */
export const FOLLOW_AT = 2 / 3;

/**
 * The time span shown while following: about 55 px a second, so 20 s on a laptop or a
 * projector, and 8 s on a phone.
 */
export function defaultSpanMs(plotWidthPx: number): number {
  return Math.round(Math.max(8000, Math.min(20_000, (plotWidthPx / 55) * 1000)));
}

/** The view that follows the playhead: it stays put until the playhead reaches FOLLOW_AT. */
export function followView(
  nowMs: number,
  spanMs: number,
  plotLeft: number,
  plotRight: number,
): TimeView {
  const pxPerMs = (plotRight - plotLeft) / spanMs;
  const startMs = Math.max(-0.02 * spanMs, nowMs - spanMs * FOLLOW_AT);
  return { startMs, pxPerMs, plotLeft, plotRight };
}
