/**
 * Reads a lesson file: YAML frontmatter, then steps that each begin with a "## " heading, with
 * an optional ```step block of YAML that sets the scenario, the condition to run until, the
 * marks to highlight and an exercise. Every problem is reported with its file, line and field.
 */
import * as v from 'valibot';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { mergeScenario, parseScenario, type Scenario } from '../sim';
import {
  exerciseTexts,
  FrontmatterSchema,
  StepBlockSchema,
  type Condition,
  type Exercise,
  type Frontmatter,
} from './schema';
import { unknownPlaceholders } from './metricValues';
import type { Selector } from './selectors';

/** A step's scenario patch merges by the scenario's rules, as an intervention does. */
export { mergeScenario };

export class LessonError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'LessonError';
  }
}

export interface LessonStep {
  /** From 1, as a deep link names it. */
  number: number;
  title: string;
  markdown: string;
  line: number;
  scenario: Scenario;
  until?: Condition;
  highlight: Selector[];
  notes?: string;
  exercise?: Exercise;
}

export interface Lesson {
  /** The folder's name, e.g. "02-polling". */
  id: string;
  file: string;
  title: string;
  summary: string;
  teacherNotes?: string;
  sources: Frontmatter['sources'];
  steps: LessonStep[];
}

function yamlAt(source: string, file: string, firstLine: number, what: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = firstLine + (lineCounter.linePos(error.pos[0]).line - 1);
    throw new LessonError(
      file,
      line,
      what,
      `the YAML cannot be read: ${error.message.split('\n')[0]}`,
    );
  }
  /** The file line of a field, for messages; the block's first line when it cannot be found. */
  const lineOf = (path: (string | number)[]) => {
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as
        { range?: [number, number, number] } | undefined;
      if (node?.range) return firstLine + (lineCounter.linePos(node.range[0]).line - 1);
    }
    return firstLine;
  };
  return { value: doc.toJS() as unknown, lineOf, doc: doc as Document };
}

function check<T>(
  schema: v.GenericSchema<unknown, T>,
  input: unknown,
  file: string,
  lineOf: (path: (string | number)[]) => number,
  prefix: string,
): T {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((p) => p.key as string | number);
  const field = [prefix, ...path.map(String)].filter(Boolean).join('.');
  const detail =
    issue.type === 'strict_object' && issue.expected === 'never'
      ? 'unknown field'
      : issue.input === undefined && issue.kind === 'schema'
        ? 'required field is missing'
        : issue.message;
  throw new LessonError(file, lineOf(path), field, detail);
}

/**
 * Parses a lesson. `scenarios` maps the names of scenarios/ files to their contents, for a
 * frontmatter that names one.
 */
