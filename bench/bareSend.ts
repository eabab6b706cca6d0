/**
 * The baseline: what xstate itself costs per event, with no simulation around it. The toggle is the
 * smallest machine there is; the client case sends `tick` to the real client machine while its
 * request is in flight (a self-transition with two actions), which is about
 * the least work the simulation asks of xstate per event.
 */
import { createActor, createMachine } from 'xstate';
import { clientMachine, type ClientEnv } from '../src/sim/clientMachine.ts';
import { scenario } from '../src/sim/index.ts';

const toggle = createMachine({
  id: 'toggle',
  initial: 'off',
  states: {
    off: { on: { toggle: 'on' } },
    on: { on: { toggle: 'off' } },
  },
});

/** Sends `n` toggles to one started actor; returns the wall time in ms. */
export function sendToggles(n: number): number {
  const actor = createActor(toggle).start();
  const event = { type: 'toggle' } as const;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) actor.send(event);
  const wallMs = performance.now() - t0;
  actor.stop();
  return wallMs;
}

/**
 * Sends `n` toggles round-robin to `actors` started actors, each a root with its own system, as
 * a crowd of clients would be without the simulation: xstate's own cost when its actors no
 * longer fit in the processor's caches. Returns the wall time in ms.
 */
export function sendTogglesAcross(n: number, actors: number): number {
  const crowd = Array.from({ length: actors }, () => createActor(toggle).start());
  const event = { type: 'toggle' } as const;
  const t0 = performance.now();
  for (let i = 0, a = 0; i < n; i++) {
    crowd[a].send(event);
    if (++a === actors) a = 0;
  }
  const wallMs = performance.now() - t0;
  for (const actor of crowd) actor.stop();
  return wallMs;
}

/** Sends `n` ticks to a client machine whose request is in flight; returns the wall time in ms. */
export function sendClientTicks(n: number): number {
  const config = scenario({ mode: 'polling', durationMs: 3_600_000 });
  const env: ClientEnv = {
    config: () => config,
    now: () => 0,
    sendRequest: () => 0,
    closeStream: () => {},
    deliver: () => {},
    skippedTick: () => {},
    clientTimeout: () => {},
    backoff: () => {},
    random: () => 0.5,
  };
  // A clock that never fires on its own: the start timers are fired by hand, the rest never.
  const due: (() => void)[] = [];
  let handle = 0;
  const clock = {
    setTimeout: (fn: () => void) => (due.push(fn), ++handle),
    clearTimeout: () => {},
  };
  const actor = createActor(clientMachine, {
    clock,
    input: { id: 0, startOffsetMs: 0, env },
  }).start();
  for (const fn of due.splice(0)) fn();
  const value = actor.getSnapshot().value;
  if (value !== 'inFlight') throw new Error(`bench: client is ${String(value)}, not inFlight`);
  const event = { type: 'tick' } as const;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) actor.send(event);
  const wallMs = performance.now() - t0;
  actor.stop();
  return wallMs;
}
