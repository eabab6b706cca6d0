/**
 * The command line's bundle: src/cli.ts and all it imports, dependencies included, in one ES
 * module, so that `npm run sim` starts Node on plain JavaScript instead of compiling TypeScript
 * on every run (that took about half a second). `npm ci` builds it (the `prepare` script, which
 * runs this file); `npm run sim` builds it again first when a file it was built from has changed.
 *
 * It lives under node_modules/.cache: ignored by git, the linter and the formatter, and made
 * again by every `npm ci`.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BUNDLE_DIR = join(root, 'node_modules', '.cache', 'polling-playground-cli');
export const CLI_BUNDLE = join(CLI_BUNDLE_DIR, 'cli.mjs');
/** The files the bundle was built from, and when the build began reading them. */
export const CLI_MANIFEST = join(CLI_BUNDLE_DIR, 'inputs.json');

/**
 * A file's time stamp can lag the clock by a tick, so a file written in the first moments of a
 * build counts as changed after it.
 */
const CLOCK_TICK_MS = 20;

/**
 * Whether the bundle is missing, or a file it was built from (a source under src/, or a
 * dependency's) has changed or gone since the build began.
 *
 * @param {string} [manifestPath]
 * @param {string} [bundlePath]
 * @returns {boolean}
 */
export function isStale(manifestPath = CLI_MANIFEST, bundlePath = CLI_BUNDLE) {
  /** @type {{ startedAtMs: number, inputs: string[] }} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    statSync(bundlePath);
  } catch {
    return true;
  }
  const since = manifest.startedAtMs - CLOCK_TICK_MS;
  return manifest.inputs.some((file) => {
    try {
      return statSync(join(root, file)).mtimeMs >= since;
    } catch {
      return true;
    }
  });
}

/**
 * Builds the bundle with Vite (Rolldown) and records its inputs. Each build writes its own
 * folder and moves the files into place, so that two runs of `npm run sim` that both find the
 * bundle stale never read half a file.
 *
 * @returns {Promise<void>}
 */
export async function buildCli() {
  const startedAtMs = Date.now();
  const { build } = await import('vite');
  const outDir = `${CLI_BUNDLE_DIR}.build-${process.pid}`;
  const result = await build({
    configFile: false,
    root,
    logLevel: 'error',
    publicDir: false,
    // Dependencies too: one file to load, with nothing to resolve in node_modules at start-up.
    ssr: { noExternal: true },
    build: {
      ssr: join(root, 'src', 'cli.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: { output: { entryFileNames: 'cli.mjs', codeSplitting: false } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) =>
    'output' in r ? r.output : [],
  );
  const chunks = outputs.filter((o) => o.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`expected one bundle, got ${chunks.length} chunks`);
  const inputs = chunks[0].moduleIds
    .map((id) => id.split('?')[0])
    .filter((id) => isAbsolute(id))
    .map((id) => relative(root, id));
  mkdirSync(CLI_BUNDLE_DIR, { recursive: true });
  renameSync(join(outDir, 'cli.mjs'), CLI_BUNDLE);
  writeFileSync(join(outDir, 'inputs.json'), JSON.stringify({ startedAtMs, inputs }, null, 1));
  renameSync(join(outDir, 'inputs.json'), CLI_MANIFEST);
  rmSync(outDir, { recursive: true, force: true });
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await buildCli();
  console.log(`built ${relative(process.cwd(), CLI_BUNDLE)}`);
}
