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

/** Elements where keys belong to the element itself: typing, choosing, sliding. */
const OWN_KEYS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/**
 * The command for a key press, or null when the key is not a shortcut, a modifier is held, or
 * the focus is in a field that needs its keys (a radio group keeps its arrows, a slider its
 * arrows and Home/End, a button its Space).
 */
export function commandFor(event: {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}): Command | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as HTMLElement | null | undefined;
  if (target && typeof target.tagName === 'string') {
    if (OWN_KEYS.has(target.tagName) || target.isContentEditable) {
      // Fields keep their keys; Page Up/Down still reach a presenter's slides.
      if (event.key !== 'PageUp' && event.key !== 'PageDown') return null;
    }
    if (target.tagName === 'BUTTON' && (event.key === ' ' || event.key === 'Enter')) return null;
  }
  return byKey.get(event.key) ?? null;
}
