import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLessons } from '../../scripts/checkLessons';
import { root } from './loadLessons';

describe('the build checks every lesson', () => {
  it('passes on the lessons in lessons/', () => {
    expect(checkLessons(root).length).toBeGreaterThan(0);
  });

  it('stops on a malformed lesson, naming its file, line and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lessons-'));
    mkdirSync(path.join(dir, 'scenarios'));
    writeFileSync(path.join(dir, 'scenarios', 'chat.json'), '{}');
    mkdirSync(path.join(dir, 'lessons', '01-bad'), { recursive: true });
    writeFileSync(
      path.join(dir, 'lessons', '01-bad', 'index.md'),
      '---\ntitle: Bad\nsummary: S\nscenario: chat\n---\n## One\n```step\nuntil: { atMs: -5 }\n```\n',
    );
    expect(() => checkLessons(dir)).toThrow(
      /lessons\/01-bad\/index\.md:8: step 1 \("One"\)\.until/,
    );
  });
});
