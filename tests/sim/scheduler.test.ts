import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/sim/scheduler';
import { Rng } from '../../src/sim/rng';

describe('Scheduler', () => {
  it('runs events by time, and events at the same time in the order they were scheduled', () => {
    const s = new Scheduler();
    const log: string[] = [];
    for (const [t, name] of [
      [30, 'c'],
      [10, 'a1'],
      [20, 'b'],
      [10, 'a2'],
      [10, 'a3'],
    ] as const) {
      s.at(t, () => log.push(`${s.now}:${name}`));
    }
    s.run();
    expect(log).toEqual(['10:a1', '10:a2', '10:a3', '20:b', '30:c']);
  });

  it('skips cancelled events and runs what they schedule at the right time', () => {
    const s = new Scheduler();
    const log: number[] = [];
    const h = s.at(5, () => log.push(-1));
    s.at(3, () => s.after(4, () => log.push(s.now)));
    s.cancel(h);
    s.run();
    expect(log).toEqual([7]);
  });

  it('refuses to cancel an event that has run, and its count of pending events stays true', () => {
    const s = new Scheduler();
    const ran = s.at(1, () => undefined);
    s.at(9, () => undefined);
    s.run(5);
    expect(s.pending).toBe(1);
    expect(() => s.cancel(ran)).toThrow(/cannot cancel event 0: it has run/);
    expect(s.pending).toBe(1);
  });

  it('refuses to cancel an event twice, or a handle it never gave', () => {
    const s = new Scheduler();
    const h = s.at(3, () => undefined);
    s.cancel(h);
    expect(s.pending).toBe(0);
    expect(() => s.cancel(h)).toThrow(/was cancelled/);
    expect(() => s.cancel(7)).toThrow(/cannot cancel event 7/);
    expect(s.pending).toBe(0);
  });

  it('keeps its count through a copy: the copy and the original run and cancel apart', () => {
    const s = new Scheduler();
    const log: string[] = [];
    const a = s.at(2, () => log.push('a'));
    s.at(4, () => log.push('b'));
    // Past the first word of the handle bitset, so a copy must carry more than one word.
    for (let k = 0; k < 40; k++) s.at(6, () => undefined);
    const copy = s.clone();
    s.cancel(a);
    expect([s.pending, copy.pending]).toEqual([41, 42]);
    copy.run(3);
    expect(log).toEqual(['a']);
    expect(() => copy.cancel(a)).toThrow(/has run/);
  });

  it('refuses an event in the past', () => {
    const s = new Scheduler();
    s.at(10, () => s.at(5, () => undefined));
    expect(() => s.run()).toThrow(/in the past/);
  });

  it('refuses an event between two milliseconds', () => {
    expect(() => new Scheduler().at(2.5, () => undefined)).toThrow(/not at a whole millisecond/);
  });

  it('stops at the given time and resumes from there', () => {
    const s = new Scheduler();
    const log: number[] = [];
    for (const t of [1, 5, 9]) s.at(t, () => log.push(t));
    s.run(5);
    expect(log).toEqual([1, 5]);
    s.run();
    expect(log).toEqual([1, 5, 9]);
  });

  it('keeps 10,000 random events in (time, sequence) order', () => {
    const s = new Scheduler();
    const rng = new Rng(42);
    const seen: [number, number][] = [];
    for (let k = 0; k < 10_000; k++) {
      const t = rng.int(500);
      s.at(t, () => seen.push([t, k]));
    }
    s.run();
    const sorted = [...seen].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(seen).toEqual(sorted);
  });
});

describe('Rng', () => {
  it('gives the same sequence for the same seed and stream, another for another', () => {
    const take = (r: Rng) => Array.from({ length: 5 }, () => r.nextUint32());
    expect(take(new Rng(7, 1))).toEqual(take(new Rng(7, 1)));
    expect(take(new Rng(7, 1))).not.toEqual(take(new Rng(8, 1)));
    expect(take(new Rng(7, 1))).not.toEqual(take(new Rng(7, 2)));
  });

  it('draws uniform floats in [0, 1) and exponentials with the asked mean', () => {
    const r = new Rng(3);
    let sum = 0;
    let expSum = 0;
    const n = 100_000;
    for (let k = 0; k < n; k++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      expSum += r.exponential(250);
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(Math.abs(expSum / n - 250)).toBeLessThan(5);
  });
});
