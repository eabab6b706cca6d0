/**
 * How fast the simulation runs, and what it costs next to xstate alone. A benchmark, not a test:
 * it prints figures and checks nothing about time. `npm run bench` (about 2–3 minutes);
 * `npm run bench -- --quick` skips the 10,000-client run and takes fewer repetitions.
 *
 * Every figure is a median over repetitions, and the rounds interleave the cases, so that the
 * ratios compare runs made under the same load (the machine it was written on has two noisy cores).
 * Each timing starts after a full GC. A short run is timed as a batch of back-to-back runs of at
 * least BATCH_MS, its sustained rate: one 10 ms run after a full GC mostly measures the young
 * generation growing back.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { simulate, type Scenario } from '../src/sim/index.ts';
import { sendClientTicks, sendToggles, sendTogglesAcross } from './bareSend.ts';
import { longPollingHour, pollingCrowd } from './cases.ts';
import type { MemoryReport } from './peakMemory.ts';

const quick = process.argv.includes('--quick');
/**
 * V8 settings given to node (none by default), printed with the figures and passed on to the
 * 10,000-client child process. A 64 MB young generation (`--max-semi-space-size=64`) speeds the
 * small runs by about 10 % but slows bare `send` by a third, so the ratios are reported without.
 */
const v8Flags = process.execArgv.filter((a) => a.startsWith('--max-semi-space-size'));
const ROUNDS = quick ? 2 : 5;
/** (a) is short, so each round times it several times, each a batch of at least BATCH_MS. */
const LONG_POLL_REPS_PER_ROUND = 3;
const BATCH_MS = 500;
const SENDS = 1_000_000;
/** The client machine is only for context, so it gets fewer sends to keep the bench short. */
const CLIENT_SENDS = 200_000;
const MEMORY_GOAL_BYTES = 1024 ** 3;
const RATIO_GOAL = 0.5;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

interface Sample {
  events: number;
  wallMs: number;
}

interface Row {
  label: string;
  reps: number;
  /** Median wall time of one repetition. */
  wallMs: number;
  events: number;
  /** Median of the repetitions' events per second. */
  eventsPerS: number;
  note?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function summarise(label: string, samples: Sample[], note?: string): Row {
  return {
    label,
    reps: samples.length,
    wallMs: median(samples.map((s) => s.wallMs)),
    events: median(samples.map((s) => s.events)),
    eventsPerS: median(samples.map(perSecond)),
    note,
  };
}

/** Runs `s` back to back until BATCH_MS have passed (once if it takes longer). */
function timeRun(s: Scenario): Sample {
  gc();
  let events = 0;
  let runs = 0;
  const t0 = performance.now();
  let wallMs: number;
  do {
    events += simulate(s).trace.length;
    runs++;
    wallMs = performance.now() - t0;
  } while (wallMs < BATCH_MS);
  // Per run, so the table's "wall" and "events" describe one run.
  return { events: events / runs, wallMs: wallMs / runs };
}

function timeSends(send: (n: number) => number, n: number): Sample {
  gc();
  return { events: n, wallMs: send(n) };
}

const perSecond = (s: Sample) => (s.events / s.wallMs) * 1000;

/** Runs `clients` pollers for 10 minutes in a child process and reads its peak memory. */
function measureInChild(clients: number): MemoryReport {
  const child = spawnSync(
    process.execPath,
    [...v8Flags, '--expose-gc', '--import', 'tsx', 'bench/peakMemory.ts', String(clients), '10'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`bench: the ${clients}-client child process failed`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as MemoryReport;
}

// ---- Formatting ----

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const fixed = (x: number, digits: number) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number) => `${int(bytes / 1024 ** 2)} MB`;
const pct = (x: number) => `${fixed(100 * x, 1)} %`;
const usPerEvent = (r: Row) => (r.wallMs * 1000) / r.events;
const wall = (ms: number) => (ms >= 10_000 ? `${fixed(ms / 1000, 1)} s` : `${int(ms)} ms`);

function table(rows: Row[]): string {
  const header = ['case', 'reps', 'wall', 'events', 'events/s', 'µs/event', ''];
  const cells = rows.map((r) => [
    r.label,
    String(r.reps),
    wall(r.wallMs),
    int(r.events),
    int(r.eventsPerS),
    fixed(usPerEvent(r), 2),
    r.note ?? '',
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k].length)));
  const line = (c: string[]) =>
    c
      .map((x, k) => (k === 0 || k === c.length - 1 ? x.padEnd(widths[k]) : x.padStart(widths[k])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function xstateVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync('node_modules/xstate/package.json', 'utf8'));
    return pkg.version as string;
  } catch {
    return '?';
  }
}

// ---- The run ----

