/**
 * The numbers a lesson can name are the metrics of the catalogue (src/sim/catalogue.ts), by
 * name: `requests`, `latencyMs.p95`, `emptyShare`. A lesson reads and shows them as the CLI and
 * the views do; this file adds only the `{{metric}}` placeholders of the prose.
 */
import { METRIC_NAMES } from '../sim';

export { METRIC_NAMES, metricValue, formatMetric } from '../sim';

/** `{{metric}}` or `{{metric@end}}` in a lesson's prose. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z0-9.]+)(@end)?\s*\}\}/g;

/** The metric names a text uses that do not exist (for the lesson checks). */
export function unknownPlaceholders(markdown: string): string[] {
  return [...markdown.matchAll(PLACEHOLDER)]
    .map((m) => m[1])
    .filter((name) => !METRIC_NAMES.includes(name));
}
