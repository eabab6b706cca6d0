import { describe, expect, it } from 'vitest';
import { commandFor, diagramCommandFor, SHORTCUTS } from '../../src/views/keyboard';

const el = (tagName: string, type?: string) =>
  ({ tagName, type, isContentEditable: false }) as unknown as EventTarget;

describe('keyboard shortcuts', () => {
  const cases = [
    { key: ' ', expected: 'toggle' },
    { key: 'ArrowRight', expected: 'next' },
    { key: 'ArrowLeft', expected: 'previous' },
    { key: 'PageDown', expected: 'next' },
    { key: 'PageUp', expected: 'previous' },
    { key: '.', expected: 'toggle' },
    { key: '+', expected: 'faster' },
    { key: '-', expected: 'slower' },
    { key: 'Home', expected: 'start' },
    { key: 'End', expected: 'end' },
    { key: 'p', expected: 'polling' },
    { key: 'L', expected: 'long-polling' },
    { key: '?', expected: 'help' },
    { key: 'x', expected: null },
  ];
  for (const { key, expected } of cases) {
    it(`${JSON.stringify(key)} → ${expected}`, () => {
      expect(commandFor({ key, target: el('DIV') })).toBe(expected);
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

  it('lists every command once in the help', () => {
    const commands = SHORTCUTS.map((s) => s.command);
    expect(new Set(commands).size).toBe(commands.length);
  });
});

describe("the focused diagram's keys", () => {
  const cases = [
    { key: '+', expected: 'zoom-in' },
    { key: '=', expected: 'zoom-in' },
    { key: '-', expected: 'zoom-out' },
    { key: '_', expected: 'zoom-out' },
    { key: 'ArrowLeft', expected: 'back' },
    { key: 'ArrowRight', expected: 'on' },
    { key: 'F', expected: 'follow' },
    { key: ' ', expected: null },
    { key: 'PageDown', expected: null },
  ];
  for (const { key, expected } of cases) {
    it(`${JSON.stringify(key)} → ${expected}`, () => {
      expect(diagramCommandFor({ key })).toBe(expected);
    });
  }

  it('leaves keys with a modifier to the browser (Ctrl + zooms the page)', () => {
    expect(diagramCommandFor({ key: '+', ctrlKey: true })).toBeNull();
  });
});