const benchT0 = performance.now();
const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}`;
console.log(`Polling Playground simulation benchmark${quick ? ' (quick)' : ''}`);
console.log(
  `node ${process.version}, xstate ${xstateVersion()}, ${machine}, V8 flags: ${v8Flags.join(' ') || 'none'}`,
);
if (!(globalThis as { gc?: unknown }).gc) {
  console.log('(no --expose-gc: runs are not preceded by a full GC, so figures vary more)');
}
console.log();

progress('warming up');
for (const t0 = performance.now(); performance.now() - t0 < 2000;) {
  simulate(longPollingHour());
  simulate(pollingCrowd(100, 2));
}
sendToggles(SENDS / 10);
sendClientTicks(CLIENT_SENDS / 10);
sendTogglesAcross(SENDS / 10, 1000);

// (a), (b) and (e) in interleaved rounds.
const toggleSamples: Sample[] = [];
const clientSendSamples: Sample[] = [];
const crowdToggleSamples: Sample[] = [];
const longPollSamples: Sample[] = [];
const crowdSamples: Sample[] = [];
// Each round's ratios compare runs made moments apart; the report gives their median.
const longPollRatios: number[] = [];
const crowdRatios: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  progress(`round ${round}/${ROUNDS}: xstate sends, 1 client long polling, 1,000 clients polling`);
  // The baseline is timed half before and half after the simulation runs it is compared with,
  // so that a machine that speeds up or slows down during the round biases neither side.
  const toggleBefore = timeSends(sendToggles, SENDS / 2);
  clientSendSamples.push(timeSends(sendClientTicks, CLIENT_SENDS));
  crowdToggleSamples.push(timeSends((n) => sendTogglesAcross(n, 1000), SENDS));
  const longPollRound = Array.from({ length: LONG_POLL_REPS_PER_ROUND }, () =>
    timeRun(longPollingHour()),
  );
  const crowdRound = timeRun(pollingCrowd(1000));
  const toggleAfter = timeSends(sendToggles, SENDS / 2);
  const toggleRound = {
    events: toggleBefore.events + toggleAfter.events,
    wallMs: toggleBefore.wallMs + toggleAfter.wallMs,
  };
  toggleSamples.push(toggleRound);
  longPollSamples.push(...longPollRound);
  crowdSamples.push(crowdRound);
  longPollRatios.push(median(longPollRound.map(perSecond)) / perSecond(toggleRound));
  crowdRatios.push(perSecond(crowdRound) / perSecond(toggleRound));
}
const toggle = summarise('(e) xstate send: toggle machine', toggleSamples);
const clientSend = summarise('(e) xstate send: client machine, tick', clientSendSamples);
const crowdToggle = summarise('(e) xstate send: 1,000 toggles, in turn', crowdToggleSamples);
const longPoll = summarise('(a) 1 client, long polling, 1 h', longPollSamples);
const crowd = summarise('(b) 1,000 clients, polling 5 s, 10 min', crowdSamples);

// (c) Scaling: the small crowds here; 1,000 is (b); 10,000 is (d), in its own process.
const scaling: Row[] = [];
for (const [clients, reps] of [
  [10, quick ? 3 : 7],
  [100, quick ? 2 : 3],
] as const) {
  progress(`scaling: ${int(clients)} clients × ${reps}`);
  const samples = Array.from({ length: reps }, () => timeRun(pollingCrowd(clients)));
  scaling.push(summarise(`(c) ${int(clients)} clients`, samples));
}
scaling.push({ ...crowd, label: '(c) 1,000 clients', note: '= (b)' });

// (d) 10,000 clients, in a child process so that its peak memory is its own.
let memory: MemoryReport | undefined;
if (!quick) {
  progress('10,000 clients in a child process (about 2–3 minutes)');
  memory = measureInChild(10_000);
  scaling.push({
    label: '(c) 10,000 clients',
    reps: 1,
    wallMs: memory.wallMs,
    events: memory.events,
    eventsPerS: (memory.events / memory.wallMs) * 1000,
    note: '= (d), child process',
  });
}

// xstate's own cost across as many actors as (d) has clients: what the processor's caches cost
// it, to set against how the simulation's cost per event grows from 1,000 to 10,000 clients.
let crowdToggle10k: Row | undefined;
if (!quick) {
  progress('xstate sends across 10,000 toggles');
  const samples = Array.from({ length: 3 }, () =>
    timeSends((n) => sendTogglesAcross(n, 10_000), SENDS),
  );
  crowdToggle10k = summarise('(e) xstate send: 10,000 toggles, in turn', samples);
}

// ---- The report ----

const ratioLongPoll = median(longPollRatios);
const ratioCrowd = median(crowdRatios);
const goal = (ok: boolean) => (ok ? 'goal met' : 'goal not met');
/** The lowest and highest of the rounds' ratios, which show how much the machine varied. */
const range = (ratios: number[]) =>
  `${fixed(100 * Math.min(...ratios), 1)}–${fixed(100 * Math.max(...ratios), 1)} %`;
const first = scaling[0];
const last = scaling[scaling.length - 1];
const perEventRatio = (x: Row, y: Row) =>
  `  (c) µs/event, ${x.label.slice(4)} ÷ ${y.label.slice(4)}`.padEnd(38) +
  fixed(usPerEvent(x) / usPerEvent(y), 2).padStart(7);

console.log(
  table([
    toggle,
    clientSend,
    crowdToggle,
    ...(crowdToggle10k ? [crowdToggle10k] : []),
    longPoll,
    crowd,
    ...scaling,
  ]),
);
console.log();
console.log('Ratios (medians of per-round ratios):');
console.log(
  `  (a) sim events/s ÷ toggle send/s    ${pct(ratioLongPoll).padStart(7)}   (${goal(ratioLongPoll >= RATIO_GOAL)}: ≥ ${pct(RATIO_GOAL)}; rounds ${range(longPollRatios)})`,
);
console.log(
  `  (b) sim events/s ÷ toggle send/s    ${pct(ratioCrowd).padStart(7)}   (${goal(ratioCrowd >= RATIO_GOAL)}: ≥ ${pct(RATIO_GOAL)}; rounds ${range(crowdRatios)})`,
);
console.log(
  `  (b) sim events/s ÷ client send/s    ${pct(crowd.eventsPerS / clientSend.eventsPerS).padStart(7)}`,
);
console.log(
  `${'  (b) sim events/s ÷ 1,000 toggles/s'.padEnd(38)}${pct(crowd.eventsPerS / crowdToggle.eventsPerS).padStart(7)}   (xstate alone slows ${fixed(toggle.eventsPerS / crowdToggle.eventsPerS, 2)}× across 1,000 actors)`,
);
console.log(`${perEventRatio(last, first)}   (1.00 = cost linear in events)`);
// The exponent k of wall time ∝ events^k, fitted by least squares on logs over the crowds.
const logs = scaling.map((r) => [Math.log(r.events), Math.log(r.wallMs)] as const);
const meanX = logs.reduce((sum, [x]) => sum + x, 0) / logs.length;
const meanY = logs.reduce((sum, [, y]) => sum + y, 0) / logs.length;
const exponent =
  logs.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) /
  logs.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
console.log(
  `${'  (c) wall time ∝ events^k, fitted k'.padEnd(38)}${fixed(exponent, 3).padStart(7)}   (1.000 = linear; ${scaling.length} crowds, ${scaling[0].label.slice(4)} to ${last.label.slice(4)})`,
);
if (memory) {
  console.log(
    `${perEventRatio(last, scaling[scaling.length - 2])}   (small runs also pay a fixed start-up cost of a few ms)`,
  );
  if (crowdToggle10k) {
    console.log(
      `${'  (e) µs/send, 10,000 toggles ÷ 1,000'.padEnd(38)}${fixed(usPerEvent(crowdToggle10k) / usPerEvent(crowdToggle), 2).padStart(7)}   (xstate alone, from 1,000 to 10,000 actors)`,
    );
    console.log(
      `${'  (c) 10,000 clients ÷ 10,000 toggles'.padEnd(38)}${pct(last.eventsPerS / crowdToggle10k.eventsPerS).padStart(7)}   (against (b) ÷ 1,000 toggles: the same ratio means the simulation's own cost per event does not grow)`,
    );
  }
  console.log();
  console.log('(d) 10,000 clients × 10 min, polling every 5 s (child process):');
  console.log(`  wall time        ${wall(memory.wallMs)}`);
  console.log(`  trace events     ${int(memory.events)}`);
  console.log(`  trace bytes      ${mb(memory.traceBytes)} (${int(memory.traceBytes)} B)`);
  console.log(
    `  peak RSS         ${mb(memory.maxRssBytes)}   (${goal(memory.maxRssBytes < MEMORY_GOAL_BYTES)}: < 1 GB)`,
  );
  console.log(
    `  V8 heap at end   ${mb(memory.heapUsedBytes)} used of ${mb(memory.heapTotalBytes)} committed`,
  );
  console.log(`  typed arrays     ${mb(memory.arrayBuffersBytes)}`);
  console.log(`  heap after GC    ${mb(memory.retainedHeapBytes)} (the run's result alive)`);
}

