/**
 * Lessons in a real headless Chromium: a whole lesson walked with the keyboard alone, exercises
 * answered right and wrong, progress kept across a reload, a deep link to a step, and a
 * corrupted progress store.
 */
import AxeBuilder from '@axe-core/playwright';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readContent } from '../scripts/content.ts';
import { launchBrowser, projectRoot, startPreview, type Browser, type Preview } from './harness.ts';

let site: Preview;
let browser: Browser;

beforeAll(async () => {
  site = await startPreview();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(query: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(site.url + query);
  return page;
}

const lessonRegion = (page: Page) => page.getByRole('region', { name: 'Lesson' });
const stepText = (page: Page) => lessonRegion(page).getByText(/^Step \d+ of \d+$/);
const stepHeading = (page: Page) => lessonRegion(page).getByRole('heading', { level: 2 });

/** `expect.poll` with the page's action timeout rather than vitest's 1 s, for a loaded machine. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });

/**
 * "focused" when `el` has the keyboard focus, else the focused element in a few words, to say
 * where the focus went when a test fails. Runs in the page.
 */
function focusOn(el: Element | null): string {
  const active = document.activeElement;
  if (el && active === el) return 'focused';
  if (!active || active === document.body) return 'the page';
  const name =
    active.getAttribute('aria-label') ??
    (active as HTMLInputElement).labels?.[0]?.textContent ??
    active.textContent ??
    '';
  return `${active.tagName.toLowerCase()} "${name.replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would, and fails
 * naming every stop on the way if it does not get there in `max` presses. The target is found
 * once, not after every press: finding a button by its accessible name among the diagram's and
 * the log's hundreds takes longer than the key press itself.
 */
async function tabTo(
  page: Page,
  target: Locator,
  { back = false, max = 120 }: { back?: boolean; max?: number } = {},
): Promise<void> {
  let element = await target.elementHandle();
  const stops: string[] = [];
  for (let n = 0; n < max; n++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    // A re-render may have replaced the target: find it again.
    if (!(await element.evaluate((el) => el.isConnected))) {
      await element.dispose();
      element = await target.elementHandle();
    }
    const stop = await element.evaluate(focusOn);
    if (stop === 'focused') {
      await element.dispose();
      return;
    }
    stops.push(stop);
  }
  await element.dispose();
  throw new Error(
    `${back ? 'Shift+Tab' : 'Tab'} did not reach ${target} in ${max} presses; ` +
      `the focus went to: ${stops.join(' → ')}`,
  );
}

/** Asserts that `target` has the keyboard focus, naming what has it instead if not. */
async function expectFocused(target: Locator): Promise<void> {
  await poll(() => target.evaluate(focusOn)).toBe('focused');
}

/** How many times a text shows in the lesson's region. */
const countInLesson = (page: Page, text: RegExp) => () =>
  lessonRegion(page).getByText(text).count();

describe('lessons', () => {
  it('a deep link opens a step of a lesson', async () => {
    const page = await open('?lesson=02-polling&step=3');
    await poll(() => stepText(page).textContent()).toBe('Step 3 of 4');
    await poll(() => stepHeading(page).textContent()).toBe('A message waits for the next poll');
    // The step ran the simulation until its condition: the first delivery, at 8.1 s (the
    // poll at 8 s reaches the server at 8.05 s and its answer the client at 8.1 s).
    await poll(() => page.getByRole('slider', { name: 'Playhead' }).inputValue()).toBe('8100');
    await page.close();
  });

  it('the address keeps the lesson and step while the lesson is still loading', async () => {
    // A reload or a copied link in that moment must not lose the student's place.
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { addresses: string[] }).addresses = seen;
      const replace = history.replaceState.bind(history);
      history.replaceState = (data, unused, url) => {
        seen.push(String(url));
        replace(data, unused, url);
      };
    });
    await page.goto(site.url + '?lesson=02-polling&step=3');
    await poll(() => stepText(page).textContent()).toBe('Step 3 of 4');
    const addresses = await page.evaluate(
      () => (window as unknown as { addresses: string[] }).addresses,
    );
    for (const address of addresses) expect(address).toContain('lesson=02-polling');
    expect(page.url()).toContain('lesson=02-polling&step=3');
    await page.close();
  });

  it('a whole lesson with the keyboard alone: right and wrong answers, progress kept after a reload', async () => {
    await browser.context.clearCookies();
    const page = await open('?lesson=02-polling&step=1');
    // Wait for the lesson before reloading: until it has loaded, the address has no `?lesson=`
    // (App.svelte's address effect drops it while the lesson loads), and a reload then opens
    // the bare playground. Under CPU load that window is a few hundred milliseconds wide.
    await poll(() => stepText(page).textContent()).toBe('Step 1 of 4');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await poll(() => stepText(page).textContent()).toBe('Step 1 of 4');
    // Opening a step puts the reader at its heading.
    await expectFocused(stepHeading(page));

    // Step 1 → 2 with the presenter remote's Page Down.
    await page.keyboard.press('PageDown');
    await poll(() => stepText(page).textContent()).toBe('Step 2 of 4');
    await poll(() => stepHeading(page).textContent()).toBe('Most answers are empty');
    await expectFocused(stepHeading(page));

    // Step 2 is a "spot" exercise: choose the right event from the event log with the keyboard,
    // tabbing forward from the heading through the diagram and the controls into the log.
    const log = page.getByRole('region', { name: 'Event log' });
    const wrongRow = log.getByRole('button', { name: /published/i }).first();
    await tabTo(page, wrongRow);
    await expectFocused(wrongRow);
    await page.keyboard.press('Enter');
    await poll(countInLesson(page, /Not that one/)).toBe(1);
    // The first request is earlier in the log: back up to it.
    const rightRow = log.getByRole('button', { name: /sends request #1\b/i }).first();
    await tabTo(page, rightRow, { back: true });
    await expectFocused(rightRow);
    await page.keyboard.press('Enter');
    await poll(countInLesson(page, /^Right/)).toBe(1);

    // Step 3 with the lesson's Next button, back up the page from the log.
    const next = lessonRegion(page).getByRole('button', { name: 'Next', exact: true });
    await tabTo(page, next, { back: true });
    await expectFocused(next);
    await page.keyboard.press('Enter');
    await poll(() => stepText(page).textContent()).toBe('Step 3 of 4');
    await expectFocused(stepHeading(page));

    // Step 3: predict, wrong then right, typed and submitted with Enter.
    const answer = lessonRegion(page).getByRole('textbox', { name: /Your answer/ });
    await tabTo(page, answer);
    await expectFocused(answer);
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    await poll(countInLesson(page, /Not quite: the run gives 30/)).toBe(1);
    // The answer keeps the focus: select what was typed and type over it.
    await expectFocused(answer);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('30');
    expect(await answer.inputValue()).toBe('30');
    await page.keyboard.press('Enter');
    await poll(countInLesson(page, /Right: the run gives 30/)).toBe(1);

    // Step 4 with Page Down, which a text field lets through for a presenter remote.
    await page.keyboard.press('PageDown');
    await poll(() => stepText(page).textContent()).toBe('Step 4 of 4');
    await expectFocused(stepHeading(page));

    // Step 4: choose, with arrow keys in the radio group. Tab enters the group at its first
    // option (none is chosen yet); the down arrow moves to the second and chooses it.
    const radios = lessonRegion(page).getByRole('radio');
    const check = lessonRegion(page).getByRole('button', { name: 'Check', exact: true });
    await tabTo(page, radios.first());
    await expectFocused(radios.first());
    await page.keyboard.press('ArrowDown');
    await expectFocused(radios.nth(1));
    expect(await radios.nth(1).isChecked()).toBe(true);
    // Tab leaves the group for its Check button.
    await page.keyboard.press('Tab');
    await expectFocused(check);
    await page.keyboard.press('Enter');
    await poll(countInLesson(page, /^Not quite/)).toBe(1);
    // Shift+Tab returns to the group at the chosen option; the up arrow chooses the first.
    await page.keyboard.press('Shift+Tab');
    await expectFocused(radios.nth(1));
    await page.keyboard.press('ArrowUp');
    await expectFocused(radios.first());
    expect(await radios.first().isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await expectFocused(check);
    await page.keyboard.press('Enter');
    await poll(countInLesson(page, /^Right/)).toBe(1);

    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.screenshot({
      path: path.join(projectRoot, 'screenshots', 'tmp', 'lesson-1280.png'),
      fullPage: true,
    });

    // Reload: progress is kept, and the lesson list says so. From the step's heading, back up
    // to the Lessons button in the page's header.
    await page.reload();
    await poll(() => stepText(page).textContent()).toBe('Step 4 of 4');
    await expectFocused(stepHeading(page));
    const lessons = page.getByRole('button', { name: 'Lessons', exact: true });
    await tabTo(page, lessons, { back: true });
    await expectFocused(lessons);
    await page.keyboard.press('Enter');
    const entry = page
      .getByRole('navigation', { name: 'Lessons', exact: true })
      .getByRole('button', { name: /Polling/ })
      .first();
    await poll(() => entry.textContent()).toMatch(/4 steps seen, 3 solved/);
    await page.close();
  });

  it('a corrupted progress store is reset with a notice, and the page works', async () => {
    const page = await open('');
    await page.evaluate(() =>
      localStorage.setItem('polling-playground.progress.v1', '{"version":1,"lessons":'),
    );
    await page.goto(site.url + '?lesson=02-polling&step=2');
    await poll(() => page.getByText(/progress could not be read/i).count()).toBe(1);
    await poll(() => stepText(page).textContent()).toBe('Step 2 of 4');
    const stored = await page.evaluate(() =>
      localStorage.getItem('polling-playground.progress.v1'),
    );
    expect(JSON.parse(stored!)).toMatchObject({ version: 1 });
    await page.close();
  });
});

describe('every lesson is accessible', () => {
  const ids = readContent(projectRoot).lessons.map((l) => l.id);
  for (const id of ids) {
    it(`${id}: axe finds no violations on any step (teacher mode, so notes and answers show too)`, async () => {
      const page = await open(`?lesson=${id}&step=1&teacher=1`);
      await poll(() => stepText(page).count()).toBe(1);
      const total = Number(/of (\d+)/.exec((await stepText(page).textContent()) ?? '')?.[1]);
      expect(total).toBeGreaterThan(0);
      for (let step = 1; step <= total; step++) {
        await poll(() => stepText(page).textContent()).toBe(`Step ${step} of ${total}`);
        // The whole page once; then the lesson's own region, which is what changes from step to step.
        const axe = new AxeBuilder({ page });
        const results = await (
          step === 1 ? axe : axe.include('section[aria-label="Lesson"]')
        ).analyze();
        expect(results.violations.map((v) => `step ${step}: ${v.id}: ${v.help}`)).toEqual([]);
        // The presenter remote's key, as a teacher moves through a lesson.
        if (step < total) await page.keyboard.press('PageDown');
      }
      await page.close();
    }, 180_000);
  }
});
