/**
 * How smoothly the sequence diagram plays, in headless Chromium with software rendering
 * (--disable-gpu), the way a school laptop without a usable GPU would run it. A benchmark, not
 * a test: it prints figures and checks nothing.
 *
 *   node --import tsx bench/ui.bench.ts            (about a minute)
 *   node --import tsx bench/ui.bench.ts --quick    (shorter samples)
 *   node --import tsx bench/ui.bench.ts --only=b,d (some cases)
 *
 * It builds the scratch demo page (diagram-demo.html) for production into .tmp/ui-bench, serves
 * it, plays each case at 1× and records every requestAnimationFrame timestamp for a few
 * seconds: the median frame rate and the 95th percentile of the frame time are printed, with
 * the number of arrows drawn in each frame.
 */
import { cpus } from 'node:os';
import path from 'node:path';
import { build, preview } from 'vite';
import { launchBrowser, projectRoot } from '../e2e/harness.ts';

const quick = process.argv.includes('--quick');
/** `--only=b,d` runs the cases whose label starts with those letters. */
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const SAMPLE_MS = quick ? 3000 : 6000;
const WARMUP_MS = 1500;
const outDir = path.join(projectRoot, '.tmp', 'ui-bench');

interface Case {
  label: string;
  query: string;
  width: number;
  height: number;
  /** Zoom in and out with the wheel in every frame, so no cached tile can be reused. */
  wheel?: boolean;
}

