/**
 * Numbers in a lesson's prose come from the run: `{{requests}}` is the metric at the moment the
 * step runs until, `{{requests@end}}` at the end of the run. So the text can never disagree with
 * the diagram beside it.
 */
import { conditionTime, runOf } from './check';
import { fillFromRun } from './fill';
import type { LessonStep } from './parse';

export function fillPlaceholders(step: LessonStep, markdown = step.markdown): string {
  if (!markdown.includes('{{')) return markdown;
  const run = runOf(step.scenario);
  const at = conditionTime(run, step.until) ?? run.endMs;
  return fillFromRun(markdown, run, step.scenario, at);
}
