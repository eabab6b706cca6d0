/**
 * The command line: `npm run sim -- <scenario.json> [--json] [--trace <file>] [--compare]`.
 * `main` takes its arguments and its input and output as parameters and returns the exit code,
 * so that tests run it in-process; the last lines of this file call it with the process's own.
 */
import { once } from 'node:events';
import { createWriteStream, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { COMPARED_MODES, formatCompare, formatRun } from './cliFormat';
import {
  checkWork,
  computeMetrics,
  METRICS,
  parseScenario,
  simulate,
  WorkTooLargeError,
  type Metrics,
  type Scenario,
  type Trace,
} from './sim/index';

export const USAGE = `Usage: npm run sim -- <scenario.json> [--json] [--trace <file>] [--compare] [--help]

Runs a Polling Playground scenario in virtual time and prints its metrics as a table.

Options:
  --json            print one JSON object instead: every metric, and "scenario" with the
                    defaults filled in
  --trace <file>    also write the run's trace to <file>, one JSON event per line
  --compare         run the scenario in all four modes (polling, long polling, Server-Sent
                    Events, WebSocket) on the same workload and seed, and print them side by side
                    (with --json: {polling, longPolling, sse, websocket, scenario})
  -h, --help        print this help

Exit status: 0 on success; 2 for a usage error, a missing, unreadable or invalid scenario file,
or a scenario too large to simulate.

Examples:
  npm run sim -- scenarios/chat-room.json
  npm run sim -- scenarios/polling-vs-long-polling.json --compare
  npm run sim -- scenarios/idle-channel.json --json --trace idle.jsonl
`;

/** Where the trace goes: chunks of text, written in order; `close` resolves once all is written. */
export interface TraceSink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  /** Opens a file for the trace; rejects if it cannot be created. */
  openTrace(path: string): Promise<TraceSink>;
}

export const nodeIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  async openTrace(path) {
    const stream = createWriteStream(path);
    let failure: Error | undefined;
    stream.on('error', (e) => (failure = e));
    await once(stream, 'open');
    return {
      async write(chunk) {
        if (failure) throw failure;
        // Wait for the stream to drain so that a long trace never piles up in memory.
        if (!stream.write(chunk)) await once(stream, 'drain');
      },
      close: () =>
        new Promise<void>((resolve, reject) => {
          if (failure) return reject(failure);
          stream.end((e?: Error | null) => (e ? reject(e) : resolve()));
        }),
    };
  },
};

/** A failure the user can fix: printed as one line, exit code 2. */
class UsageError extends Error {}

interface Options {
  file: string;
  json: boolean;
  compare: boolean;
  tracePath?: string;
}

function parseArgs(argv: string[]): Options | 'help' {
  // Help wins, even over a mistake elsewhere on the line.
  const end = argv.indexOf('--');
  if (argv.slice(0, end === -1 ? undefined : end).some(isHelp)) return 'help';
  const files: string[] = [];
  let json = false;
  let compare = false;
  let tracePath: string | undefined;
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      files.push(arg);
    } else if (arg === '--') {
      optionsEnded = true;
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--compare') {
      compare = true;
    } else if (arg === '--trace' || arg.startsWith('--trace=')) {
      const value = arg === '--trace' ? argv[++i] : arg.slice('--trace='.length);
      if (!value || value.startsWith('--'))
        throw new UsageError('--trace needs a file name: --trace <file>');
      tracePath = value;
    } else {
      throw new UsageError(`unknown option "${arg}" (see --help)`);
    }
  }
  if (files.length === 0) {
    throw new UsageError('missing scenario file: npm run sim -- <scenario.json> (see --help)');
  }
  if (files.length > 1) {
    throw new UsageError(`expected one scenario file, got ${files.length}: ${files.join(', ')}`);
  }
  if (compare && tracePath !== undefined) {
    throw new UsageError('--trace cannot be combined with --compare: trace one mode at a time');
  }
  return { file: files[0], json, compare, tracePath };
}

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

async function loadScenario(path: string, io: CliIO): Promise<Scenario> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`scenario file not found: ${path}`);
    throw new UsageError(`cannot read scenario file ${path}: ${(e as Error).message}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new UsageError(`invalid scenario in ${path}: ${parsed.message}`);
  return parsed.scenario;
}

/** Lines of about this many characters are gathered before each write. */
const TRACE_CHUNK_CHARS = 1 << 16;

/**
 * The metrics as the JSON output gives them: a figure the catalogue cannot measure (a latency
 * with no message delivered) is null rather than a 0 ms that reads as instant (the table shows
 * a dash).
 */
function forJson(m: Metrics, s: Scenario) {
  const out = structuredClone(m) as unknown as Record<string, Record<string, number | null>>;
  for (const d of METRICS) {
    const [head, key] = d.name.split('.');
    const holder = key === undefined ? (out as Record<string, unknown>) : out[head];
    const field = key ?? head;
    if (typeof holder?.[field] === 'number' && Number.isNaN(d.read(m, s))) holder[field] = null;
  }
  return out;
}

/** Streams the trace as JSON lines, a chunk at a time, never as one string. */
export async function writeTrace(trace: Trace, sink: TraceSink): Promise<void> {
  let chunk = '';
  for (let i = 0; i < trace.length; i++) {
    chunk += JSON.stringify(trace.event(i)) + '\n';
    if (chunk.length >= TRACE_CHUNK_CHARS) {
      await sink.write(chunk);
      chunk = '';
    }
  }
  if (chunk) await sink.write(chunk);
  await sink.close();
}

async function run(options: Options, io: CliIO): Promise<void> {
  const scenario = await loadScenario(options.file, io);
  if (options.compare) {
    const runs = COMPARED_MODES.map((c) => ({ ...c, scenario: { ...scenario, mode: c.mode } }));
    // Refuse before simulating any, rather than after a long first run.
    for (const r of runs) checkWork(r.scenario);
    const byMode = Object.fromEntries(
      runs.map((r) => [r.mode, computeMetrics(simulate(r.scenario))]),
    ) as Record<Scenario['mode'], Metrics>;
    const json = Object.fromEntries(runs.map((r) => [r.key, forJson(byMode[r.mode], r.scenario)]));
    io.stdout(
      options.json
        ? JSON.stringify({ ...json, scenario }, null, 2) + '\n'
        : formatCompare(scenario, byMode),
    );
    return;
  }
  checkWork(scenario);
  let sink: TraceSink | undefined;
  if (options.tracePath !== undefined) {
    try {
      sink = await io.openTrace(options.tracePath);
    } catch (e) {
      throw new UsageError(`cannot write trace file ${options.tracePath}: ${(e as Error).message}`);
    }
  }
  const result = simulate(scenario);
  if (sink) await writeTrace(result.trace, sink);
  const metrics = computeMetrics(result);
  io.stdout(
    options.json
      ? JSON.stringify({ ...forJson(metrics, scenario), scenario }, null, 2) + '\n'
      : formatRun(scenario, metrics),
  );
}

/** Runs the command and returns its exit code; reports failures on `io.stderr`. */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const full: CliIO = { ...nodeIO, ...io };
  try {
    const options = parseArgs(argv);
    if (options === 'help') {
      full.stdout(USAGE);
      return 0;
    }
    await run(options, full);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof WorkTooLargeError) {
      full.stderr(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`error: unexpected failure: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
