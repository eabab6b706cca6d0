import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isStale } from '../scripts/cliBundle.mjs';
import { main, USAGE, writeTrace, type TraceSink } from '../src/cli';
import { computeMetrics, scenario, simulate, type ScenarioInput } from '../src/sim/index';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'polling-cli-'));
let fileCount = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes text to a fresh file and returns its path. */
function fixture(text: string): string {
  const path = join(dir, `scenario-${fileCount++}.json`);
  writeFileSync(path, text);
  return path;
}
const scenarioFile = (input: unknown) => fixture(JSON.stringify(input));

/** Runs the command in-process and collects what it printed. */
async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { code, stdout, stderr };
}

const chat: ScenarioInput = {
  name: 'Test chat',
  mode: 'long-polling',
  clients: 3,
  durationMs: 120_000,
  messages: { poisson: { ratePerMin: 12 } },
};

describe('cli: --json', () => {
  it('prints one object with every metric at top level and the scenario with defaults filled in', async () => {
    const { code, stdout, stderr } = await cli(scenarioFile(chat), '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const out = JSON.parse(stdout);
    const expected = computeMetrics(simulate(scenario(chat)));
    expect(Object.keys(out).sort()).toEqual([...Object.keys(expected), 'scenario'].sort());
    for (const key of [
      'requests',
      'responses',
      'emptyResponses',
      'messageResponses',
      'messagesPublished',
      'messagesDelivered',
      'messagesLost',
      'messagesUndelivered',
      'duplicates',
      'timeouts',
      'clientTimeouts',
      'skippedTicks',
      'errors',
    ]) {
      expect(out[key], key).toBe(expected[key as keyof typeof expected]);
    }
    expect(out.latencyMs).toEqual(expected.latencyMs);
    expect(out.bytes).toEqual(expected.bytes);
    expect(out.server).toEqual(expected.server);
    expect(out.requests).toBeGreaterThan(0);
    // Fields the file left out come back with their defaults.
    expect(out.scenario.name).toBe('Test chat');
    expect(out.scenario.longPollTimeoutMs).toBe(30_000);
    expect(out.scenario.backoff).toEqual({
      initialMs: 1000,
      maxMs: 30_000,
      factor: 2,
      jitter: 0.5,
    });
    expect(out.scenario.network).toEqual({ latencyMs: 50, jitterMs: 0, lossRate: 0 });
  });
});

/** Polling twice as fast as a rate limit allows, with a cap that long polling would hit. */
const limits: ScenarioInput = {
  name: 'Limits',
  clients: 4,
  durationMs: 20_000,
  pollIntervalMs: 500,
  server: { rateLimit: { requestsPerMin: 60, burst: 2 }, maxHeldRequests: 2 },
};

describe('cli: --json with server limits', () => {
  it('counts refusals under server (rateLimited, overCapacity) and in errors', async () => {
    for (const mode of ['polling', 'long-polling'] as const) {
      const { code, stdout } = await cli(scenarioFile({ ...limits, mode }), '--json');
      expect(code).toBe(0);
      const out = JSON.parse(stdout);
      const expected = computeMetrics(simulate(scenario({ ...limits, mode })));
      expect(Object.keys(out.server).sort(), mode).toEqual([
        'overCapacity',
        'peakHeldRequests',
        'peakRequestsPerSecond',
        'rateLimited',
        'requestsHandled',
      ]);
      expect(out.server, mode).toEqual(expected.server);
      // No loss, no proxy, no fault: every error is a refusal.
      expect(out.errors, mode).toBe(out.server.rateLimited + out.server.overCapacity);
      expect(out.scenario.server.rateLimit).toEqual({ requestsPerMin: 60, burst: 2 });
      expect(out.scenario.server.maxHeldRequests).toBe(2);
    }
    const polling = JSON.parse(
      (await cli(scenarioFile({ ...limits, mode: 'polling' }), '--json')).stdout,
    );
    const longPolling = JSON.parse(
      (await cli(scenarioFile({ ...limits, mode: 'long-polling' }), '--json')).stdout,
    );
    expect(polling.server.rateLimited).toBeGreaterThan(0);
    expect(longPolling.server.overCapacity).toBeGreaterThan(0);
  });
});

describe('cli: text table', () => {
  it('heads the table with name, mode, clients and duration, and aligns the figures', async () => {
    const { code, stdout } = await cli(scenarioFile(chat));
    expect(code).toBe(0);
    const m = computeMetrics(simulate(scenario(chat)));
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Test chat');
    expect(lines[1]).toContain('long polling, hold 30 s');
    expect(lines[1]).toContain('3 clients');
    expect(lines[1]).toContain('2 min');
    const line = (label: string) => lines.find((l) => l.trimStart().startsWith(label)) ?? '';
    expect(line('requests sent')).toMatch(new RegExp(`\\s${m.requests}$`));
    const share = ((m.emptyResponses / m.responses) * 100).toFixed(1);
    expect(line('empty (wasted round trips)')).toContain(
      `${m.emptyResponses}  ${share} % of responses`,
    );
    expect(line('total')).toContain(`${m.bytes.total.toLocaleString('en-US')} bytes`);
    expect(line('total')).toMatch(/\d kB /);
    expect(line('mean')).toMatch(/ ms$/);
    // Right-aligned: the figures of one section end in the same column.
    const end = (label: string) => line(label).search(/\d(?!.*\d)/);
    expect(end('requests sent')).toBe(end('responses received'));
    expect(end('requests sent')).toBe(end('hold timeouts'));
  });

  it('names the limits in the heading and counts refusals as "rate limited (429)" and "over capacity (503)"', async () => {
    const input = { ...limits, mode: 'long-polling' as const };
    const { code, stdout } = await cli(scenarioFile(input));
    expect(code).toBe(0);
    const m = computeMetrics(simulate(scenario(input)));
    expect(m.server.overCapacity).toBeGreaterThan(0);
    const lines = stdout.split('\n');
    const line = (label: string) => lines.find((l) => l.trimStart().startsWith(label)) ?? '';

    expect(lines[2]).toContain('rate limit 60 requests a minute per client, burst 2');
    expect(lines[2]).toContain('server holds at most 2 requests');
    expect(line('rate limited (429)')).toMatch(
      new RegExp(`\\s${m.server.rateLimited}  refused: the client was over the rate limit$`),
    );
    expect(line('over capacity (503)')).toMatch(
      new RegExp(`\\s${m.server.overCapacity}  long polls refused: the server held its maximum$`),
    );
    expect(line('errors')).toMatch(/ % of responses, refusals \(429, 503\) included$/);
  });

  it('without limits, the refusal rows read 0 and the heading names no limit', async () => {
    const { stdout } = await cli(scenarioFile(chat));

    expect(stdout).toMatch(/\n\s+rate limited \(429\)\s+0 {2}refused/);
    expect(stdout).toMatch(/\n\s+over capacity \(503\)\s+0 {2}long polls refused/);
    expect(stdout).not.toContain('rate limit 60');
    expect(stdout).not.toContain('holds at most');
    expect(stdout).not.toContain('refusals (429, 503) included');
  });

  it('shows a dash, not 0 ms, for latency when no message was delivered', async () => {
    const { stdout } = await cli(scenarioFile({ messages: { script: [] }, durationMs: 10_000 }));
    expect(stdout).toMatch(/\n\s+mean\s+—\s+no message delivered\n/);
  });

  it('with --json, gives null latency, not 0 ms, when no message was delivered', async () => {
    const quiet = await cli(scenarioFile({ messages: { script: [] } }), '--json');
    expect(JSON.parse(quiet.stdout).latencyMs).toEqual({
      mean: null,
      p50: null,
      p95: null,
      max: null,
    });
    const busy = await cli(scenarioFile({ messages: { everyMs: 1000 } }), '--json');
    expect(JSON.parse(busy.stdout).latencyMs.mean).toBeGreaterThan(0);
  });
});

describe('cli: --trace', () => {
  it('writes one parseable JSON line per trace event, the same events as the run', async () => {
    const tracePath = join(dir, 'trace.jsonl');
    const { code, stdout } = await cli(scenarioFile(chat), '--trace', tracePath, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).requests).toBeGreaterThan(0);
    const run = simulate(scenario(chat));
    const text = readFileSync(tracePath, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(run.trace.length);
    const events = lines.map((l) => JSON.parse(l));
    expect(events[0]).toEqual(run.trace.event(0));
    expect(events.at(-1)).toEqual(run.trace.event(run.trace.length - 1));
    expect(events.map((e) => e.i)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.kind === 'request.sent')).toHaveLength(
      JSON.parse(stdout).requests,
    );
  });

  it('streams a long trace in bounded chunks rather than one string', async () => {
    const run = simulate(
      scenario({ mode: 'polling', pollIntervalMs: 200, clients: 50, durationMs: 60_000 }),
    );
    const chunks: string[] = [];
    let closed = false;
    const sink: TraceSink = {
      write: async (chunk) => void chunks.push(chunk),
      close: async () => void (closed = true),
    };
    await writeTrace(run.trace, sink);
    expect(closed).toBe(true);
    expect(run.trace.length).toBeGreaterThan(50_000);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(70_000);
    expect(chunks.join('')).toBe(run.trace.toJSONLines());
  });

  it('accepts --trace=<file>', async () => {
    const tracePath = join(dir, 'trace-equals.jsonl');
    const { code } = await cli(scenarioFile({ durationMs: 10_000 }), `--trace=${tracePath}`);
    expect(code).toBe(0);
    expect(readFileSync(tracePath, 'utf8').split('\n')[0]).toMatch(/^\{"i":0,/);
  });
});

describe('cli: --compare', () => {
  const input: ScenarioInput = { ...chat, mode: 'polling', pollIntervalMs: 2000 };
  const polling = computeMetrics(simulate(scenario({ ...input, mode: 'polling' })));
  const longPolling = computeMetrics(simulate(scenario({ ...input, mode: 'long-polling' })));

  it('with --json: the four modes on the same workload, and the scenario as written', async () => {
    const { code, stdout } = await cli(scenarioFile(input), '--compare', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).sort()).toEqual([
      'longPolling',
      'polling',
      'scenario',
      'sse',
      'websocket',
    ]);
    expect(out.polling).toEqual(polling);
    expect(out.longPolling).toEqual(longPolling);
    expect(out.sse).toEqual(computeMetrics(simulate(scenario({ ...input, mode: 'sse' }))));
    for (const key of ['longPolling', 'sse', 'websocket']) {
      expect(out[key].messagesPublished, key).toBe(out.polling.messagesPublished);
    }
    expect(out.longPolling.requests).toBeLessThan(out.polling.requests);
    // One stream per client, open for the whole run.
    expect([out.sse.requests, out.websocket.requests]).toEqual([
      input.clients ?? 1,
      input.clients ?? 1,
    ]);
    expect(out.scenario.mode).toBe('polling');
  });

  it('as text: the two modes side by side with the ratio of long polling to polling', async () => {
    const { code, stdout } = await cli(scenarioFile(input), '--compare');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^\s+polling\s+long polling\s+SSE\s+WebSocket\s+long polling vs polling$/m,
    );
    const ratio = Number((longPolling.requests / polling.requests).toPrecision(3));
    const streams = input.clients ?? 1;
    expect(stdout).toMatch(
      new RegExp(
        `requests sent\\s+${polling.requests}\\s+${longPolling.requests}\\s+${streams}\\s+${streams}\\s+×${ratio}\\n`,
      ),
    );
    expect(stdout).toMatch(/\n\s+mean\s+\S+ s\s+\S+ ms\s+\S+ ms\s+\S+ ms\s+-\S+ (s|ms)\n/);
  });

  it('as text, with server limits: refusals side by side', async () => {
    const p = computeMetrics(simulate(scenario({ ...limits, mode: 'polling' })));
    const l = computeMetrics(simulate(scenario({ ...limits, mode: 'long-polling' })));
    const { stdout } = await cli(scenarioFile(limits), '--compare');

    expect(stdout).toMatch(
      new RegExp(`rate limited \\(429\\)\\s+${p.server.rateLimited}\\s+${l.server.rateLimited}\\s`),
    );
    expect(stdout).toMatch(
      new RegExp(
        `over capacity \\(503\\)\\s+0\\s+${l.server.overCapacity}\\s+\\d+\\s+\\d+\\s+\\+${l.server.overCapacity}\\n`,
      ),
    );
  });
});

