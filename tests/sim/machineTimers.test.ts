import { describe, expect, it } from 'vitest';
import { MachineTimers } from '../../src/sim/machineTimers';

describe('the machines’ pending timers', () => {
  it('keeps each client’s timers apart, by name, and forgets them when deleted or cleared', () => {
    const timers = new MachineTimers(3);
    timers.set(0, 'poll.tick', 10);
    timers.set(2, 'poll.tick', 12);
    timers.set(2, 'after.timeout', 13);
    expect(timers.get(0, 'poll.tick')).toBe(10);
    expect(timers.get(1, 'poll.tick')).toBeUndefined();
    expect(timers.get(2, 'after.timeout')).toBe(13);
    timers.delete(2, 'poll.tick');
    expect(timers.get(2, 'poll.tick')).toBeUndefined();
    expect(timers.clear(2)).toEqual([13]);
    expect(timers.get(2, 'after.timeout')).toBeUndefined();
    expect(timers.get(0, 'poll.tick')).toBe(10);
  });

  it('makes room for a sixth timer name without losing the pending ones', () => {
    const timers = new MachineTimers(2);
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    names.forEach((name, k) => timers.set(1, name, 100 + k));
    names.forEach((name, k) => timers.set(0, name, k));
    names.forEach((name, k) => expect(timers.get(1, name)).toBe(100 + k));
    expect(timers.clear(0)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps the server’s timers, one per held request, in a map of their own', () => {
    const timers = new MachineTimers(1);
    for (let request = 0; request < 100; request++) timers.set(-1, `hold.${request}`, request);
    timers.set(0, 'hold.5', 999);
    expect(timers.get(-1, 'hold.5')).toBe(5);
    timers.delete(-1, 'hold.5');
    expect(timers.get(-1, 'hold.5')).toBeUndefined();
    expect(timers.clear(-1)).toHaveLength(99);
    expect(timers.get(0, 'hold.5')).toBe(999);
  });
});
