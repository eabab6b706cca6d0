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
 * the focused control needs the key: a text field keeps every key but Page Up/Down (a presenter
 * remote), a slider its arrows, Home, End and Page keys, a radio its arrows and Space, a
 * checkbox or a button its Space (and a button Enter).
 */
export function commandFor(event: {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}): Command | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
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
