/**
 * What one frame of the sequence diagram shows: the run, its layout, the lanes, the time in view,
 * the playhead and the emphasis. Every drawing pass reads it and none writes it.
 */
import type { Run } from '../../sim';
import type { ClientActivity, SequenceLayout } from '../sequenceLayout';
import type { Lanes, TimeView } from './lanes';
import type { Palette } from './palette';
import type { ShapeContext } from './shapes';

export interface Scene extends ShapeContext {
  run: Run;
  layout: SequenceLayout;
  lanes: Lanes;
  view: TimeView;
  nowMs: number;
  /** Marks overlapping the view and started by the playhead. */
  visible: ArrayLike<number>;
  /** Marks to emphasise (a lesson's highlight), by mark index; null for none. */
  emphasis: Uint8Array | null;
  /** The hovered or focused mark, or -1. */
  hover: number;
  palette: Palette;
  activity: ClientActivity | null;
  /** Times of the axis ticks, for light vertical grid lines. */
  ticks: readonly number[];
  /** Device pixels per CSS pixel. */
  dpr: number;
}
