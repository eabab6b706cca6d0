import { describe, expect, it } from 'vitest';
import { LessonError, parseLesson } from '../../src/lessons';

const scenarios = { 'chat-room': { mode: 'long-polling' } };
const lesson = (front: string, body: string) => `---\n${front}\n---\n${body}`;
const okFront = 'title: T\nsummary: S\nscenario: chat-room';

describe('a malformed lesson is refused with its file, line and field', () => {
  const cases: { name: string; source: string; line: number; field: RegExp; detail: RegExp }[] = [
    {
      name: 'missing title',
      source: lesson('summary: S\nscenario: chat-room', '## One\n'),
      line: 2,
      field: /^title$/,
      detail: /required field is missing/,
    },
    {
      name: 'unknown frontmatter field',
      source: lesson(`${okFront}\nauthor: me`, '## One\n'),
      line: 5,
      field: /^author$/,
      detail: /unknown field/,
    },
    {
      name: 'unknown scenario name',
      source: lesson('title: T\nsummary: S\nscenario: nope', '## One\n'),
      line: 4,
      field: /^scenario$/,
      detail: /no scenario named "nope"/,
    },
    {
      name: 'bad YAML in a step block',
      source: lesson(okFront, '## One\n\n```step\nuntil: { event: [\n```\n'),
      line: 9,
      field: /step 1/,
      detail: /YAML cannot be read/,
    },
    {
      name: 'unknown event in a condition',
      source: lesson(okFront, '## One\n\n```step\nuntil:\n  event: request.teleported\n```\n'),
      line: 10,
      field: /step 1 \("One"\)\.until/,
      detail: /expected/,
    },
    {
      name: 'exercise without wrong answers',
      source: lesson(
        okFront,
        '## One\n```step\nexercise:\n  type: predict\n  id: x\n  question: Q?\n  metric: requests\n  reference: 3\n  wrong: []\n```\n',
      ),
      line: 14,
      field: /exercise\.wrong/,
      detail: /at least one wrong answer/,
    },
    {
      name: 'tune target measured with other clients, without a label saying which',
      source: lesson(
        okFront,
        '## One\n```step\nexercise:\n  type: tune\n  id: x\n  question: Q?\n  fields: [pollIntervalMs]\n  targets:\n    - { metric: requests, op: "<", value: 9, scenario: { clients: 2 } }\n  reference: {}\n  wrong: [{}]\n```\n',
      ),
      line: 14,
      field: /exercise\.targets\.0/,
      detail: /expected a label/,
    },
    {
      name: 'invalid scenario change',
      source: lesson(okFront, '## One\n```step\nscenario: { pollIntervalMs: 0 }\n```\n'),
      line: 8,
      field: /step 1 .*\.scenario/,
      detail: /pollIntervalMs: expected at least 1/,
    },
    {
      name: 'unknown metric in the prose',
      source: lesson(okFront, '## One\nWe made {{requestz}} requests.\n'),
      line: 6,
      field: /step 1/,
      detail: /unknown metric in \{\{requestz\}\}/,
    },
    {
      name: 'unknown metric in an exercise explanation',
      source: lesson(
        okFront,
        '## One\n```step\nexercise:\n  type: predict\n  id: p\n  question: How many?\n  metric: requests\n  reference: 30\n  wrong: [3]\n  explanation: "The run made {{requestz@end}}."\n```\n',
      ),
      line: 6,
      field: /step 1/,
      detail: /unknown metric in \{\{requestz\}\}/,
    },
    {
      name: 'text before the first step',
      source: lesson(okFront, 'Hello\n## One\n'),
      line: 6,
      field: /body/,
      detail: /"## " heading/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      let error: unknown;
      try {
        parseLesson('99-test', c.source, scenarios);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LessonError);
      const e = error as LessonError;
      expect(e.file).toBe('lessons/99-test/index.md');
      expect(e.field).toMatch(c.field);
      expect(e.detail).toMatch(c.detail);
      expect(e.line).toBe(c.line);
      expect(e.message).toContain(`lessons/99-test/index.md:${c.line}:`);
    });
  }

  it('a well-formed lesson parses, and each step builds on the scenario of the one before', () => {
    const l = parseLesson(
      '01-ok',
      lesson(
        okFront,
        '## One\n```step\nscenario: { network: { latencyMs: 10 } }\n```\n## Two\n```step\nscenario: { mode: polling }\n```\n',
      ),
      scenarios,
    );
    expect(
      l.steps.map((s) => [s.number, s.title, s.scenario.mode, s.scenario.network.latencyMs]),
    ).toEqual([
      [1, 'One', 'long-polling', 10],
      [2, 'Two', 'polling', 10],
    ]);
  });
});