describe('cli: bad input: exit 2 and one line on stderr that names the problem', () => {
  const notJson = '{"clients": 3,';
  let parserMessage = '';
  try {
    JSON.parse(notJson);
  } catch (e) {
    parserMessage = (e as Error).message;
  }
  const cases: { name: string; args: () => string[]; says: string[] }[] = [
    { name: 'missing file argument', args: () => [], says: ['missing scenario file'] },
    {
      name: 'file not found',
      args: () => [join(dir, 'no-such.json')],
      says: ['not found', 'no-such.json'],
    },
    {
      name: 'not JSON',
      args: () => [fixture(notJson)],
      says: ['not valid JSON', parserMessage],
    },
    {
      name: 'unknown field',
      args: () => [scenarioFile({ clinets: 3 })],
      says: ['unknown field "clinets": did you mean "clients"?'],
    },
    {
      name: 'unknown nested field',
      args: () => [scenarioFile({ server: { cache: true } })],
      says: ['unknown field "server.cache" (expected one of: batch, buffer'],
    },
    {
      name: 'wrong type',
      args: () => [scenarioFile({ clients: '3' })],
      says: ['clients', 'expected a number'],
    },
    {
      name: 'negative interval',
      args: () => [scenarioFile({ pollIntervalMs: -5 })],
      says: ['pollIntervalMs', 'at least 1'],
    },
    {
      name: 'zero interval',
      args: () => [scenarioFile({ pollIntervalMs: 0 })],
      says: ['pollIntervalMs', 'at least 1'],
    },
    {
      name: 'clients over 10,000',
      args: () => [scenarioFile({ clients: 10_001 })],
      says: ['clients', '10,000'],
    },
    {
      name: 'durationMs over 24 h',
      args: () => [scenarioFile({ durationMs: 24 * 3_600_000 + 1 })],
      says: ['durationMs', '86,400,000'],
    },
    {
      name: 'lossRate 1',
      args: () => [scenarioFile({ network: { lossRate: 1 } })],
      says: ['network.lossRate', 'less than 1'],
    },
    {
      name: 'negative lossRate',
      args: () => [scenarioFile({ network: { lossRate: -0.1 } })],
      says: ['network.lossRate', 'at least 0'],
    },
    {
      name: 'zero long-poll hold',
      args: () => [scenarioFile({ mode: 'long-polling', longPollTimeoutMs: 0 })],
      says: ['longPollTimeoutMs', 'at least 1'],
    },
    {
      name: 'zero message interval',
      args: () => [scenarioFile({ messages: { everyMs: 0 } })],
      says: ['messages.everyMs', 'at least 1'],
    },
    {
      name: 'nested field inside a list',
      args: () => [scenarioFile({ faults: [{ atMs: 1000, kind: 'meteor' }] })],
      says: ['faults[0].kind'],
    },
    {
      name: 'scenario too large',
      args: () => [scenarioFile({ clients: 10_000, pollIntervalMs: 1, durationMs: 3_600_000 })],
      says: ['trace events, over the limit of 25,000,000'],
    },
    {
      name: 'too large, in compare mode',
      args: () => [
        scenarioFile({ clients: 10_000, pollIntervalMs: 1, durationMs: 3_600_000 }),
        '--compare',
      ],
      says: ['over the limit'],
    },
    {
      name: 'unknown option',
      args: () => [scenarioFile({}), '--verbose'],
      says: ['unknown option', '--verbose'],
    },
    {
      name: '--trace without a file',
      args: () => [scenarioFile({}), '--trace'],
      says: ['--trace needs a file name'],
    },
    {
      name: '--trace with --compare',
      args: () => [scenarioFile({}), '--compare', '--trace', join(dir, 'x.jsonl')],
      says: ['cannot be combined'],
    },
    {
      name: 'trace file in a missing folder',
      args: () => [scenarioFile({}), '--trace', join(dir, 'missing', 'x.jsonl')],
      says: ['cannot write trace file', 'ENOENT'],
    },
    {
      name: 'two scenario files',
      args: () => [scenarioFile({}), scenarioFile({})],
      says: ['expected one scenario file, got 2'],
    },
  ];

  for (const { name, args, says } of cases) {
    it(name, async () => {
      const { code, stdout, stderr } = await cli(...args());
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.endsWith('\n')).toBe(true);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^error: /);
      for (const text of says) expect(stderr).toContain(text);
    });
  }
});

