/**
 * Text for the command line: the heading that describes a scenario, and aligned tables of one
 * run's metrics or of a polling / long-polling comparison. Every metric of the catalogue
 * (src/sim/catalogue.ts) has a row, under its group, formatted as everywhere else (src/format.ts).
 * Pure functions of the metrics and the scenario, so that they can be tested without running a
 * command.
 */
import { count, decimal, duration, longDuration, percent, ratio } from './format';
import {
  labelInGroup,
  METRIC_GROUPS,
  METRICS,
  UNIT_FORMAT,
  type MetricDef,
  type Metrics,
  type Scenario,
} from './sim/index';

/** A ratio b / a to three figures: "×0.0533", "×1.03", "×12.8"; "same" when equal, "+n" or "-n"
 * when one side is 0. */
export function formatRatio(a: number, b: number, format: (x: number) => string = count): string {
  if (a === b) return 'same';
  if (a === 0) return `+${format(b)}`;
  if (b === 0) return `-${format(a)}`;
  return `×${ratio(b / a, 3)}`;
}

/** A difference b − a with its sign: "-948 ms", "+12 ms"; "same" when equal. */
export function formatDelta(a: number, b: number, format: (x: number) => string): string {
  if (a === b) return 'same';
  const d = b - a;
  return d > 0 ? `+${format(d)}` : format(d);
}

/** A difference of two shares in percentage points: "+12.5 points"; "same" within 0.05. */
function formatPoints(a: number, b: number): string {
  const d = (b - a) * 100;
  return Math.abs(d) < 0.05 ? 'same' : `${d > 0 ? '+' : ''}${decimal(d, 1)} points`;
}

/** Long polling's difference from polling, as the metric's unit compares: a ratio or a delta. */
function difference(d: MetricDef, a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return '—';
  const format = UNIT_FORMAT[d.unit];
  if (d.unit === 'ms') return formatDelta(a, b, format);
  if (d.unit === 'share') return formatPoints(a, b);
  return formatRatio(a, b, format);
}

function describeMessages(spec: Scenario['messages']): string {
  if (spec.script) {
    return spec.script.length === 0 ? 'none' : `${count(spec.script.length)} at scripted times`;
  }
  if (spec.everyMs !== undefined) {
    return `one every ${duration(spec.everyMs)} (${decimal(1000 / spec.everyMs, 2)} a second)`;
  }
  if (spec.poisson) return `at random (Poisson), ${spec.poisson.ratePerMin} a minute on average`;
  if (spec.bursts) {
    const { everyMs, size, spreadMs } = spec.bursts;
    const spread = spreadMs > 0 ? `, spread over ${duration(spreadMs)}` : '';
    return `bursts of ${count(size)} every ${duration(everyMs)}${spread}`;
  }
  return 'none';
}

function describeMode(s: Scenario, mode: Scenario['mode']): string {
  if (mode === 'polling') {
    const timer = s.pollTimer === 'fixed' ? 'fixed timer' : 'timer restarted after each response';
    return `polling every ${duration(s.pollIntervalMs)} (${timer})`;
  }
  if (mode === 'sse') {
    const heartbeat =
      s.sse.heartbeatMs > 0 ? `, a heartbeat every ${duration(s.sse.heartbeatMs)}` : '';
    return `Server-Sent Events, reconnect after ${duration(s.sse.retryMs)}${heartbeat}`;
  }
  if (mode === 'websocket') {
    const ping = s.websocket.pingIntervalMs;
    const pings = ping > 0 ? `a ping every ${duration(ping)}` : 'no pings';
    return `WebSocket, ${pings}${s.websocket.resume ? ', resuming from its cursor' : ''}`;
  }
  const repoll = s.repollDelayMs > 0 ? `, re-poll after ${duration(s.repollDelayMs)}` : '';
  return `long polling, hold ${duration(s.longPollTimeoutMs)}${repoll}`;
}

/** The lines that head every output: name, mode, clients, duration and what shapes the run. */
export function describeScenario(s: Scenario, modes: Scenario['mode'][] = [s.mode]): string[] {
  const lines = [s.name ?? 'Unnamed scenario'];
  const clients = s.clients === 1 ? '1 client' : `${count(s.clients)} clients`;
  lines.push(
    `${modes.map((mode) => describeMode(s, mode)).join(' vs ')} · ${clients} · ` +
      `${longDuration(s.durationMs)} · seed ${s.seed}`,
  );
  const { latencyMs, jitterMs, lossRate } = s.network;
  const network = [`network ${duration(latencyMs)} one way`];
  if (jitterMs > 0) network.push(`+ up to ${duration(jitterMs)} jitter`);
  if (lossRate > 0) network.push(`${percent(lossRate)} loss`);
  const extras = [`messages: ${describeMessages(s.messages)}`, network.join(' ')];
  if (s.proxy) extras.push(`proxy cuts idle requests at ${duration(s.proxy.idleTimeoutMs)}`);
  const { rateLimit, maxHeldRequests } = s.server;
  if (rateLimit) {
    extras.push(
      `rate limit ${count(rateLimit.requestsPerMin)} requests a minute per client, ` +
        `burst ${count(rateLimit.burst)}`,
    );
  }
  if (maxHeldRequests != null) {
    extras.push(`server holds at most ${count(maxHeldRequests)} requests at once`);
  }
  for (const f of s.faults) {
    extras.push(`server restart at ${longDuration(f.atMs)}, down ${duration(f.downMs)}`);
  }
  if (s.interventions.length > 0) extras.push(`${s.interventions.length} intervention(s)`);
  lines.push(extras.join(' · '));
  return lines;
}

