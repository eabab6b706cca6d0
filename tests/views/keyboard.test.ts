import { describe, expect, it } from 'vitest';
import { commandFor, diagramCommandFor, SHORTCUTS } from '../../src/views/keyboard';

const el = (tagName: string, type?: string) =>
  ({ tagName, type, isContentEditable: false }) as unknown as EventTarget;

describe('keyboard shortcuts', () => {
  // What a key does on the page, and what it does while the sequence diagram has focus.
  const cases = [
    { key: ' ', page: 'toggle', diagram: null },
    { key: 'ArrowRight', page: 'next', diagram: 'on' },
    { key: 'ArrowLeft', page: 'previous', diagram: 'back' },
    { key: 'PageDown', page: 'next', diagram: null },
    { key: 'PageUp', page: 'previous', diagram: null },
    { key: '.', page: 'toggle', diagram: null },
    { key: '+', page: 'faster', diagram: 'zoom-in' },
    { key: '=', page: 'faster', diagram: 'zoom-in' },
    { key: '-', page: 'slower', diagram: 'zoom-out' },
    { key: '_', page: 'slower', diagram: 'zoom-out' },
    { key: 'Home', page: 'start', diagram: null },
    { key: 'End', page: 'end', diagram: null },
    { key: 'p', page: 'polling', diagram: null },
    { key: 'L', page: 'long-polling', diagram: null },
    { key: 'F', page: 'follow', diagram: 'follow' },
    { key: '?', page: 'help', diagram: null },
    { key: 'x', page: null, diagram: null },
  ];
  for (const { key, page, diagram } of cases) {
    it(`${JSON.stringify(key)} → ${page} on the page, ${diagram} on the focused diagram`, () => {
      expect(commandFor({ key, target: el('DIV') })).toBe(page);
      expect(diagramCommandFor({ key })).toBe(diagram);
    });
  }

  it('leaves keys alone in a text field, but a presenter remote still steps', () => {
    expect(commandFor({ key: 'p', target: el('INPUT') })).toBeNull();
    expect(commandFor({ key: 'ArrowRight', target: el('INPUT') })).toBeNull();
    expect(commandFor({ key: 'PageDown', target: el('INPUT') })).toBe('next');
  });

  it('leaves a slider its arrows and Home/End, a radio its arrows, but lets other shortcuts through', () => {
    expect(commandFor({ key: 'ArrowRight', target: el('INPUT', 'range') })).toBeNull();
    expect(commandFor({ key: 'End', target: el('INPUT', 'range') })).toBeNull();
    expect(commandFor({ key: ' ', target: el('INPUT', 'range') })).toBe('toggle');
    expect(commandFor({ key: 'ArrowLeft', target: el('INPUT', 'radio') })).toBeNull();
    expect(commandFor({ key: 'End', target: el('INPUT', 'radio') })).toBe('end');
    expect(commandFor({ key: 'l', target: el('INPUT', 'checkbox') })).toBe('long-polling');
    expect(commandFor({ key: 'l', target: el('INPUT', 'number') })).toBeNull();
  });

  it('leaves Space to a focused button, and shortcuts with modifiers to the browser', () => {
    expect(commandFor({ key: ' ', target: el('BUTTON') })).toBeNull();
    expect(commandFor({ key: 'ArrowRight', target: el('BUTTON') })).toBe('next');
    expect(commandFor({ key: 'l', ctrlKey: true, target: el('DIV') })).toBeNull();
  });

  it('leaves a key that the focused element already handled (the diagram zooms with + and pans with →)', () => {
    for (const key of ['+', '-', 'ArrowLeft', 'ArrowRight']) {
      expect(commandFor({ key, defaultPrevented: true, target: el('DIV') })).toBeNull();
      expect(commandFor({ key, defaultPrevented: false, target: el('DIV') })).not.toBeNull();
    }
  });

  it('leaves keys with a modifier to the browser (Ctrl + zooms the page)', () => {
    expect(diagramCommandFor({ key: '+', ctrlKey: true })).toBeNull();
  });

  it('lists every command once in the help', () => {
    const commands = SHORTCUTS.map((s) => s.command);
    expect(new Set(commands).size).toBe(commands.length);
  });
});