describe('cli: --help', () => {
  it('prints the usage with every option and exits 0, even beside a mistake', async () => {
    const { code, stdout, stderr } = await cli('--bogus', '--help');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(USAGE);
    for (const option of ['--json', '--trace <file>', '--compare', '--help']) {
      expect(stdout).toContain(option);
    }
  });
});

/**
 * Runs the real command, as a person would: what `npm run sim` runs, the compiled bundle (built
 * again first if a source has changed since it was built).
 */
function spawnCli(
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['scripts/sim.mjs', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('cli: the real command (npm run sim)', { timeout: 60_000 }, () => {
  it('runs a scenario file from scenarios/ and prints JSON, exit 0', async () => {
    const { code, stdout, stderr } = await spawnCli('scenarios/idle-channel.json', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.scenario.name).toBe('Idle channel');
    expect(out.requests).toBeGreaterThan(0);
    expect(out.timeouts).toBe(out.requests);
  });

  it('reports an invalid scenario on one line of stderr, exit 2', async () => {
    const { code, stdout, stderr } = await spawnCli(scenarioFile({ clients: 0 }));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: invalid scenario in .*: clients: expected at least 1/),
    ]);
  });

  it('prints the usage for --help, exit 0', async () => {
    const { code, stdout } = await spawnCli('--help');
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
  });

  it('exits 2 with no arguments', async () => {
    const { code, stderr } = await spawnCli();
    expect(code).toBe(2);
    expect(stderr).toContain('missing scenario file');
  });
});

