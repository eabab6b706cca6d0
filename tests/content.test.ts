/**
 * One loader for lessons and scenarios (src/content.ts): the page's bundled files and the files
 * on disk that the build check and the tests read give the same examples and lessons.
 */
import { describe, expect, it } from 'vitest';
import {
  examplesOf,
  lessonIdOf,
  lessonIdsOf,
  lessonSourcesOf,
  scenarioIdOf,
  scenarioTable,
} from '../src/content';
import { readContent } from '../scripts/content';
import { root } from './lessons/loadLessons';

describe('content: paths to ids', () => {
  const cases = [
    { path: 'scenarios/chat-room.json', scenario: 'chat-room', lesson: null },
    { path: '../../scenarios/chat-room.json', scenario: 'chat-room', lesson: null },
    { path: 'scenarios/notes.txt', scenario: null, lesson: null },
    { path: 'lessons/02-polling/index.md', scenario: null, lesson: '02-polling' },
    { path: '../../../lessons/02-polling/index.md', scenario: null, lesson: '02-polling' },
    { path: 'lessons/02-polling/draft.md', scenario: null, lesson: null },
  ];
  for (const { path, scenario, lesson } of cases) {
    it(`${path} → scenario ${scenario}, lesson ${lesson}`, () => {
      expect(scenarioIdOf(path)).toBe(scenario);
      expect(lessonIdOf(path)).toBe(lesson);
    });
  }

  it('lessons come in the order of their folder numbers, whatever order the files are listed in', () => {
    const paths = ['lessons/10-security/index.md', 'lessons/02-polling/index.md', 'x/y.md'];
    expect(lessonIdsOf(paths)).toEqual(['02-polling', '10-security']);
    expect(lessonSourcesOf({ [paths[0]]: 'ten', [paths[1]]: 'two' })).toEqual([
      { id: '02-polling', source: 'two' },
      { id: '10-security', source: 'ten' },
    ]);
  });

  it('examples are listed by name (the id when there is none); a file without an object is refused', () => {
    const examples = examplesOf({
      'scenarios/b.json': { name: 'Alpha' },
      'scenarios/a.json': {},
    });
    expect(examples.map((e) => [e.id, e.name])).toEqual([
      ['a', 'a'],
      ['b', 'Alpha'],
    ]);
    expect(scenarioTable(examples)).toEqual({ a: {}, b: { name: 'Alpha' } });
    expect(() => examplesOf({ 'scenarios/list.json': [1, 2] })).toThrow(
      'scenarios/list.json: a scenario file must hold one JSON object.',
    );
  });
});

describe('content: the page and the disk see the same content', () => {
  const disk = readContent(root);

  it('the same examples, in the same order', () => {
    const bundled = import.meta.glob<Record<string, unknown>>('../scenarios/*.json', {
      eager: true,
      import: 'default',
    });
    expect(examplesOf(bundled)).toEqual(disk.examples);
    expect(disk.examples.length).toBeGreaterThan(0);
  });

  it('the same lessons, in the same order, with the same text', () => {
    const bundled = import.meta.glob<string>('../lessons/*/index.md', {
      eager: true,
      query: '?raw',
      import: 'default',
    });
    expect(lessonSourcesOf(bundled)).toEqual(disk.lessons);
    expect(disk.lessons.length).toBeGreaterThan(0);
  });
});