const cases: Case[] = [
  {
    label: '(a) one client, long polling (default scenario)',
    query: 'scenario=default&t=20000&window=20000',
    width: 1280,
    height: 800,
  },
  {
    label: '(b) 12 clients polling every 150 ms, 20 s window',
    query: 'scenario=dense&t=30000&window=20000',
    width: 1280,
    height: 800,
  },
  {
    label: '(b′) the same at 1920×1080',
    query: 'scenario=dense&t=30000&window=20000',
    width: 1920,
    height: 1080,
  },
  {
    label: '(d) as (b) while zooming with the wheel (no cache)',
    query: 'scenario=dense&t=30000&window=20000',
    width: 1280,
    height: 800,
    wheel: true,
  },
  {
    label: '(e) 10 clients polling every 2 s, while zooming',
    query: 'scenario=polling-vs-long-polling&t=40000&window=20000',
    width: 1280,
    height: 800,
    wheel: true,
  },
  {
    label: '(c) 1,000 clients in the summary band, restart',
    query: 'scenario=server-restart-1000-clients&t=55000&window=20000',
    width: 1280,
    height: 800,
  },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

/**
 * Runs in the page: records each frame's timestamp and the arrows drawn in it. It is a string
 * because tsx would otherwise rewrite the functions with a helper the page doesn't have.
 * Every case follows the playhead with a 20 s window (`window=20000`), the playhead at two
 * thirds, so the arrows drawn are those of the 13.3 s before it.
 */
const inPage = `async (sampleMs, wheel) => {
  const demo = window.__demo;
  const plot = document.querySelector('.plot');
  const rect = plot.getBoundingClientRect();
  let k = 0;
  const spanMs = 20000;
  const stamps = [];
  const arrows = [];
  await new Promise((resolve) => {
    const frame = (t) => {
      stamps.push(t);
      if (wheel) {
        // Out and back in, a little each frame, around the middle of the plot.
        const deltaY = (k++ % 20 < 10 ? 1 : -1) * 30;
        const clientX = rect.left + rect.width / 2;
        const clientY = rect.top + rect.height / 2;
        plot.dispatchEvent(new WheelEvent('wheel', { deltaY, clientX, clientY, bubbles: true, cancelable: true }));
      }
      const now = demo.playheadMs;
      arrows.push(demo.arrowsInView(now - (spanMs * 2) / 3, now));
      if (t - stamps[0] < sampleMs) requestAnimationFrame(frame);
      else resolve();
    };
    requestAnimationFrame(frame);
  });
  return { stamps, arrows };
}`;

async function buildDemo(): Promise<void> {
  // Measure what would ship: Svelte's production build, not the development one.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: projectRoot,
      configLoader: 'runner',
      mode: 'production',
      logLevel: 'warn',
      build: {
        outDir,
        emptyOutDir: true,
        rolldownOptions: { input: path.join(projectRoot, 'diagram-demo.html') },
      },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

await buildDemo();
const server = await preview({
  root: projectRoot,
  configLoader: 'runner',
  logLevel: 'warn',
  build: { outDir },
  preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
});
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('Vite preview reported no URL.');
const browser = await launchBrowser();

console.log(
  `UI bench: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Chromium --disable-gpu`,
);
console.log(`sample ${SAMPLE_MS / 1000} s after ${WARMUP_MS / 1000} s of warm-up, playing at 1×\n`);
const rows: string[][] = [
  ['case', 'viewport', 'arrows drawn', 'median fps', 'p95 frame', 'frames'],
];
try {
  for (const c of cases.filter((c) => !only || only.some((o) => c.label.startsWith(`(${o})`)))) {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
    await page.setViewportSize({ width: c.width, height: c.height });
    await page.goto(`${url}diagram-demo.html?${c.query}`);
    await page.waitForSelector('canvas');
    await page.waitForTimeout(WARMUP_MS);
    const result = (await page.evaluate(`(${inPage})(${SAMPLE_MS}, ${Boolean(c.wheel)})`)) as {
      stamps: number[];
      arrows: number[];
    };
    const intervals = result.stamps.slice(1).map((t, i) => t - result.stamps[i]);
    const fps = 1000 / median(intervals);
    rows.push([
      c.label,
      `${c.width}×${c.height}`,
      `${Math.min(...result.arrows)}–${Math.max(...result.arrows)}`,
      fps.toFixed(1),
      `${quantile(intervals, 0.95).toFixed(1)} ms`,
      String(intervals.length),
    ]);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
for (const [i, r] of rows.entries()) {
  console.log(
    r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  '),
  );
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}

// ---------------------------------------------------------------------------------------------
// The real page: the size of its first script, and how long a live change of mode takes to
// show, for a lesson-sized run (50 clients, 10 minutes).

const appDir = path.join(projectRoot, '.tmp', 'ui-bench-app');
{
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({
    root: projectRoot,
    configLoader: 'runner',
    mode: 'production',
    logLevel: 'warn',
    build: { outDir: appDir },
  });
  process.env.NODE_ENV = nodeEnv;
}

/** The script the page runs before its first paint: the entry and what it preloads, gzipped. */
async function initialScriptBytes(): Promise<{ files: string[]; raw: number; gzip: number }> {
  const { readFile } = await import('node:fs/promises');
  const { gzipSync } = await import('node:zlib');
  const html = await readFile(path.join(appDir, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<script[^>]+src="\/?([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/?([^"]+\.js)"/g),
  ].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = await readFile(path.join(appDir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzip };
}

const initial = await initialScriptBytes();
console.log(
  `\ninitial JS: ${(initial.gzip / 1024).toFixed(1)} KB gzip (${(initial.raw / 1024).toFixed(1)} KB raw) in ${initial.files.join(', ')}; goal ≤ 80 KB gzip`,
);

{
  const { default: LZString } = await import('lz-string');
  const lesson = {
    name: 'Bench: 50 clients, 10 minutes',
    clients: 50,
    durationMs: 600_000,
    clientStartSpreadMs: 2000,
  };
  const share = LZString.compressToEncodedURIComponent(JSON.stringify(lesson));
  const app = await preview({
    root: projectRoot,
    configLoader: 'runner',
    logLevel: 'warn',
    build: { outDir: appDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const appUrl = app.resolvedUrls!.local[0];
  const appBrowser = await launchBrowser();
  try {
    const page = await appBrowser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${appUrl}?s=${share}`);
    await page.getByRole('radio', { name: 'Long polling', exact: true }).waitFor();
    await page.getByRole('slider', { name: 'Playhead' }).fill('300000');
    const events = await page.evaluate(() =>
      document.querySelector('input[aria-label="Playhead"]')?.getAttribute('max'),
    );
    // From the click to the frame after the change is drawn: simulate again, then repaint.
    const times = (await page.evaluate(
      async (n: number) => {
        const out: number[] = [];
        for (let k = 0; k < n; k++) {
          const value = k % 2 === 0 ? 'long-polling' : 'polling';
          const radio = document.querySelector<HTMLInputElement>(
            `input[type=radio][value="${value}"]`,
          )!;
          const t0 = performance.now();
          radio.click();
          await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
          out.push(performance.now() - t0);
        }
        return out;
      },
      quick ? 6 : 12,
    )) as number[];
    console.log(
      `intervention → redrawn future (50 clients × 10 min, run ends at ${Number(events) / 1000} s): ` +
        `median ${median(times).toFixed(0)} ms, p95 ${quantile(times, 0.95).toFixed(0)} ms over ${times.length} switches; goal < 100 ms`,
    );
  } finally {
    await appBrowser.close();
    await app.close();
  }
}
