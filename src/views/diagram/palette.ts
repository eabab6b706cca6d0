/**
 * Colours of the sequence diagram, from the Okabe–Ito palette (safe for the common kinds of
 * colour blindness). Colour is never the only cue: each encoding also has its own dash, marker
 * or label. Text gets darker shades in the light scheme so that 14 px labels keep a 4.5:1
 * contrast; the bright originals already have it on the dark background.
 */
export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  lane: string;
  grid: string;
  /** The tint over the future, right of the playhead. */
  future: string;
  request: string;
  requestText: string;
  messages: string;
  messagesText: string;
  empty: string;
  emptyText: string;
  error: string;
  errorText: string;
  hold: string;
  holdEdge: string;
  /** The arrows that open a stream or a socket, and the edges of its band. */
  open: string;
  openText: string;
  /** The band of an open stream or socket (translucent: the frames show through). */
  streamFill: string;
  /** A message frame on a stream. */
  frame: string;
  /** A heartbeat or ping. */
  heartbeat: string;
  published: string;
  publishedEdge: string;
  delivered: string;
  lost: string;
  backoff: string;
  down: string;
  intervention: string;
  /** Halo under marks a lesson highlights. */
  highlight: string;
  /** Halo under the hovered or focused mark. */
  hover: string;
  playhead: string;
}

export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

// The backgrounds are the app's --surface colours, which the diagram sits on.
export const lightPalette: Palette = {
  background: '#ffffff',
  foreground: '#1b1b1f',
  muted: '#4a4a55',
  lane: '#8a877f',
  grid: '#e6e3dc',
  future: 'rgba(27, 27, 31, 0.045)',
  request: OKABE_ITO.blue,
  requestText: '#005a8c',
  messages: OKABE_ITO.bluishGreen,
  messagesText: '#006b4f',
  empty: OKABE_ITO.vermillion,
  emptyText: '#a84300',
  error: OKABE_ITO.reddishPurple,
  errorText: '#8e3a6e',
  hold: OKABE_ITO.skyBlue,
  holdEdge: '#2a7fb0',
  open: '#2a7fb0',
  openText: '#1f6690',
  streamFill: 'rgba(86, 180, 233, 0.16)',
  frame: OKABE_ITO.bluishGreen,
  heartbeat: '#6e6b66',
  published: OKABE_ITO.orange,
  publishedEdge: '#6b4a00',
  delivered: OKABE_ITO.bluishGreen,
  lost: '#1b1b1f',
  backoff: OKABE_ITO.reddishPurple,
  down: '#6e6b66',
  intervention: '#1b1b1f',
  highlight: 'rgba(240, 228, 66, 0.85)',
  hover: 'rgba(0, 114, 178, 0.22)',
  playhead: '#1b1b1f',
};

export const darkPalette: Palette = {
  background: '#1e2026',
  foreground: '#ecebe8',
  muted: '#b9b8c2',
  lane: '#77767f',
  grid: '#2a2c33',
  future: 'rgba(236, 235, 232, 0.06)',
  request: OKABE_ITO.skyBlue,
  requestText: OKABE_ITO.skyBlue,
  messages: '#19c08f',
  messagesText: '#19c08f',
  empty: '#f07a2a',
  emptyText: '#f08a45',
  error: OKABE_ITO.reddishPurple,
  errorText: OKABE_ITO.reddishPurple,
  hold: '#2f7fb0',
  holdEdge: OKABE_ITO.skyBlue,
  open: OKABE_ITO.skyBlue,
  openText: OKABE_ITO.skyBlue,
  streamFill: 'rgba(86, 180, 233, 0.14)',
  frame: '#19c08f',
  heartbeat: '#b9b8c2',
  published: OKABE_ITO.orange,
  publishedEdge: '#f5d27a',
  delivered: '#19c08f',
  lost: '#ecebe8',
  backoff: OKABE_ITO.reddishPurple,
  down: '#9a98a2',
  intervention: '#ecebe8',
  highlight: 'rgba(240, 228, 66, 0.55)',
  hover: 'rgba(86, 180, 233, 0.3)',
  playhead: '#ecebe8',
};
