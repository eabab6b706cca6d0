/**
 * Text formatting for the command line: numbers with their units, and the aligned tables of one
 * run's metrics or of a polling / long-polling comparison. Pure functions of the metrics and the
 * scenario, so that they can be tested without running a command.
 */
import type { Metrics, Scenario } from './sim/index';
// One byte formatter for the CLI, the playground and the lessons, so a figure reads the same.
import { bytes as formatBytes } from './format';

const count = (n: number) => n.toLocaleString('en-US');

/** A latency or a duration: "62 ms", "62.4 ms", "1.25 s", "30 s". */
export function formatMs(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const x = Math.abs(ms);
  if (x < 1000) return `${sign}${trim(x.toFixed(1))} ms`;
  if (x < 100_000) return `${sign}${trim((x / 1000).toFixed(2))} s`;
  return `${sign}${count(Math.round(x / 1000))} s`;
}

/** A scenario's length, in the unit a person would say: "45 s", "2 min", "2 min 30 s", "24 h". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return formatMs(ms);
  const h = Math.floor(ms / 3_600_000);
  const min = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const parts = [h && `${h} h`, min && `${min} min`, s && `${trim(s.toFixed(1))} s`];
  return parts.filter(Boolean).join(' ');
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** A ratio b / a to three figures: "×0.0533", "×1.03", "×12.8"; "same" when equal, "+n" or "-n" when
 * one side is 0. */
export function formatRatio(a: number, b: number, format: (x: number) => string = count): string {
  if (a === b) return 'same';
  if (a === 0) return `+${format(b)}`;
  if (b === 0) return `-${format(a)}`;
  const r = b / a;
  if (r >= 1000) return `×${count(Math.round(r))}`;
  return `×${Number(r.toPrecision(3))}`;
}

/** A difference b − a with its sign: "-948 ms", "+12 ms"; "same" when equal. */
export function formatDelta(a: number, b: number, format: (x: number) => string): string {
  if (a === b) return 'same';
  const d = b - a;
  return d > 0 ? `+${format(d)}` : format(d);
}

/** "12.50" → "12.5", "30.00" → "30"; leaves integers alone. */
function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** Empty responses as a share of all responses that reached a client. */
export const emptyShare = (m: Metrics) => (m.responses > 0 ? m.emptyResponses / m.responses : 0);

function describeMessages(spec: Scenario['messages']): string {
  if (spec.script) {
    return spec.script.length === 0 ? 'none' : `${count(spec.script.length)} at scripted times`;
  }
  if (spec.everyMs !== undefined) {
    return `one every ${formatMs(spec.everyMs)} (${trim((1000 / spec.everyMs).toFixed(2))} a second)`;
  }
  if (spec.poisson) return `at random (Poisson), ${spec.poisson.ratePerMin} a minute on average`;
  if (spec.bursts) {
    const { everyMs, size, spreadMs } = spec.bursts;
    const spread = spreadMs > 0 ? `, spread over ${formatMs(spreadMs)}` : '';
    return `bursts of ${count(size)} every ${formatMs(everyMs)}${spread}`;
  }
  return 'none';
}

function describeMode(s: Scenario, mode: Scenario['mode']): string {
  if (mode === 'polling') {
    const timer = s.pollTimer === 'fixed' ? 'fixed timer' : 'timer restarted after each response';
    return `polling every ${formatMs(s.pollIntervalMs)} (${timer})`;
  }
  const repoll = s.repollDelayMs > 0 ? `, re-poll after ${formatMs(s.repollDelayMs)}` : '';
  return `long polling, hold ${formatMs(s.longPollTimeoutMs)}${repoll}`;
}

