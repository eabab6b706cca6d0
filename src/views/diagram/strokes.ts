/**
 * How each kind of arrow is stroked: its width, dash and head. The canvas draws with this table
 * and the legend draws its samples from it, so the two cannot disagree.
 */
export type ArrowStyle = 'request' | 'messages' | 'empty' | 'error';
/** The order in which the styles are stroked: the messages last, on top. */
export const ARROW_STYLES: ArrowStyle[] = ['request', 'empty', 'error', 'messages'];

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
};
