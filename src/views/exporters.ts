/**
 * What a learner can take away from a run: its metrics as CSV (for a spreadsheet), its trace as
 * JSON Lines (one event per line, as the command line writes it), and a chart as SVG or PNG.
 */
import type { Metrics, Run } from '../sim';

export interface MetricsPair {
  polling: Metrics;
  longPolling: Metrics;
}

/** One CSV field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 lines end in CRLF, the last one included. */
function csv(rows: unknown[][]): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** The metrics as dotted names and numbers, in the order `computeMetrics` gives them. */
function flatten(value: unknown, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.push([prefix, value]);
  }
  return out;
}

function isPair(input: Metrics | MetricsPair): input is MetricsPair {
  return 'polling' in input && 'longPolling' in input;
}

/**
 * The metrics of one run (columns `metric,value`) or of both modes side by side
 * (`metric,polling,long_polling`), one metric a row, e.g. `latencyMs.p95,1730`.
 */
export function metricsCsv(input: Metrics | MetricsPair): string {
  if (!isPair(input)) return csv([['metric', 'value'], ...flatten(input)]);
  const longPolling = new Map(flatten(input.longPolling));
  return csv([
    ['metric', 'polling', 'long_polling'],
    ...flatten(input.polling).map(([name, value]) => [name, value, longPolling.get(name)]),
  ]);
}

/** The whole trace as JSON Lines: one JSON object per event, each line ending in "\n". */
export function traceJsonLines(run: Run): string {
  return run.trace.toJSONLines();
}

/**
 * The trace as JSON Lines in a Blob, built in chunks so that a run of millions of events never
 * becomes one giant string.
 */
export function traceJsonLinesBlob(run: Run, chunkEvents = 10_000): Blob {
  const { trace } = run;
  const parts: string[] = [];
  for (let from = 0; from < trace.length; from += chunkEvents) {
    const lines: string[] = [];
    for (const e of trace.events(from, Math.min(trace.length, from + chunkEvents))) {
      lines.push(JSON.stringify(e) + '\n');
    }
    parts.push(lines.join(''));
  }
  return new Blob(parts, { type: 'application/x-ndjson' });
}

/** Styles that a chart takes from the page's CSS and must carry inline to look the same alone. */
const INLINE_STYLES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
];

/**
 * A standalone SVG document of an element on the page: the element is copied with the computed
 * styles written inline (the page's stylesheets do not travel with a file) and its size fixed.
 */
export function svgString(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  const view = svg.ownerDocument.defaultView;
  if (view) {
    originals.forEach((element, k) => {
      const computed = view.getComputedStyle(element);
      const style = INLINE_STYLES.map((name) => [name, computed.getPropertyValue(name)])
        .filter(([, value]) => value !== '')
        .map(([name, value]) => `${name}:${value}`)
        .join(';');
      if (style) copies[k].setAttribute('style', style);
    });
  }
  const { width, height } = svg.getBoundingClientRect();
  if (width > 0 && height > 0) {
    copy.setAttribute('width', String(Math.round(width)));
    copy.setAttribute('height', String(Math.round(height)));
  }
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const xml = new XMLSerializer().serializeToString(copy);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`;
}

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the canvas is empty'))),
      'image/png',
    ),
  );
}

/**
 * A PNG of a canvas, or of an SVG drawn at `scale` times its size (2 by default, sharp on a
 * projector) on the page's background colour.
 */
export async function pngBlob(source: SVGSVGElement | HTMLCanvasElement, scale = 2): Promise<Blob> {
  if (source instanceof HTMLCanvasElement) return canvasBlob(source);
  const { width, height } = source.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([svgString(source)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    const background = getComputedStyle(document.documentElement).backgroundColor;
    context.fillStyle = background && background !== 'rgba(0, 0, 0, 0)' ? background : '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await canvasBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a blob under a file name through the browser's download. */
export function download(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns; revoke it once they have.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The sequence diagram as one SVG document: the canvas of marks, embedded as a PNG image, under
 * the SVG of axes, lane names and the playhead, on the page's background colour.
 */
export function diagramSvgString(plot: HTMLElement): string | null {
  const marks = plot.querySelector('canvas');
  const axes = plot.querySelector<SVGSVGElement>('svg.axes');
  if (!marks || !axes) return null;
  const { width, height } = axes.getBoundingClientRect();
  const axesXml = svgString(axes).replace(/^<\?xml[^>]*>\s*/, '');
  const background = getComputedStyle(document.documentElement).backgroundColor || '#fff';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width)}" height="${Math.round(height)}">`,
    `<rect width="100%" height="100%" fill="${background}"/>`,
    `<image width="${Math.round(width)}" height="${Math.round(height)}" href="${marks.toDataURL('image/png')}"/>`,
    axesXml,
    '</svg>',
    '',
  ].join('\n');
}

/** The sequence diagram as a PNG at `scale` times its size: marks, axes and lane names. */
export async function diagramPng(plot: HTMLElement, scale = 2): Promise<Blob | null> {
  const svg = diagramSvgString(plot);
  if (!svg) return null;
  const axes = plot.querySelector('svg.axes')!.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(axes.width * scale));
    canvas.height = Math.max(1, Math.round(axes.height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await canvasBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}
