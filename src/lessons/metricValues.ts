/**
 * The numbers a lesson can name: every metric of `computeMetrics` by its dotted path, plus a few
 * derived rates a student thinks in (requests a minute, the share of wasted round trips).
 */
import type { Metrics, Scenario } from '../sim';
import { bytes } from '../format';

const perMin = (x: number, s: Scenario, m: Metrics) => {
  const minutes = (Math.min(m.atMs, s.durationMs) || s.durationMs) / 60_000;
  return minutes > 0 ? x / minutes : 0;
};

const DERIVED: Record<string, (m: Metrics, s: Scenario) => number> = {
  requestsPerMin: (m, s) => perMin(m.requests, s, m),
  emptyPerMin: (m, s) => perMin(m.emptyResponses, s, m),
  bytesPerMin: (m, s) => perMin(m.bytes.total, s, m),
  /** Wasted round trips as a share of the responses that arrived (0 to 1). */
  emptyShare: (m) => (m.responses > 0 ? m.emptyResponses / m.responses : 0),
  /** Messages lost as a share of what each client should have got (0 to 1). */
  lostShare: (m, s) =>
    m.messagesPublished > 0 ? m.messagesLost / (m.messagesPublished * s.clients) : 0,
  requestsPerClient: (m, s) => m.requests / s.clients,
};

const PATHS = [
  'requests',
  'responses',
  'emptyResponses',
  'messageResponses',
  'messagesPublished',
  'messagesDelivered',
  'messagesLost',
  'messagesUndelivered',
  'duplicates',
  'latencyMs.mean',
  'latencyMs.p50',
  'latencyMs.p95',
  'latencyMs.max',
  'bytes.requests',
  'bytes.responses',
  'bytes.total',
  'server.peakHeldRequests',
  'server.peakRequestsPerSecond',
  'server.requestsHandled',
  'server.rateLimited',
  'server.overCapacity',
  'timeouts',
  'clientTimeouts',
  'skippedTicks',
  'errors',
  'requestsLost',
  'responsesLost',
  'proxyCuts',
] as const;

export const METRIC_NAMES: readonly string[] = [...PATHS, ...Object.keys(DERIVED)];

/** The value of a named metric (see METRIC_NAMES) for a run's metrics. */
export function metricValue(name: string, m: Metrics, s: Scenario): number {
  const derived = DERIVED[name];
  if (derived) return derived(m, s);
  let value: unknown = m;
  for (const part of name.split('.')) value = (value as Record<string, unknown>)?.[part];
  if (typeof value !== 'number') throw new Error(`unknown metric "${name}"`);
  return value;
}

/**
 * A metric as a lesson's prose shows it: counts with separators, latencies in ms or s, shares in
 * %, bytes in SI units.
 */
export function formatMetric(name: string, value: number): string {
  if (name.startsWith('latencyMs')) {
    return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
  }
  if (name.endsWith('Share')) return `${(value * 100).toFixed(1)} %`;
  // The same figure as the metrics panel and the CLI show: "850 B", "30.6 kB", "3.06 MB".
  if (name.startsWith('bytes')) return bytes(value);
  if (!Number.isInteger(value)) return value.toFixed(1);
  return value.toLocaleString('en-US');
}

/** `{{metric}}` or `{{metric@end}}` in a lesson's prose. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z0-9.]+)(@end)?\s*\}\}/g;

/** The metric names a text uses that do not exist (for the lesson checks). */
export function unknownPlaceholders(markdown: string): string[] {
  return [...markdown.matchAll(PLACEHOLDER)]
    .map((m) => m[1])
    .filter((name) => !METRIC_NAMES.includes(name));
}
