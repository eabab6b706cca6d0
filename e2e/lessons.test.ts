/**
 * Lessons in a real headless Chromium: a whole lesson walked with the keyboard alone, exercises
 * answered right and wrong, progress kept across a reload, a deep link to a step, and a
 * corrupted progress store.
 */
import AxeBuilder from '@axe-core/playwright';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('lessons', () => {
  it('a deep link opens a step of a lesson', async () => {
    const page = await open('?lesson=02-polling&step=3');
    await expect.poll(() => stepText(page).textContent()).toBe('Step 3 of 4');
    await expect
      .poll(() => lessonRegion(page).getByRole('heading', { level: 2 }).textContent())
      .toBe('A message waits for the next poll');
    // The step ran the simulation until its condition: the first delivery, at 8.1 s (the
    // poll at 8 s reaches the server at 8.05 s and its answer the client at 8.1 s).
    await expect
      .poll(() => page.getByRole('slider', { name: 'Playhead' }).inputValue())
      .toBe('8100');
    await page.close();
  });

  it('a whole lesson with the keyboard alone: right and wrong answers, progress kept after a reload', async () => {
    await browser.context.clearCookies();
    const page = await open('?lesson=02-polling&step=1');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await expect.poll(() => stepText(page).textContent()).toBe('Step 1 of 4');

    // Step 1 → 2 with the presenter remote's Page Down.
    await page.keyboard.press('PageDown');
    await expect.poll(() => stepText(page).textContent()).toBe('Step 2 of 4');
    // Step 2 is a "spot" exercise: choose the right event from the event log with the keyboard.
    const log = page.getByRole('region', { name: 'Event log' });
    const wrongRow = log.getByRole('button', { name: /published/i }).first();
    await wrongRow.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        lessonRegion(page)
          .getByText(/Not that one/)
          .count(),
      )
      .toBe(1);
    const rightRow = log.getByRole('button', { name: /sends request #1\b/i }).first();
    await rightRow.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        lessonRegion(page)
          .getByText(/^Right/)
          .count(),
      )
      .toBe(1);

    // Step 3: predict, wrong then right, typed and submitted with Enter.
    await lessonRegion(page).getByRole('button', { name: 'Next', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => stepText(page).textContent()).toBe('Step 3 of 4');
    const answer = lessonRegion(page).getByRole('textbox', { name: /Your answer/ });
    await answer.focus();
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        lessonRegion(page)
          .getByText(/Not quite: the run gives 30/)
          .count(),
      )
      .toBe(1);
    await answer.fill('');
    await answer.focus();
    await page.keyboard.type('30');
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        lessonRegion(page)
          .getByText(/Right: the run gives 30/)
          .count(),
      )
      .toBe(1);

    // Step 4: choose, with arrow keys in the radio group.
    await page.keyboard.press('PageDown');
    await expect.poll(() => stepText(page).textContent()).toBe('Step 4 of 4');
    const second = lessonRegion(page).getByRole('radio').nth(1);
    await second.focus();
    await page.keyboard.press('Space');
    await lessonRegion(page).getByRole('button', { name: 'Check', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        lessonRegion(page)
          .getByText(/^Not quite/)
          .count(),
      )
      .toBe(1);
    await second.focus();
    await page.keyboard.press('ArrowUp');
    await lessonRegion(page).getByRole('button', { name: 'Check', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        lessonRegion(page)
          .getByText(/^Right/)
          .count(),
      )
      .toBe(1);

    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.screenshot({
      path: path.join(projectRoot, 'screenshots', 'tmp', 'lesson-1280.png'),
      fullPage: true,
    });

    // Reload: progress is kept, and the lesson list says so.
    await page.reload();
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    const entry = page
      .getByRole('navigation', { name: 'Lessons', exact: true })
      .getByRole('button', { name: /Polling/ })
      .first();
    await expect.poll(() => entry.textContent()).toMatch(/4 steps seen, 3 solved/);
    await page.close();
  });

  it('a corrupted progress store is reset with a notice, and the page works', async () => {
    const page = await open('');
    await page.evaluate(() =>
      localStorage.setItem('polling-playground.progress.v1', '{"version":1,"lessons":'),
    );
    await page.goto(site.url + '?lesson=02-polling&step=2');
    await expect.poll(() => page.getByText(/progress could not be read/i).count()).toBe(1);
    await expect.poll(() => stepText(page).textContent()).toBe('Step 2 of 4');
    const stored = await page.evaluate(() =>
      localStorage.getItem('polling-playground.progress.v1'),
    );
    expect(JSON.parse(stored!)).toMatchObject({ version: 1 });
    await page.close();
  });
});

describe('every lesson is accessible', () => {
  const ids = readdirSync(path.join(projectRoot, 'lessons')).sort();
  for (const id of ids) {
    it(`${id}: axe finds no violations on any step (teacher mode, so notes and answers show too)`, async () => {
      const page = await open(`?lesson=${id}&step=1&teacher=1`);
      await expect.poll(() => stepText(page).count()).toBe(1);
      const total = Number(/of (\d+)/.exec((await stepText(page).textContent()) ?? '')?.[1]);
      expect(total).toBeGreaterThan(0);
      for (let step = 1; step <= total; step++) {
        await expect.poll(() => stepText(page).textContent()).toBe(`Step ${step} of ${total}`);
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
