/**
 * How each kind of arrow and mark is stroked: widths, dashes, arrowheads. The canvas draws with
 * these tables and the legend draws its samples from them, so the two cannot disagree. An arrow
 * style is drawn in the palette's colour of the same name (`palette.request`, …).
 */
export type ArrowStyle =
  'request' | 'messages' | 'empty' | 'error' | 'open' | 'frame' | 'heartbeat';
/** The order in which the styles are stroked: the messages last, on top. */
export const ARROW_STYLES: ArrowStyle[] = [
  'heartbeat',
  'request',
  'open',
  'empty',
  'error',
  'frame',
  'messages',
];

export interface StrokeStyle {
  width: number;
  dash: number[];
  /** Length of the arrowhead, in px; its width is half that. */
  head: number;
  /** A hollow head is filled with the background and outlined. */
  hollow: boolean;
}

export const STROKES: Record<ArrowStyle, StrokeStyle> = {
  request: { width: 2, dash: [], head: 10, hollow: false },
  messages: { width: 4.5, dash: [], head: 13, hollow: false },
  empty: { width: 2.5, dash: [8, 5], head: 12, hollow: true },
  error: { width: 2.5, dash: [10, 4, 2, 4], head: 11, hollow: false },
  /** The request that opens a stream or a socket, and the server's answer that opens it. */
  open: { width: 3, dash: [], head: 12, hollow: true },
  /** A message event on an open stream or socket: thinner than a response, no request before it. */
  frame: { width: 3, dash: [], head: 11, hollow: false },
  /** An SSE comment line or a WebSocket ping: a thin dotted arrow. */
  heartbeat: { width: 1.5, dash: [2, 3], head: 8, hollow: true },
};

/** Line widths and dashes of the other marks and of the lanes, in px. */
export const MARK_STROKES = {
  /** Client and proxy lanes; the proxy's is dashed. The server's lane is thicker. */
  lane: { width: 1.5, proxyDash: [6, 6], serverWidth: 3 },
  /** The outline of a hollow arrowhead (an empty response). */
  hollowHead: { width: 2 },
  /** The cross where a request or response was lost, over a halo of the background. */
  lost: { width: 3, halo: 6 },
  /** The cross where a proxy cut a held request, over a halo of the background. */
  proxyCut: { width: 3.5, halo: 7 },
  /** A held request's bar (its edge is 1 px on thin bars). */
  hold: { edge: 1.5 },
  /** The hatching of backoffs and of the server down. */
  hatch: { width: 1.5 },
  /** A backoff: hatching under a bracket. */
  backoff: { spacing: 6, bracket: 2 },
  /** The server down: hatching in a frame. */
  down: { spacing: 10, edge: 1.5 },
  /** A timeout's clock face. */
  clock: { width: 2 },
  published: { edge: 1.5 },
  delivered: { edge: 2 },
  messageLost: { width: 2 },
  tickSkipped: { edge: 1.5 },
  intervention: { width: 2, dash: [4, 4] },
  /** An open stream or socket: a tinted band with solid edges along its client and server sides. */
  stream: { edge: 2 },
  /** A stream that broke, on the client's lane: a jagged break. */
  streamBroken: { width: 3, halo: 6 },
} as const;
