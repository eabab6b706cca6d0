/**
 * The playground as a student and a teacher use it, in a real headless Chromium: by role and
 * accessible name, with the mouse and with the keyboard alone.
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, simulate } from '../src/sim/index.ts';
import { encodeShare } from '../src/views/share.ts';
import { launchBrowser, projectRoot, startPreview, type Browser, type Preview } from './harness.ts';

const screenshotDir = path.join(projectRoot, 'screenshots', 'tmp');
const updateDocsScreenshot = process.env.UPDATE_SCREENSHOTS === '1';

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

async function open(
  query = '',
  size = { width: 1280, height: 800 },
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.setDefaultTimeout(15_000);
  await page.setViewportSize(size);
  await page.goto(site.url + query);
  await page.getByRole('region', { name: 'Sequence diagram' }).waitFor();
  return { page, errors };
}

const playhead = (page: Page) => page.getByRole('slider', { name: 'Playhead' });
const playheadMs = async (page: Page) => Number(await playhead(page).inputValue());
/** The number on the metrics panel's tile for a metric, e.g. "Requests". */
async function metric(page: Page, name: RegExp): Promise<number> {
  const tile = page
    .getByRole('region', { name: 'Metrics' })
    .locator('.tile')
    .filter({ has: page.getByRole('term').filter({ hasText: name }) })
    .first();
  const text = (await tile.locator('.value').textContent()) ?? '';
  return Number(text.replace(/[^\d.]/g, ''));
}

