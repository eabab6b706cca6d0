/**
 * The page's keyboard shortcuts and the focused diagram's keys, on the whole page: a key is
 * handled once, by the diagram when it has focus, by the page otherwise.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/App.svelte';

// jsdom has no canvas; the diagram copes with a null context.
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const plot = () => screen.getByRole('group', { name: /^Sequence diagram/ });
const speed = () => screen.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext');
const playheadMs = () =>
  Number(screen.getByRole<HTMLInputElement>('slider', { name: 'Playhead' }).value);
const follow = () => screen.getByRole('button', { name: 'Follow playhead' });
/** The seconds written along the diagram's time axis, e.g. [2, 4, 6]. */
const axisSeconds = () =>
  [...document.querySelectorAll('.axes .tick text')].map((t) => parseFloat(t.textContent!));

/** The page with its playhead a few events into the default run. */
async function page() {
  render(App);
  for (let i = 0; i < 4; i++) await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
  const at = playheadMs();
  expect(at).toBeGreaterThan(0);
  plot().focus();
  return at;
}

describe('keys on the focused diagram', () => {
  /** What the view shows: the span between the first and last tick, and the first tick, in s. */
  const shown = () => ({ span: axisSeconds().at(-1)! - axisSeconds()[0], first: axisSeconds()[0] });
  type Shown = ReturnType<typeof shown>;
  const keys = [
    { key: '+', does: 'zooms in', moved: (a: Shown, b: Shown) => b.span < a.span },
    { key: '=', does: 'zooms in', moved: (a: Shown, b: Shown) => b.span < a.span },
    { key: '-', does: 'zooms out', moved: (a: Shown, b: Shown) => b.span > a.span },
    { key: '_', does: 'zooms out', moved: (a: Shown, b: Shown) => b.span > a.span },
    { key: 'ArrowLeft', does: 'pans back', moved: (a: Shown, b: Shown) => b.first < a.first },
    { key: 'ArrowRight', does: 'pans on', moved: (a: Shown, b: Shown) => b.first > a.first },
  ];
  for (const { key, does, moved } of keys) {
    it(`page keys: ${key} on the focused diagram ${does}, and neither changes the speed nor steps`, async () => {
      const at = await page();
      const before = shown();

      await fireEvent.keyDown(plot(), { key });

      expect(moved(before, shown()), JSON.stringify([before, shown()])).toBe(true);
      expect(follow()).toHaveAttribute('aria-pressed', 'false');
      expect(speed()).toBe('1×');
      expect(playheadMs()).toBe(at);
    });
  }

  it('page keys: away from the diagram, + and − change the speed and the arrows step', async () => {
    const at = await page();
    plot().blur();

    await fireEvent.keyDown(document.body, { key: '+' });
    expect(speed()).toBe('2×');
    await fireEvent.keyDown(document.body, { key: '-' });
    await fireEvent.keyDown(document.body, { key: '-' });
    expect(speed()).toBe('0.5×');
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(playheadMs()).toBeGreaterThan(at);
    await fireEvent.keyDown(document.body, { key: 'ArrowLeft' });
    expect(playheadMs()).toBe(at);
    expect(follow()).toHaveAttribute('aria-pressed', 'true');
  });
});
