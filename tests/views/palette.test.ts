/**
 * The diagram's canvas cannot read CSS variables, so its palette repeats the page's colours: this
 * keeps the two the same, in both colour schemes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { darkPalette, lightPalette, type Palette } from '../../src/views/diagram/palette';

const css = readFileSync(new URL('../../src/app.css', import.meta.url), 'utf8');
const darkAt = css.indexOf('@media (prefers-color-scheme: dark)');

/** The value of a custom property in the light (`:root`) or dark block of app.css. */
function token(name: string, scheme: 'light' | 'dark'): string {
  const text = scheme === 'light' ? css.slice(0, darkAt) : css.slice(darkAt);
  const match = new RegExp(`--${name}:\\s*([^;]+);`).exec(text);
  if (!match) throw new Error(`app.css has no --${name} in its ${scheme} colours`);
  return match[1].trim().toLowerCase();
}

describe("the diagram's palette and the page's colours", () => {
  const pairs: { scheme: 'light' | 'dark'; palette: Palette }[] = [
    { scheme: 'light', palette: lightPalette },
    { scheme: 'dark', palette: darkPalette },
  ];
  for (const { scheme, palette } of pairs) {
    it(`${scheme}: the canvas's background, text and muted text are the page's surface, fg and muted`, () => {
      expect(palette.background.toLowerCase()).toBe(token('surface', scheme));
      expect(palette.foreground.toLowerCase()).toBe(token('fg', scheme));
      expect(palette.muted.toLowerCase()).toBe(token('muted', scheme));
    });
  }
});
