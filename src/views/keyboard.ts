/**
 * Keyboard shortcuts of the playground, as data: the help dialog lists this table and the
 * handler looks keys up in it. Presenter remotes send PageUp, PageDown and "." (or "b").
 */
export type Command =
  | 'toggle'
  | 'next'
  | 'previous'
  | 'faster'
  | 'slower'
  | 'start'
  | 'end'
  | 'polling'
  | 'long-polling'
  | 'undo'
  | 'follow'
  | 'help';

export interface Shortcut<C extends string = Command> {
  keys: string[];
  /** What the help dialog shows, e.g. "Space". */
  label: string;
  command: C;
  description: string;
}

/** A shortcut: its command, its label in the help and what it does, then its keys. */
function shortcut<C extends string>(
  command: C,
  label: string,
  description: string,
  ...keys: string[]
): Shortcut<C> {
  return { keys, label, command, description };
}

/** From a key to its command, in one table of shortcuts. */
function commandsByKey<C extends string>(table: Shortcut<C>[]): Map<string, C> {
  return new Map(table.flatMap((s) => s.keys.map((k) => [k, s.command] as const)));
}

export const SHORTCUTS: Shortcut[] = [
  shortcut('toggle', 'Space or .', 'Play or pause', ' ', '.', 'b'),
  shortcut('next', '→ or Page Down', 'Step to the next event', 'ArrowRight', 'PageDown'),
  shortcut('previous', '← or Page Up', 'Step to the previous event', 'ArrowLeft', 'PageUp'),
  shortcut('faster', '+', 'Play faster', '+', '='),
  shortcut('slower', '−', 'Play slower', '-', '_'),
  shortcut('start', 'Home', 'Jump to the start', 'Home'),
  shortcut('end', 'End', 'Jump to the end', 'End'),
  shortcut('polling', 'P', 'Switch to polling now', 'p', 'P'),
  shortcut('long-polling', 'L', 'Switch to long polling now', 'l', 'L'),
  shortcut('undo', 'U', 'Undo the last change', 'u', 'U'),
  shortcut('follow', 'F', 'Follow the playhead again', 'f', 'F'),
  shortcut('help', '?', 'Show these shortcuts', '?'),
];

const byKey = commandsByKey(SHORTCUTS);

export type DiagramCommand = 'zoom-in' | 'zoom-out' | 'back' | 'on' | 'follow';

/**
 * Keys of the focused sequence diagram. They take the key from the page: + zooms in rather than
 * playing faster, and → moves the view rather than stepping.
 */
export const DIAGRAM_SHORTCUTS: Shortcut<DiagramCommand>[] = [
  shortcut('zoom-in', '+', 'Zoom in: show less time', '+', '='),
  shortcut('zoom-out', '−', 'Zoom out: show more time', '-', '_'),
  shortcut('back', '←', 'Move back in time', 'ArrowLeft'),
  shortcut('on', '→', 'Move on in time', 'ArrowRight'),
  shortcut('follow', 'F', 'Follow the playhead again', 'f', 'F'),
];

const diagramByKey = commandsByKey(DIAGRAM_SHORTCUTS);

/** What a key handler reads of a keyboard event. */
interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** A key with Ctrl, Cmd or Alt is the browser's (Ctrl + zooms the page). */
const withModifier = (event: KeyPress) => event.ctrlKey || event.metaKey || event.altKey;

/** Keys that a focused control uses itself, by its kind. */
const RANGE_KEYS = new Set([
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);
const ARROWS_AND_SPACE = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', ' ']);
const TEXT_INPUT_TYPES = new Set(['text', 'number', 'search', 'email', 'url', 'tel', 'password']);

/**
 * The command for a key press, or null when the key is not a shortcut, a modifier is held, or
 * the focused element has the key. An element that handled the key itself says so with
 * `preventDefault()` (the focused diagram zooms with + and −, and pans with ← and →), so the
 * page must not also speed up or step. A text field keeps every key but Page Up/Down (a
 * presenter remote), a slider its arrows, Home, End and Page keys, a radio its arrows and Space,
 * a checkbox or a button its Space (and a button Enter), whether or not it prevents the default.
 */
export function commandFor(
  event: KeyPress & { defaultPrevented?: boolean; target?: EventTarget | null },
): Command | null {
  if (event.defaultPrevented || withModifier(event)) return null;
  const { key } = event;
  const target = event.target as (HTMLElement & { type?: string }) | null | undefined;
  const tag = target && typeof target.tagName === 'string' ? target.tagName : '';
  const type = (target?.type ?? '').toLowerCase();
  if (
    tag === 'TEXTAREA' ||
    tag === 'SELECT' ||
    target?.isContentEditable ||
    (tag === 'INPUT' && TEXT_INPUT_TYPES.has(type || 'text'))
  ) {
    if (key !== 'PageUp' && key !== 'PageDown') return null;
  } else if (tag === 'INPUT' && type === 'range') {
    if (RANGE_KEYS.has(key)) return null;
  } else if (tag === 'INPUT' && type === 'radio') {
    if (ARROWS_AND_SPACE.has(key)) return null;
  } else if ((tag === 'INPUT' && type === 'checkbox') || tag === 'BUTTON' || tag === 'SUMMARY') {
    if (key === ' ' || key === 'Enter') return null;
  }
  return byKey.get(key) ?? null;
}

/** The focused diagram's command for a key press, or null (a modifier is held, or not its key). */
export function diagramCommandFor(event: KeyPress): DiagramCommand | null {
  if (withModifier(event)) return null;
  return diagramByKey.get(event.key) ?? null;
}