describe('playground', () => {
  it('loads with the diagram, metrics, controls and event log, and no errors', async () => {
    const { page, errors } = await open();
    for (const name of ['Sequence diagram', 'Metrics', 'Controls', 'Event log']) {
      await expect.poll(() => page.getByRole('region', { name }).isVisible()).toBe(true);
    }
    await expect
      .poll(() => page.getByRole('radio', { name: 'Polling', exact: true }).isChecked())
      .toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, 'playground-1280.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('plays and pauses', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => playheadMs(page)).toBeGreaterThan(300);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const paused = await playheadMs(page);
    await page.waitForTimeout(400);
    expect(await playheadMs(page)).toBe(paused);
    await page.close();
  });

  it('steps forward and back through events', async () => {
    const { page } = await open();
    const step = page.getByRole('button', { name: 'Step forward' });
    await step.click();
    await step.click();
    await step.click();
    const third = await playheadMs(page);
    expect(third).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Step back' }).click();
    const back = await playheadMs(page);
    expect(back).toBeLessThan(third);
    expect(back).toBeGreaterThan(0);
    await page.close();
  });

  it('switching to long polling mid-run keeps the past, marks the change and changes the future; undo takes it back', async () => {
    const { page } = await open();
    await playhead(page).fill('20000');
    const requestsAt20s = await metric(page, /^Requests$/);
    await page.getByRole('radio', { name: 'Long polling', exact: true }).check();
    // The playhead moves onto the change, one millisecond on; the past is the same.
    expect(await playheadMs(page)).toBe(20_001);
    expect(await metric(page, /^Requests$/)).toBe(requestsAt20s);
    const log = page.getByRole('region', { name: 'Event log' });
    await expect.poll(() => log.getByText(/long polling/i).count()).toBeGreaterThan(0);
    // The diagram marks the change with a rule whose accessible name says what changed.
    const rule = page
      .getByRole('region', { name: 'Sequence diagram' })
      .getByRole('button', { name: /Intervention at 20\.0\d s: → long polling/ });
    await expect.poll(() => rule.count()).toBe(1);
    // A different future: fewer requests by the end than polling would have made.
    await page.keyboard.press('End');
    const requestsWithSwitch = await metric(page, /^Requests$/);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.keyboard.press('End');
    const requestsPolling = await metric(page, /^Requests$/);
    expect(requestsWithSwitch).toBeLessThan(requestsPolling);
    await expect
      .poll(() => page.getByRole('radio', { name: 'Polling', exact: true }).isChecked())
      .toBe(true);
    await page.close();
  });

  it('a teacher sets a rate limit mid-run: refusals show as 429 in the diagram, the log and the metrics', async () => {
    const { page, errors } = await open();
    await playhead(page).fill('20000');
    // The default client polls every 2 s, 30 a minute: a limit of 20 with a burst of 1 bites.
    const burst = page.getByRole('textbox', { name: 'Rate-limit burst (requests)' });
    await expect.poll(() => burst.isDisabled()).toBe(true);
    const rate = page.getByRole('textbox', { name: 'Rate limit per client (per min)' });
    await rate.fill('20');
    await rate.press('Enter');
    await expect.poll(() => burst.isDisabled()).toBe(false);
    await burst.fill('1');
    await burst.press('Enter');
    await playhead(page).fill('40000');
    const diagram = page.getByRole('region', { name: 'Sequence diagram' });
    await expect
      .poll(() =>
        diagram.getByRole('button', { name: /^Error response 429 Too Many Requests/ }).count(),
      )
      .toBeGreaterThan(0);
    const log = page.getByRole('region', { name: 'Event log' });
    await expect
      .poll(() =>
        log
          .getByText(
            /429 Too Many Requests: client 1 is over the rate limit \(20 requests a minute, burst 1\)/,
          )
          .count(),
      )
      .toBeGreaterThan(0);
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'Metrics' })
          .getByText(/rate limited \(429\)/)
          .count(),
      )
      .toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('compares both modes on the same workload', async () => {
    const { page } = await open();
    await page.getByRole('checkbox', { name: 'Compare both modes' }).check();
    const compare = page.getByRole('region', { name: 'Compare' });
    await compare.waitFor();
    await expect.poll(() => compare.getByRole('table').count()).toBeGreaterThan(0);
    await page.keyboard.press('End');
    await expect.poll(() => compare.getByText(/fewer requests/i).count()).toBeGreaterThan(0);
    await page.screenshot({
      path: path.join(screenshotDir, 'playground-compare.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('a share link reopens the same run, interventions included', async () => {
    const { page } = await open();
    await playhead(page).fill('15000');
    await page.getByRole('radio', { name: 'Long polling', exact: true }).check();
    await page.getByRole('button', { name: 'Copy share link' }).click();
    await expect.poll(() => page.url()).toContain('?s=');
    await page.keyboard.press('End');
    const requests = await metric(page, /^Requests$/);
    const { page: second, errors } = await open(page.url().slice(site.url.length));
    await second.keyboard.press('End');
    expect(await metric(second, /^Requests$/)).toBe(requests);
    expect(errors).toEqual([]);
    await page.close();
    await second.close();
  });

  it("the browser's run of a scenario is Node's, event for event", async () => {
    // Every random stream (start offsets, network delays and loss, Poisson gaps, jittered
    // backoff) and every kind of event: a restart, a proxy, limits, and two interventions.
    const s = scenario({
      seed: 20261128,
      clients: 25,
      mode: 'long-polling',
      durationMs: 600_000,
      clientStartSpreadMs: 3000,
      network: { latencyMs: 40, jitterMs: 60, lossRate: 0.02 },
      messages: { poisson: { ratePerMin: 20 } },
      backoff: { jitter: 0.5 },
      proxy: { idleTimeoutMs: 25_000 },
      faults: [{ atMs: 200_000, kind: 'server-restart', downMs: 4000 }],
      server: { bufferLimit: 50, rateLimit: { requestsPerMin: 120, burst: 5 } },
      interventions: [
        { atMs: 300_000, set: { mode: 'polling', pollIntervalMs: 2000 } },
        {
          atMs: 450_000,
          set: {
            mode: 'long-polling',
            messages: { bursts: { everyMs: 20_000, size: 4, spreadMs: 500 } },
          },
        },
      ],
    });
    const inNode = simulate(s).trace.toJSONLines();
    const { page, errors } = await open(`?s=${encodeShare(s)}`);
    await page.getByText('Export', { exact: true }).click();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Trace as JSON lines' }).click(),
    ]);
    const inBrowser = await readFile(await file.path(), 'utf8');
    const [browserLines, nodeLines] = [inBrowser, inNode].map((t) => t.trimEnd().split('\n'));
    expect(browserLines.length).toBe(nodeLines.length);
    // The first event that differs, if any, rather than two 20,000-line strings.
    const firstDifference = browserLines.findIndex((line, i) => line !== nodeLines[i]);
    expect(firstDifference, browserLines[firstDifference]).toBe(-1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a damaged share link shows a notice and the default scenario, not a blank page', async () => {
    const { page } = await open('?s=this-is-not-a-scenario');
    await expect.poll(() => page.getByText(/share link/i).count()).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByRole('radio', { name: 'Polling', exact: true }).isChecked())
      .toBe(true);
    await page.close();
  });

  it('on a phone, a vertical swipe on the diagram scrolls the page; a sideways one pans the diagram', async () => {
    const phone = await launchBrowser({ phone: true });
    try {
      const page = await phone.context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(site.url);
      const plot = page.getByRole('region', { name: 'Sequence diagram' }).locator('.plot');
      await plot.scrollIntoViewIfNeeded();
      const cdp = await phone.context.newCDPSession(page);
      /** A one-finger swipe from the middle of the diagram, by (dx, dy) in ten moves. */
      const swipe = async (dx: number, dy: number) => {
        const box = (await plot.boundingBox())!;
        const x = box.x + box.width * 0.6;
        const y = box.y + box.height * 0.6;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
        for (let k = 1; k <= 10; k++) {
          const point = { x: x + (dx * k) / 10, y: y + (dy * k) / 10 };
          await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
          await page.waitForTimeout(16);
        }
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        await page.waitForTimeout(300);
      };
      const follow = page.getByRole('button', { name: 'Follow playhead' });
      const scrollY = () => page.evaluate(() => window.scrollY);
      const before = await scrollY();
      await swipe(0, -150);
      expect(await scrollY()).toBeGreaterThan(before + 50);
      expect(await follow.getAttribute('aria-pressed')).toBe('true');
      const afterScroll = await scrollY();
      await swipe(-150, 0);
      expect(await scrollY()).toBe(afterScroll);
      // The diagram moved in time, so it no longer follows the playhead.
      await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('false');
      await page.close();
    } finally {
      await phone.close();
    }
  });

  it('works with the keyboard alone', async () => {
    const { page } = await open();
    await page.locator('body').press(' ');
    await expect
      .poll(() => page.getByRole('button', { name: 'Pause', exact: true }).isVisible())
      .toBe(true);
    await page.keyboard.press(' ');
    await page.keyboard.press('Home');
    expect(await playheadMs(page)).toBe(0);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('PageDown');
    const stepped = await playheadMs(page);
    expect(stepped).toBeGreaterThan(0);
    await page.keyboard.press('PageUp');
    expect(await playheadMs(page)).toBeLessThan(stepped);
    await page.keyboard.press('l');
    await expect
      .poll(() => page.getByRole('radio', { name: 'Long polling', exact: true }).isChecked())
      .toBe(true);
    await page.keyboard.press('?');
    await expect
      .poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible())
      .toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    // Tab reaches the play button, and Enter presses it.
    await page.getByRole('button', { name: 'Play', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('button', { name: 'Pause', exact: true }).isVisible())
      .toBe(true);
    await page.close();
  });

  it('a key is handled once: on the focused diagram + − ← → zoom and pan, and neither change the speed nor step', async () => {
    const { page } = await open();
    const speed = () => page.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext');
    /** The seconds along the diagram's time axis, e.g. [2, 4, 6]. */
    const axis = async () =>
      (await page.locator('.axes .tick text').allTextContents()).map((t) => parseFloat(t));
    for (let i = 0; i < 4; i++) await page.locator('body').press('ArrowRight');
    const at = await playheadMs(page);
    expect(at).toBeGreaterThan(0);

    await page.getByRole('group', { name: /^Sequence diagram/ }).focus();
    for (const { key, moved } of [
      { key: '+', moved: (a: number[], b: number[]) => b.at(-1)! - b[0] < a.at(-1)! - a[0] },
      { key: '-', moved: (a: number[], b: number[]) => b.at(-1)! - b[0] > a.at(-1)! - a[0] },
      { key: 'ArrowLeft', moved: (a: number[], b: number[]) => b[0] < a[0] },
      { key: 'ArrowRight', moved: (a: number[], b: number[]) => b[0] > a[0] },
    ]) {
      const before = await axis();
      await page.keyboard.press(key);
      await expect.poll(async () => moved(before, await axis()), { message: key }).toBe(true);
      expect(await speed(), key).toBe('1×');
      expect(await playheadMs(page), key).toBe(at);
    }
    await expect
      .poll(() =>
        page.getByRole('button', { name: 'Follow playhead' }).getAttribute('aria-pressed'),
      )
      .toBe('false');

    // Anywhere else on the page, the same keys are the page's: faster, and a step.
    await page.getByRole('heading', { name: 'Polling Playground' }).click();
    await page.keyboard.press('+');
    await expect.poll(speed).toBe('2×');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => playheadMs(page)).toBeGreaterThan(at);
    await page.close();
  });

  for (const size of [
    { width: 390, height: 844 },
    { width: 1280, height: 800 },
  ]) {
    it(`push at ${size.width}×${size.height}: choosing Server-Sent Events, then WebSocket, in the mode switch shows the stream, its settings and its sentences; axe finds no violations`, async () => {
      const { page, errors } = await open('', size);
      await playhead(page).fill('5000');
      await page.getByRole('radio', { name: 'Server-Sent Events' }).check();
      const diagram = page.getByRole('region', { name: 'Sequence diagram' });
      const log = page.getByRole('region', { name: 'Event log' });
      await expect
        .poll(() => page.getByRole('group', { name: 'Server-Sent Events settings' }).count())
        .toBe(1);
      await playhead(page).fill('15000');
      await expect
        .poll(() => log.getByText(/Client 1 opens an SSE stream \(request #\d+/).count())
        .toBeGreaterThan(0);
      await expect
        .poll(() => diagram.getByRole('button', { name: /^SSE stream of client 1 / }).count())
        .toBeGreaterThan(0);
      const axeSse = await new AxeBuilder({ page }).analyze();
      expect(axeSse.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);

      await page.getByRole('radio', { name: 'WebSocket' }).check();
      await expect
        .poll(() => page.getByRole('group', { name: 'WebSocket settings' }).count())
        .toBe(1);
      expect(await page.getByRole('group', { name: 'Server-Sent Events settings' }).count()).toBe(
        0,
      );
      await playhead(page).fill('25000');
      await expect
        .poll(() => log.getByText(/Client 1 opens a WebSocket/).count())
        .toBeGreaterThan(0);
      await expect
        .poll(() => diagram.getByRole('button', { name: /^WebSocket of client 1 / }).count())
        .toBeGreaterThan(0);
      await page.screenshot({
        path: path.join(screenshotDir, `playground-websocket-${size.width}.png`),
        fullPage: true,
      });
      const axeWs = await new AxeBuilder({ page }).analyze();
      expect(axeWs.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  for (const size of [
    { width: 390, height: 844 },
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    it(`fits ${size.width}×${size.height} without sideways scrolling, and axe finds no violations`, async () => {
      const { page, errors } = await open('', size);
      await page.getByRole('button', { name: 'Step forward' }).click();
      await page.getByRole('button', { name: 'Step forward' }).click();
      const overflowPx = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflowPx).toBe(0);
      await page.screenshot({
        path: path.join(screenshotDir, `playground-${size.width}.png`),
        fullPage: true,
      });
      if (updateDocsScreenshot && size.width === 1280) {
        await page.keyboard.press('End');
        await page.screenshot({ path: path.join(projectRoot, 'docs', 'screenshot.png') });
      }
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