/** The lines that head every output: name, mode, clients, duration and what shapes the run. */
export function describeScenario(s: Scenario, modes: Scenario['mode'][] = [s.mode]): string[] {
  const lines = [s.name ?? 'Unnamed scenario'];
  const clients = s.clients === 1 ? '1 client' : `${count(s.clients)} clients`;
  lines.push(
    `${modes.map((mode) => describeMode(s, mode)).join(' vs ')} · ${clients} · ` +
      `${formatDuration(s.durationMs)} · seed ${s.seed}`,
  );
  const { latencyMs, jitterMs, lossRate } = s.network;
  const network = [`network ${formatMs(latencyMs)} one way`];
  if (jitterMs > 0) network.push(`+ up to ${formatMs(jitterMs)} jitter`);
  if (lossRate > 0) network.push(`${formatPercent(lossRate)} loss`);
  const extras = [`messages: ${describeMessages(s.messages)}`, network.join(' ')];
  if (s.proxy) extras.push(`proxy cuts idle requests at ${formatMs(s.proxy.idleTimeoutMs)}`);
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
    extras.push(`server restart at ${formatDuration(f.atMs)}, down ${formatMs(f.downMs)}`);
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

const exactBytes = (n: number) => `${count(n)} bytes`;

/** The metrics of one run, headed by the scenario. */
export function formatRun(s: Scenario, m: Metrics): string {
  const share = (n: number) =>
    m.responses > 0 ? `${formatPercent(n / m.responses)} of responses` : '';
  const expected = m.messagesPublished * s.clients;
  // The metrics report 0 when nothing was delivered; a dash says so without faking a figure.
  const latency = (ms: number) => (m.messagesDelivered > 0 ? formatMs(ms) : '—');
  const none = m.messagesDelivered > 0 ? '' : 'no message delivered';
  // Errors include the server's refusals; say so when there are some.
  const refusals =
    m.server.rateLimited + m.server.overCapacity > 0 ? ', refusals (429, 503) included' : '';
  const rows: Row[] = [
    { section: 'Requests' },
    ['requests sent', count(m.requests)],
    ['responses received', count(m.responses)],
    ['  with messages', count(m.messageResponses), share(m.messageResponses)],
    ['  empty (wasted round trips)', count(m.emptyResponses), share(m.emptyResponses)],
    ['  errors', count(m.errors), share(m.errors) + refusals],
    ['hold timeouts', count(m.timeouts), 'long-poll holds that ran out ("no new data")'],
    ['proxy cuts', count(m.proxyCuts)],
    ['client timeouts', count(m.clientTimeouts)],
    ['skipped ticks', count(m.skippedTicks), 'poll timer fired while a request was outstanding'],
    ['requests lost', count(m.requestsLost)],
    ['responses lost', count(m.responsesLost)],
    { section: 'Messages' },
    ['published', count(m.messagesPublished)],
    [
      'delivered',
      count(m.messagesDelivered),
      `of ${count(expected)} (${count(m.messagesPublished)} × ${count(s.clients)} clients)`,
    ],
    ['lost', count(m.messagesLost)],
    ['undelivered', count(m.messagesUndelivered), 'still on the way when the run ended'],
    ['duplicates', count(m.duplicates)],
    { section: 'Latency, from publication to arrival' },
    ['mean', latency(m.latencyMs.mean), none],
    ['p50', latency(m.latencyMs.p50)],
    ['p95', latency(m.latencyMs.p95)],
    ['max', latency(m.latencyMs.max)],
    { section: 'Bytes' },
    ['requests', formatBytes(m.bytes.requests), exactBytes(m.bytes.requests)],
    ['responses', formatBytes(m.bytes.responses), exactBytes(m.bytes.responses)],
    ['total', formatBytes(m.bytes.total), exactBytes(m.bytes.total)],
    { section: 'Server' },
    ['requests handled', count(m.server.requestsHandled)],
    ['peak held requests', count(m.server.peakHeldRequests)],
    ['peak requests in 1 s', count(m.server.peakRequestsPerSecond)],
    [
      'rate limited (429)',
      count(m.server.rateLimited),
      'refused: the client was over the rate limit',
    ],
    [
      'over capacity (503)',
      count(m.server.overCapacity),
      'long polls refused: the server held its maximum',
    ],
  ];
  return `${describeScenario(s).join('\n')}\n\n${renderTable(rows, 1)}\n`;
}

/** Polling and long polling side by side, with long polling's difference from polling. */
export function formatCompare(s: Scenario, polling: Metrics, longPolling: Metrics): string {
  const p = polling;
  const l = longPolling;
  const c = (label: string, pick: (m: Metrics) => number): Row => [
    label,
    count(pick(p)),
    count(pick(l)),
    formatRatio(pick(p), pick(l)),
  ];
  const ms = (label: string, pick: (m: Metrics) => number): Row => [
    label,
    formatMs(pick(p)),
    formatMs(pick(l)),
    formatDelta(pick(p), pick(l), formatMs),
  ];
  const b = (label: string, pick: (m: Metrics) => number): Row => [
    label,
    formatBytes(pick(p)),
    formatBytes(pick(l)),
    formatRatio(pick(p), pick(l), formatBytes),
  ];
  const points = (a: number, z: number) => {
    const d = (z - a) * 100;
    return Math.abs(d) < 0.05 ? 'same' : `${d > 0 ? '+' : ''}${d.toFixed(1)} points`;
  };
  const rows: Row[] = [
    ['', 'polling', 'long polling', 'difference'],
    { section: 'Requests' },
    c('requests sent', (m) => m.requests),
    c('responses received', (m) => m.responses),
    c('  with messages', (m) => m.messageResponses),
    c('  empty (wasted round trips)', (m) => m.emptyResponses),
    [
      '  empty share of responses',
      formatPercent(emptyShare(p)),
      formatPercent(emptyShare(l)),
      points(emptyShare(p), emptyShare(l)),
    ],
    c('  errors', (m) => m.errors),
    c('hold timeouts', (m) => m.timeouts),
    c('client timeouts', (m) => m.clientTimeouts),
    { section: 'Messages' },
    c('published', (m) => m.messagesPublished),
    c('delivered', (m) => m.messagesDelivered),
    c('lost', (m) => m.messagesLost),
    c('undelivered', (m) => m.messagesUndelivered),
    c('duplicates', (m) => m.duplicates),
    { section: 'Latency, from publication to arrival' },
    ms('mean', (m) => m.latencyMs.mean),
    ms('p50', (m) => m.latencyMs.p50),
    ms('p95', (m) => m.latencyMs.p95),
    ms('max', (m) => m.latencyMs.max),
    { section: 'Bytes' },
    b('requests', (m) => m.bytes.requests),
    b('responses', (m) => m.bytes.responses),
    b('total', (m) => m.bytes.total),
    { section: 'Server' },
    c('requests handled', (m) => m.server.requestsHandled),
    c('peak held requests', (m) => m.server.peakHeldRequests),
    c('peak requests in 1 s', (m) => m.server.peakRequestsPerSecond),
    c('rate limited (429)', (m) => m.server.rateLimited),
    c('over capacity (503)', (m) => m.server.overCapacity),
  ];
  const note =
    'difference: ×ratio of long polling to polling; latency as long polling minus polling.';
  const head = describeScenario(s, ['polling', 'long-polling']).join('\n');
  return `${head}\n\n${renderTable(rows, 3)}\n\n${note}\n`;
}
