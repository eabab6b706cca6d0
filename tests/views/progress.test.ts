import { describe, expect, it } from 'vitest';
import {
  emptyProgress,
  loadProgress,
  markSeen,
  markSolved,
  mergeProgress,
  parseProgress,
  PROGRESS_KEY,
  type Store,
} from '../../src/views/lessons/progress';

const memory = (initial: Record<string, string> = {}): Store & { data: Record<string, string> } => {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
};

describe('progress', () => {
  it('records steps seen and exercises solved, once each', () => {
    let p = emptyProgress();
    p = markSeen(p, '02-polling', 3);
    p = markSeen(p, '02-polling', 1);
    p = markSeen(p, '02-polling', 3);
    p = markSolved(p, '02-polling', 'polling-requests-per-minute');
    p = markSolved(p, '02-polling', 'polling-requests-per-minute');
    expect(p.lessons['02-polling']).toEqual({
      seen: [1, 3],
      solved: ['polling-requests-per-minute'],
    });
  });

  const corrupt: { name: string; text: string; says: RegExp }[] = [
    { name: 'not JSON', text: '{"version":1,"lessons":', says: /not valid JSON/ },
    { name: 'wrong version', text: '{"version":7,"lessons":{}}', says: /version/ },
    {
      name: 'wrong shape',
      text: '{"version":1,"lessons":{"02-polling":{"seen":"all"}}}',
      says: /lessons\.02-polling\.seen/,
    },
    { name: 'a list', text: '[]', says: /could not be read/ },
  ];
  for (const c of corrupt) {
    it(`a corrupted store (${c.name}) is reset with a notice, and the reset is saved`, () => {
      const store = memory({ [PROGRESS_KEY]: c.text });
      const { progress, notice } = loadProgress(store);
      expect(progress).toEqual(emptyProgress());
      expect(notice).toMatch(c.says);
      expect(JSON.parse(store.data[PROGRESS_KEY])).toEqual(emptyProgress());
    });
  }

  it('a store that throws is reported, not thrown', () => {
    const store: Store = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => undefined,
    };
    expect(loadProgress(store).notice).toMatch(/not available/);
  });

  it('reads back what it saved', () => {
    const p = markSolved(markSeen(emptyProgress(), '03-long-polling', 2), '03-long-polling', 'x');
    expect(parseProgress(JSON.stringify(p))).toEqual({ progress: p, notice: null });
  });

  it('an imported file merges with this browser without losing either', () => {
    const here = markSeen(emptyProgress(), '02-polling', 1);
    const file = markSolved(markSeen(emptyProgress(), '02-polling', 4), '04-side-by-side', 'y');
    const copy = structuredClone(here);
    expect(mergeProgress(here, file).lessons).toEqual({
      '02-polling': { seen: [1, 4], solved: [] },
      '04-side-by-side': { seen: [], solved: ['y'] },
    });
    expect(here).toEqual(copy);
  });
});
