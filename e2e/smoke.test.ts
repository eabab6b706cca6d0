import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, projectRoot, startPreview, type Browser, type Preview } from './harness.ts';

const screenshotDir = path.join(projectRoot, 'screenshots', 'tmp');
// The committed picture of the page is refreshed only on purpose, never by an ordinary run.
const updateDocsScreenshot = process.env.UPDATE_SCREENSHOTS === '1';

const viewports = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

let site: Preview;
let browser: Browser;

beforeAll(async () => {
  await mkdir(screenshotDir, { recursive: true });
  site = await startPreview();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

for (const { name, width, height } of viewports) {
  describe(`smoke: ${name} (${width}×${height})`, () => {
    it(`smoke: ${name}: shows the heading and the requests of both modes, with no errors`, async () => {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.setViewportSize({ width, height });
      await page.goto(site.url);

      await expect
        .poll(() => page.getByRole('heading', { level: 1, name: 'Polling Playground' }).isVisible())
        .toBe(true);
      const metrics = page.getByRole('region', { name: 'Metrics' });
      for (const caption of ['Polling', 'Long polling']) {
        const requests = metrics
          .getByRole('table', { name: caption, exact: true })
          .getByRole('row', { name: /^Requests\b/ })
          .getByRole('cell');
        expect(await requests.textContent()).toMatch(/^\d[\d,]*$/);
      }

      // Nothing may stick out sideways: a phone reader should never scroll horizontally.
      const overflowPx = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflowPx).toBe(0);

      await page.screenshot({
        path: path.join(screenshotDir, `smoke-${name}.png`),
        fullPage: true,
      });
      if (updateDocsScreenshot && name === 'desktop') {
        await mkdir(path.join(projectRoot, 'docs'), { recursive: true });
        await page.screenshot({ path: path.join(projectRoot, 'docs', 'screenshot.png') });
      }

      expect(errors).toEqual([]);
      await page.close();
    });

    it(`smoke: ${name}: axe finds no accessibility violations`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(site.url);
      await page.getByRole('region', { name: 'Metrics' }).waitFor();

      const results = await new AxeBuilder({ page }).analyze();

      // Listing each violation's id and targets makes a failure say what to fix.
      const violations = results.violations.map((violation) => ({
        id: violation.id,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      }));
      expect(violations).toEqual([]);
      await page.close();
    });
  });
}