describe('cli: the bundle npm run sim runs is built again when a file it was built from changes', () => {
  /** A manifest of one input file, written at `fileMs`, for a build begun at `builtMs`. */
  function bundleOf(fileMs: number, builtMs: number) {
    const input = fixture('export {};');
    utimesSync(input, fileMs / 1000, fileMs / 1000);
    const bundle = fixture('// bundle');
    const manifest = fixture(
      JSON.stringify({ startedAtMs: builtMs, inputs: [relative(root, input)] }),
    );
    return { input, bundle, manifest };
  }
  const now = Date.now();

  it.each([
    { situation: 'every input older than the build', fileMs: now - 60_000, stale: false },
    { situation: 'an input changed after the build began', fileMs: now + 60_000, stale: true },
    { situation: 'an input changed as the build began', fileMs: now, stale: true },
  ])('$situation: stale is $stale', ({ fileMs, stale }) => {
    const { bundle, manifest } = bundleOf(fileMs, now);
    expect(isStale(manifest, bundle)).toBe(stale);
  });

  it('an input gone, the bundle gone or no record of the build: stale', () => {
    const gone = bundleOf(now - 60_000, now);
    rmSync(gone.input);
    expect(isStale(gone.manifest, gone.bundle)).toBe(true);
    const noBundle = bundleOf(now - 60_000, now);
    rmSync(noBundle.bundle);
    expect(isStale(noBundle.manifest, noBundle.bundle)).toBe(true);
    const noManifest = bundleOf(now - 60_000, now);
    expect(isStale(join(dir, 'no-such-manifest.json'), noManifest.bundle)).toBe(true);
  });
});
