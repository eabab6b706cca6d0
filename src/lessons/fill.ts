/**
 * `{{metric}}` and `{{metric@end}}` filled from a run: the first at a given moment (a step's
 * condition), the second over the whole run. Shared by a step's prose and its exercise's texts.
 */
import { metricsAt, type Run, type Scenario } from '../sim';
import { formatMetric, metricValue, PLACEHOLDER } from './metricValues';

export function fillFromRun(text: string, run: Run, scenario: Scenario, atMs: number): string {
  if (!text.includes('{{')) return text;
  // The whole run is measured over its duration, even when its last event comes earlier.
  const endMs = Math.max(run.endMs, scenario.durationMs);
  return text.replace(PLACEHOLDER, (_, name: string, end: string | undefined) =>
    formatMetric(name, metricValue(name, metricsAt(run, end ? endMs : atMs), scenario)),
  );
}