export function parseLesson(
  id: string,
  source: string,
  scenarios: Record<string, unknown>,
  file = `lessons/${id}/index.md`,
): Lesson {
  const lines = source.split('\n');
  if (lines[0]?.trim() !== '---')
    throw new LessonError(file, 1, 'frontmatter', 'expected the file to start with "---"');
  const close = lines.indexOf('---', 1);
  if (close < 0) throw new LessonError(file, 1, 'frontmatter', 'expected a closing "---"');
  const front = yamlAt(lines.slice(1, close).join('\n'), file, 2, 'frontmatter');
  const meta = check(FrontmatterSchema, front.value, file, front.lineOf, '');

  let base: Record<string, unknown>;
  if (typeof meta.scenario === 'string') {
    const named = scenarios[meta.scenario];
    if (!named) {
      const known = Object.keys(scenarios).join(', ');
      throw new LessonError(
        file,
        front.lineOf(['scenario']),
        'scenario',
        `no scenario named "${meta.scenario}" in scenarios/ (there are: ${known})`,
      );
    }
    base = named as Record<string, unknown>;
  } else {
    base = meta.scenario;
  }

  // Split the body into steps at "## " headings; a ```step block belongs to its step.
  const steps: LessonStep[] = [];
  let current: {
    title: string;
    line: number;
    body: string[];
    block?: { text: string[]; line: number };
  } | null = null;
  let inBlock = false;
  let inFence = false;
  const flush = () => {
    if (!current) return;
    const number = steps.length + 1;
    const where = `step ${number} ("${current.title}")`;
    let block: v.InferOutput<typeof StepBlockSchema> = {};
    if (current.block) {
      const y = yamlAt(current.block.text.join('\n'), file, current.block.line, where);
      block = check(StepBlockSchema, y.value ?? {}, file, y.lineOf, where);
    }
    const previous = steps.at(-1)?.scenario as Record<string, unknown> | undefined;
    const patch = block.scenario ?? {};
    const merged = mergeScenario(previous ?? base, patch);
    // The playground shows the scenario's name: a step that changes the scenario is named after
    // itself, unless it names its scenario, so the picker never calls 200 long pollers "Ten
    // clients polling every 2 s".
    if (block.scenario && patch.name === undefined) merged.name = `${meta.title}: ${current.title}`;
    const parsed = parseScenario(merged);
    if (!parsed.ok) {
      throw new LessonError(
        file,
        current.block?.line ?? current.line,
        `${where}.scenario`,
        parsed.message,
      );
    }
    steps.push({
      number,
      title: current.title,
      markdown: current.body.join('\n').trim(),
      line: current.line,
      scenario: parsed.scenario,
      until: block.until,
      highlight: block.highlight ?? [],
      notes: block.notes,
      exercise: block.exercise,
    });
  };
  for (let k = close + 1; k < lines.length; k++) {
    const line = lines[k];
    const lineNumber = k + 1;
    if (inBlock) {
      if (line.trim() === '```') inBlock = false;
      else current!.block!.text.push(line);
      continue;
    }
    if (line.trim().startsWith('```')) {
      if (!inFence && line.trim() === '```step') {
        if (!current)
          throw new LessonError(
            file,
            lineNumber,
            'step',
            'a ```step block must follow a "## " step heading',
          );
        if (current.block)
          throw new LessonError(file, lineNumber, 'step', 'a step has one ```step block at most');
        current.block = { text: [], line: lineNumber + 1 };
        inBlock = true;
        continue;
      }
      inFence = !inFence;
    }
    if (!inFence && line.startsWith('## ')) {
      flush();
      current = { title: line.slice(3).trim(), line: lineNumber, body: [] };
      continue;
    }
    if (current) current.body.push(line);
    else if (line.trim() !== '') {
      throw new LessonError(
        file,
        lineNumber,
        'body',
        'expected the first step to start with a "## " heading',
      );
    }
  }
  if (inBlock)
    throw new LessonError(
      file,
      current!.block!.line - 1,
      'step',
      'the ```step block is not closed',
    );
  flush();
  if (steps.length === 0)
    throw new LessonError(file, close + 2, 'body', 'expected at least one "## " step');

  const ids = new Set<string>();
  for (const step of steps) {
    const texts = step.exercise ? exerciseTexts(step.exercise) : [];
    const unknown = unknownPlaceholders([step.markdown, ...texts].join('\n'));
    if (unknown.length > 0) {
      throw new LessonError(
        file,
        step.line,
        `step ${step.number}`,
        `unknown metric in {{${unknown[0]}}}`,
      );
    }
    const exerciseId = step.exercise?.id;
    if (!exerciseId) continue;
    if (ids.has(exerciseId))
      throw new LessonError(
        file,
        step.line,
        `step ${step.number}.exercise.id`,
        `"${exerciseId}" is used twice`,
      );
    ids.add(exerciseId);
  }

  return {
    id,
    file,
    title: meta.title,
    summary: meta.summary,
    teacherNotes: meta.teacherNotes,
    sources: meta.sources,
    steps,
  };
}