// A block to paste into the README.
const md = (r: Row, label: string) =>
  `| ${label} | ${int(r.events)} | ${wall(r.wallMs)} | ${int(r.eventsPerS)} | ${fixed(usPerEvent(r), 1)} |`;
console.log();
console.log('README figures');
console.log('--------------');
console.log();
console.log(
  `Measured with \`npm run bench\` on ${machine}, node ${process.version}, xstate ${xstateVersion()} (medians).`,
);
console.log();
console.log('| Run | Trace events | Wall time | Events/s | µs/event |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(md(longPoll, '1 client, long polling, 1 h, chat'));
for (const r of scaling) {
  console.log(md(r, `${r.label.replace('(c) ', '')}, polling every 5 s, 10 min, chat`));
}
console.log(md(toggle, 'xstate `send` alone (toggle machine)'));
console.log();
console.log(
  `The simulation runs at ${pct(ratioLongPoll)} (1 client) and ${pct(ratioCrowd)} (1,000 clients) of bare ` +
    `xstate \`send\` throughput, counted in trace events.` +
    (memory
      ? ` 10,000 clients for 10 minutes make ${int(memory.events)} events ` +
        `(trace ${mb(memory.traceBytes)}) and peak at ${mb(memory.maxRssBytes)} resident.`
      : ''),
);
console.log();
console.log(`(bench took ${wall(performance.now() - benchT0)})`);
