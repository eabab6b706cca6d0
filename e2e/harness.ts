/**
 * What an end-to-end test needs around the page: a Chromium to drive, the built site served on
 * localhost, and a browser context that leaves nothing behind.
 *
 * No browser is downloaded: `npx playwright install` cannot reach its servers here, so we drive a
 * system Chromium through playwright-core instead.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { preview } from 'vite';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(projectRoot, 'dist');

const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path of a Chrome or Chromium binary: `$CHROME_PATH` if set, else a usual system path. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CHROME_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to "${fromEnv}", but that is not an executable file.`);
  }
  const found = CHROMIUM_CANDIDATES.find(isExecutable);
  if (found) return found;
  throw new Error(
    [
      'The end-to-end tests need Chrome or Chromium, and none was found at ' +
        `${CHROMIUM_CANDIDATES.join(', ')}.`,
      'Install one (on Debian or Ubuntu: `sudo apt-get install chromium`, or run',
      '`bash scripts/ensure-chromium.sh`), or set CHROME_PATH to a Chrome/Chromium binary.',
    ].join('\n'),
  );
}

export interface Preview {
  /** The site's root URL, ending in a slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}

/** Serves the already built `dist/` on a free loopback port with Vite's preview server. */
export async function startPreview(): Promise<Preview> {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html does not exist: run \`npm run build\` first.`);
  }
  const server = await preview({
    root: projectRoot,
    configLoader: 'runner',
    logLevel: 'warn',
    // Port 0 asks the operating system for a free port, so parallel runs never collide.
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    throw new Error('Vite preview started but reported no local URL.');
  }
  return { url, close: () => server.close() };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium in a fresh profile (with `phone`, emulating a phone's touch screen). The flags stop Chromium's own background traffic (sync,
 * component updates, QUIC probes), which this machine's closed network would refuse anyway.
 */
export async function launchBrowser(options: { phone?: boolean } = {}): Promise<Browser> {
  const executablePath = findChromium();
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'polling-playground-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      // A phone: a touch screen, a mobile viewport and its page zoom rules.
      ...(options.phone
        ? { hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } }
        : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
