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

export interface Shortcut {
  keys: string[];
  /** What the help dialog shows, e.g. "Space". */
  label: string;
  command: Command;
  description: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: [' ', '.', 'b'], label: 'Space or .', command: 'toggle', description: 'Play or pause' },
  {
    keys: ['ArrowRight', 'PageDown'],
    label: '→ or Page Down',
    command: 'next',
    description: 'Step to the next event',
  },
  {
    keys: ['ArrowLeft', 'PageUp'],
    label: '← or Page Up',
    command: 'previous',
    description: 'Step to the previous event',
  },
  { keys: ['+', '='], label: '+', command: 'faster', description: 'Play faster' },
  { keys: ['-', '_'], label: '−', command: 'slower', description: 'Play slower' },
  { keys: ['Home'], label: 'Home', command: 'start', description: 'Jump to the start' },
  { keys: ['End'], label: 'End', command: 'end', description: 'Jump to the end' },
  { keys: ['p', 'P'], label: 'P', command: 'polling', description: 'Switch to polling now' },
  {
    keys: ['l', 'L'],
    label: 'L',
    command: 'long-polling',
    description: 'Switch to long polling now',
  },
  { keys: ['u', 'U'], label: 'U', command: 'undo', description: 'Undo the last change' },
  { keys: ['f', 'F'], label: 'F', command: 'follow', description: 'Follow the playhead again' },
  { keys: ['?'], label: '?', command: 'help', description: 'Show these shortcuts' },
];

const byKey = new Map(SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.command] as const)));

export type DiagramCommand = 'zoom-in' | 'zoom-out' | 'back' | 'on' | 'follow';

/**
 * Keys of the focused sequence diagram. They take the key from the page: + zooms in rather than
 * playing faster, and → moves the view rather than stepping.
 */
export const DIAGRAM_SHORTCUTS: (Omit<Shortcut, 'command'> & { command: DiagramCommand })[] = [
  { keys: ['+', '='], label: '+', command: 'zoom-in', description: 'Zoom in: show less time' },
  { keys: ['-', '_'], label: '−', command: 'zoom-out', description: 'Zoom out: show more time' },
  { keys: ['ArrowLeft'], label: '←', command: 'back', description: 'Move back in time' },
  { keys: ['ArrowRight'], label: '→', command: 'on', description: 'Move on in time' },
  { keys: ['f', 'F'], label: 'F', command: 'follow', description: 'Follow the playhead again' },
];

const diagramByKey = new Map(
  DIAGRAM_SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.command] as const)),
);

/** The focused diagram's command for a key press, or null (a modifier is held, or not its key). */
export function diagramCommandFor(event: {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}): DiagramCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  return diagramByKey.get(event.key) ?? null;
}

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
export function commandFor(event: {
  key: string;
  defaultPrevented?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}): Command | null {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null;
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