type Row = [label: string, ...cells: string[]] | { section: string };

/** Aligns rows: labels left, value columns right, the last column (a note) left. */
function renderTable(rows: Row[], rightAligned: number): string {
  const cellRows = rows.filter((r): r is [string, ...string[]] => Array.isArray(r));
  const widths: number[] = [];
  for (const r of cellRows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const lines = rows.map((r) => {
    if (!Array.isArray(r)) return r.section;
    const cells = r.map((c, i) => {
      if (i === 0) return `  ${c.padEnd(widths[0])}`;
      if (i <= rightAligned) return c.padStart(widths[i]);
      return c;
    });
    return cells.join('  ').trimEnd();
  });
  return lines.join('\n');
}

/** What a row adds to its figure in one run's table: a share, an exact size, a caveat. */
function runNote(d: MetricDef, s: Scenario, m: Metrics): string {
  const value = d.read(m, s);
  if (d.name === 'latencyMs.mean' && m.messagesDelivered === 0) return 'no message delivered';
  if (d.name === 'messagesDelivered') {
    const expected = m.messagesPublished * s.clients;
    return `of ${count(expected)} (${count(m.messagesPublished)} × ${count(s.clients)} clients)`;
  }
  if (d.unit === 'bytes' && d.group === 'Bytes') return `${count(value)} bytes`;
  if (d.partOfResponses && d.unit === 'count') {
    if (m.responses === 0) return '';
    const share = `${percent(value / m.responses)} of responses`;
    // Errors include the server's refusals; say so when there are some.
    const refused = m.server.rateLimited + m.server.overCapacity > 0;
    return d.name === 'errors' && refused ? `${share}, refusals (429, 503) included` : share;
  }
  return d.note ?? '';
}

/** Every metric of the catalogue, under its group's heading: [label, ...cells]. */
function metricRows(cells: (d: MetricDef) => string[]): Row[] {
  return METRIC_GROUPS.flatMap((group): Row[] => [
    { section: group },
    ...METRICS.filter((d) => d.group === group).map((d): Row => [
      `${d.partOfResponses ? '  ' : ''}${labelInGroup(d)}`,
      ...cells(d),
    ]),
  ]);
}

/** The metrics of one run, headed by the scenario. */
export function formatRun(s: Scenario, m: Metrics): string {
  const rows = metricRows((d) => [UNIT_FORMAT[d.unit](d.read(m, s)), runNote(d, s, m)]);
  return `${describeScenario(s).join('\n')}\n\n${renderTable(rows, 1)}\n`;
}

/** The four modes a comparison runs, with the names of their columns and JSON keys. */
export const COMPARED_MODES = [
  { mode: 'polling', key: 'polling', title: 'polling' },
  { mode: 'long-polling', key: 'longPolling', title: 'long polling' },
  { mode: 'sse', key: 'sse', title: 'SSE' },
  { mode: 'websocket', key: 'websocket', title: 'WebSocket' },
] as const;

/**
 * The four modes side by side on the same workload and seed, with long polling's difference from
 * polling (the course's own comparison).
 */
export function formatCompare(s: Scenario, byMode: Record<Scenario['mode'], Metrics>): string {
  const rows: Row[] = [
    ['', ...COMPARED_MODES.map((c) => c.title), 'long polling vs polling'],
    ...metricRows((d) => {
      const values = COMPARED_MODES.map((c) => d.read(byMode[c.mode], { ...s, mode: c.mode }));
      return [...values.map((x) => UNIT_FORMAT[d.unit](x)), difference(d, values[0], values[1])];
    }),
  ];
  const note =
    'long polling vs polling: ×ratio of long polling to polling; latency as long polling minus ' +
    'polling; shares in percentage points.';
  const head = describeScenario(
    s,
    COMPARED_MODES.map((c) => c.mode),
  ).join('\n');
  return `${head}\n\n${renderTable(rows, 5)}\n\n${note}\n`;
}
