/**
 * The catalogue of metrics: every figure a run is measured by, with its name, its label, its
 * unit (which decides how it is formatted) and how it is read from the run's `Metrics`. The CLI
 * (table and JSON), the metrics panel, the compare table and the lessons' placeholders and
 * exercises all read metrics through it, so a figure reads the same everywhere.
 *
 * A new metric is one entry here plus its computation (a field of `Metrics`, counted in
 * metrics.ts, or a `read` derived from other fields).
 *
 * A figure that cannot be measured reads as NaN (shown "—", and null in the CLI's JSON): a
 * latency when no message was delivered, a share of nothing (no responses, nothing published).
 */
import { bytes, count, decimal, duration, percent } from '../format';
import type { Metrics } from './metrics';
import type { Scenario } from './scenario';

/** How a metric's figure is formatted: `number` is a count that may have a fraction (a rate). */
export type Unit = 'count' | 'number' | 'ms' | 'bytes' | 'share';

export const UNIT_FORMAT: Readonly<Record<Unit, (x: number) => string>> = {
  count,
  number: (x) => decimal(x, 1),
  ms: duration,
  bytes,
  share: percent,
};

/** The sections a table of every metric is split into, in order. */
export const METRIC_GROUPS = [
  'Requests',
  'Messages',
  'Latency, from publication to arrival',
  'Bytes',
  'Server',
  'Rates',
] as const;
export type MetricGroup = (typeof METRIC_GROUPS)[number];

export interface MetricDef {
  /** The name lessons and the CLI's JSON use: a dotted path into `Metrics`, or a derived name. */
  readonly name: string;
  /** The metric on its own: "Wasted round trips", "Mean latency". */
  readonly label: string;
  /** Its row under its group's heading, where the label would repeat it: "mean" under Latency. */
  readonly inGroup?: string;
  readonly group: MetricGroup;
  readonly unit: Unit;
  /** What it counts, for a comparison in words: "5.1× fewer requests". */
  readonly noun?: string;
  /** A part of all responses: tables indent it and give its share of them. */
  readonly partOfResponses?: boolean;
  /** What the figure means, where its label alone does not say. */
  readonly note?: string;
  /**
   * Its value for a run's metrics (of a run of `s`); NaN when it cannot be measured, as a figure
   * per client or per minute cannot without the scenario.
   */
  readonly read: (m: Metrics, s?: Scenario) => number;
}

/** A share of `whole`, or NaN when the whole is 0: a share of nothing is not 0 %. */
const share = (part: number, whole: number) => (whole > 0 ? part / whole : NaN);

/** A latency, or NaN when no message was delivered (the metrics hold 0 then). */
const latency =
  (pick: (l: Metrics['latencyMs']) => number) =>
  (m: Metrics): number =>
    m.messagesDelivered > 0 ? pick(m.latencyMs) : NaN;

/** A count per minute of the run so far (of its duration, once the playhead is past it). */
const perMin =
  (pick: (m: Metrics) => number) =>
  (m: Metrics, s?: Scenario): number => {
    if (!s) return NaN;
    const minutes = (Math.min(m.atMs, s.durationMs) || s.durationMs) / 60_000;
    return minutes > 0 ? pick(m) / minutes : 0;
  };

/**
 * The figures of one record of `Metrics` (`latencyMs`, `bytes`), one group, named by their key
 * under the group's heading.
 */
function part<K extends 'latencyMs' | 'bytes'>(
  record: K,
  group: MetricGroup,
  unit: Unit,
  reader: (pick: (r: Metrics[K]) => number) => (m: Metrics) => number,
  labels: Record<keyof Metrics[K], string>,
): MetricDef[] {
  return (Object.keys(labels) as (keyof Metrics[K] & string)[]).map((key) => ({
    name: `${record}.${key}`,
    group,
    label: labels[key],
    inGroup: key,
    unit,
    ...(unit === 'bytes' && { noun: 'bytes' }),
    read: reader((r) => r[key] as number),
  }));
}

const c = (name: string, group: MetricGroup, label: string, read: MetricDef['read']) =>
  ({ name, group, label, unit: 'count', noun: label.toLowerCase(), read }) as const;

export const METRICS: readonly MetricDef[] = [
  { ...c('requests', 'Requests', 'Requests', (m) => m.requests), inGroup: 'requests sent' },
  {
    ...c('responses', 'Requests', 'Responses', (m) => m.responses),
    inGroup: 'responses received',
    note: 'responses that reached their client, errors included',
  },
  {
    ...c('messageResponses', 'Requests', 'Responses with messages', (m) => m.messageResponses),
    inGroup: 'with messages',
    partOfResponses: true,
  },
  {
    ...c('emptyResponses', 'Requests', 'Wasted round trips', (m) => m.emptyResponses),
    inGroup: 'empty (wasted round trips)',
    partOfResponses: true,
  },
  {
    name: 'emptyShare',
    group: 'Requests',
    label: 'Share of responses wasted',
    inGroup: 'empty share of responses',
    unit: 'share',
    partOfResponses: true,
    read: (m) => share(m.emptyResponses, m.responses),
  },
  { ...c('errors', 'Requests', 'Errors', (m) => m.errors), partOfResponses: true },
  {
    ...c('timeouts', 'Requests', 'Hold timeouts', (m) => m.timeouts),
    note: 'long-poll holds that ran out ("no new data")',
  },
  c('proxyCuts', 'Requests', 'Proxy cuts', (m) => m.proxyCuts),
  c('clientTimeouts', 'Requests', 'Client timeouts', (m) => m.clientTimeouts),
  {
    ...c('skippedTicks', 'Requests', 'Skipped ticks', (m) => m.skippedTicks),
    note: 'poll timer fired while a request was outstanding',
  },
  c('requestsLost', 'Requests', 'Requests lost', (m) => m.requestsLost),
  c('responsesLost', 'Requests', 'Responses lost', (m) => m.responsesLost),
  {
    ...c('heartbeats', 'Requests', 'Heartbeats', (m) => m.heartbeats),
    note: 'SSE comment lines and WebSocket pings that keep a stream busy',
  },
  {
    ...c('streamBreaks', 'Requests', 'Streams broken', (m) => m.streamBreaks),
    note: 'streams and sockets the server or a proxy closed; each costs a reconnect',
  },
  {
    ...c('messagesPublished', 'Messages', 'Messages published', (m) => m.messagesPublished),
    inGroup: 'published',
  },
  {
    ...c('messagesDelivered', 'Messages', 'Messages delivered', (m) => m.messagesDelivered),
    inGroup: 'delivered',
    note: 'counted per client',
  },
  {
    ...c('messagesLost', 'Messages', 'Messages lost', (m) => m.messagesLost),
    inGroup: 'lost',
  },
  {
    name: 'lostShare',
    group: 'Messages',
    label: 'Share of messages lost',
    unit: 'share',
    note: 'of what each client should have got',
    read: (m, s) => (s ? share(m.messagesLost, m.messagesPublished * s.clients) : NaN),
  },
  {
    ...c('messagesUndelivered', 'Messages', 'Messages undelivered', (m) => m.messagesUndelivered),
    inGroup: 'undelivered',
    note: 'still on the way when the run ended',
  },
  {
    ...c('duplicates', 'Messages', 'Duplicates', (m) => m.duplicates),
    noun: 'duplicate messages',
  },
  ...part('latencyMs', 'Latency, from publication to arrival', 'ms', latency, {
    mean: 'Mean latency',
    p50: 'p50 latency',
    p95: 'p95 latency',
    max: 'Max latency',
  }),
  ...part('bytes', 'Bytes', 'bytes', (pick) => (m) => pick(m.bytes), {
    requests: 'Request bytes',
    responses: 'Response bytes',
    total: 'Bytes on the wire',
  }),
  c('server.requestsHandled', 'Server', 'Requests handled', (m) => m.server.requestsHandled),
  {
    ...c(
      'server.peakHeldRequests',
      'Server',
      'Peak held requests',
      (m) => m.server.peakHeldRequests,
    ),
    noun: 'held at once',
  },
  {
    ...c(
      'server.peakRequestsPerSecond',
      'Server',
      'Peak requests in one second',
      (m) => m.server.peakRequestsPerSecond,
    ),
    inGroup: 'peak requests in 1 s',
    noun: 'requests in one second',
  },
  {
    ...c('server.rateLimited', 'Server', 'Rate limited (429)', (m) => m.server.rateLimited),
    noun: 'rate-limited responses',
    note: 'refused: the client was over the rate limit',
  },
  {
    ...c('server.overCapacity', 'Server', 'Over capacity (503)', (m) => m.server.overCapacity),
    noun: 'over-capacity responses',
    note: 'long polls refused: the server held its maximum',
  },
  {
    name: 'requestsPerMin',
    group: 'Rates',
    label: 'Requests a minute',
    unit: 'number',
    noun: 'requests a minute',
    read: perMin((m) => m.requests),
  },
  {
    name: 'emptyPerMin',
    group: 'Rates',
    label: 'Wasted round trips a minute',
    unit: 'number',
    noun: 'wasted round trips a minute',
    read: perMin((m) => m.emptyResponses),
  },
  {
    name: 'bytesPerMin',
    group: 'Rates',
    label: 'Bytes a minute',
    unit: 'bytes',
    noun: 'bytes a minute',
    read: perMin((m) => m.bytes.total),
  },
  {
    name: 'requestsPerClient',
    group: 'Rates',
    label: 'Requests per client',
    unit: 'number',
    noun: 'requests per client',
    read: (m, s) => (s ? m.requests / s.clients : NaN),
  },
];

const BY_NAME = new Map(METRICS.map((d) => [d.name, d]));

export const METRIC_NAMES: readonly string[] = METRICS.map((d) => d.name);

/** The catalogue's entry for a metric; throws for a name it does not have. */
export function metricDef(name: string): MetricDef {
  const def = BY_NAME.get(name);
  if (!def) throw new Error(`unknown metric "${name}"`);
  return def;
}

/** The value of a named metric for a run's metrics; NaN when it cannot be measured. */
export function metricValue(name: string, m: Metrics, s: Scenario): number {
  return metricDef(name).read(m, s);
}

/** A metric's figure as every view shows it: "1,234", "1.05 s", "30.6 kB", "80 %"; "—" for NaN. */
export function formatMetric(name: string, value: number): string {
  return UNIT_FORMAT[metricDef(name).unit](value);
}

/** A metric's row label in a table grouped by `METRIC_GROUPS`: "mean" under Latency. */
export const labelInGroup = (d: MetricDef): string =>
  d.inGroup ?? d.label.charAt(0).toLowerCase() + d.label.slice(1);
