/**
 * A virtual HTTP client that polls or long-polls. The statechart has two regions:
 * - `timer` ticks every poll interval while the client polls on a fixed timer (the classic
 *   description of polling); a tick that finds a request still outstanding is skipped;
 * - `link` is the client's one connection: dormant until the client starts, then a request in
 *   flight, a wait between requests, or a backoff after an error.
 * The machine decides; the environment (`ClientEnv`) records what it decides in the trace and
 * puts requests on the network. All delays run on the simulation's clock.
 */
import { and, assign, not, raise, setup } from 'xstate';
import type { Scenario } from './scenario';

export interface ClientEnv {
  /** The configuration in force now (interventions change it during a run). */
  config(): Scenario;
  now(): number;
  /** Puts a request on the network and returns its id. */
  sendRequest(client: number, cursor: number, longPoll: boolean): number;
  /** Records the messages of a response; returns the client's new cursor. */
  deliver(client: number, request: number, firstId: number, count: number, cursor: number): number;
  skippedTick(client: number, outstanding: number): void;
  clientTimeout(client: number, request: number): void;
  backoff(client: number, waitMs: number, attempt: number): void;
  /** A float in [0, 1) from the clients' seeded stream. */
  random(): number;
}

export interface ClientContext {
  id: number;
  startOffsetMs: number;
  cursor: number;
  /** The outstanding request, or -1. */
  request: number;
  longPoll: boolean;
  /** Consecutive failures; the next backoff wait grows with it. */
  attempt: number;
  backoffMs: number;
  /** The poll interval the timer runs with, to notice an intervention that changes it. */
  timerIntervalMs: number;
}

export type ClientEvent =
  | { type: 'tick' }
  | { type: 'config.changed' }
  | {
      type: 'response.arrived';
      request: number;
      firstId: number;
      count: number;
      ok: boolean;
    };

/** The wait before retry `attempt` (0-based): exponential, capped, then jittered so retries stay spread. */
export function backoffDelayMs(
  b: Scenario['backoff'],
  attempt: number,
  random: () => number,
): number {
  const capped = Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, attempt));
  const spread = b.jitter > 0 ? 1 - b.jitter + 2 * b.jitter * random() : 1;
  return Math.max(0, Math.round(capped * spread));
}

export function createClientMachine(env: ClientEnv) {
  const fixedTimer = () => {
    const c = env.config();
    return c.mode === 'polling' && c.pollTimer === 'fixed';
  };
  return setup({
    types: {
      context: {} as ClientContext,
      events: {} as ClientEvent,
      input: {} as { id: number; startOffsetMs: number },
    },
    guards: {
      fixedTimer,
      pastEnd: () => env.now() >= env.config().durationMs,
      intervalChanged: ({ context }) => context.timerIntervalMs !== env.config().pollIntervalMs,
      isOutstanding: ({ context, event }) =>
        event.type === 'response.arrived' && event.request === context.request,
      isError: ({ event }) => event.type === 'response.arrived' && !event.ok,
    },
    delays: {
      startOffset: ({ context }) => context.startOffsetMs,
      pollInterval: ({ context }) => context.timerIntervalMs,
      requestTimeout: ({ context }) => {
        const c = env.config();
        return (context.longPoll ? c.longPollTimeoutMs : 0) + c.clientTimeoutMarginMs;
      },
      nextRequest: () => {
        const c = env.config();
        return c.mode === 'polling' ? c.pollIntervalMs : c.repollDelayMs;
      },
      backoff: ({ context }) => context.backoffMs,
    },
    actions: {
      startTimer: assign({ timerIntervalMs: () => env.config().pollIntervalMs }),
      tick: raise({ type: 'tick' }),
      sendRequest: assign(({ context }) => {
        const longPoll = env.config().mode === 'long-polling';
        return { request: env.sendRequest(context.id, context.cursor, longPoll), longPoll };
      }),
      deliver: assign(({ context, event }) => {
        if (event.type !== 'response.arrived') return {};
        const cursor = env.deliver(
          context.id,
          event.request,
          event.firstId,
          event.count,
          context.cursor,
        );
        return { cursor, request: -1, attempt: 0 };
      }),
      skippedTick: ({ context }) => env.skippedTick(context.id, context.request),
      clientTimeout: ({ context }) => env.clientTimeout(context.id, context.request),
      fail: assign({ request: -1 }),
      planBackoff: assign(({ context }) => {
        const backoffMs = backoffDelayMs(env.config().backoff, context.attempt, env.random);
        env.backoff(context.id, backoffMs, context.attempt + 1);
        return { backoffMs, attempt: context.attempt + 1 };
      }),
    },
  }).createMachine({
    id: 'client',
    type: 'parallel',
    context: ({ input }) => ({
      id: input.id,
      startOffsetMs: input.startOffsetMs,
      cursor: 0,
      request: -1,
      longPoll: false,
      attempt: 0,
      backoffMs: 0,
      timerIntervalMs: 0,
    }),
    states: {
      timer: {
        initial: 'dormant',
        states: {
          dormant: { after: { startOffset: 'check' } },
          check: {
            always: [
              { guard: and(['fixedTimer', not('pastEnd')]), target: 'on' },
              { target: 'off' },
            ],
          },
          off: {
            on: { 'config.changed': 'check' },
          },
          on: {
            entry: 'startTimer',
            after: {
              pollInterval: [
                { guard: 'pastEnd', target: 'off' },
                { target: 'on', reenter: true, actions: 'tick' },
              ],
            },
            on: {
              'config.changed': [
                { guard: not('fixedTimer'), target: 'off' },
                { guard: 'intervalChanged', target: 'on', reenter: true },
              ],
            },
          },
        },
      },
      link: {
        initial: 'dormant',
        states: {
          dormant: { after: { startOffset: 'sending' } },
          sending: {
            always: [{ guard: 'pastEnd', target: 'done' }, { target: 'inFlight' }],
          },
          inFlight: {
            entry: 'sendRequest',
            after: {
              requestTimeout: [
                { guard: 'fixedTimer', target: 'idle', actions: ['clientTimeout', 'fail'] },
                { target: 'backingOff', actions: ['clientTimeout', 'fail'] },
              ],
            },
            on: {
              tick: { actions: 'skippedTick' },
              'response.arrived': [
                { guard: not('isOutstanding') },
                { guard: and(['isError', 'fixedTimer']), target: 'idle', actions: 'fail' },
                { guard: 'isError', target: 'backingOff', actions: 'fail' },
                { guard: 'fixedTimer', target: 'idle', actions: 'deliver' },
                { target: 'waiting', actions: 'deliver' },
              ],
            },
          },
          idle: {
            on: {
              tick: 'sending',
              'config.changed': { guard: not('fixedTimer'), target: 'sending' },
            },
          },
          waiting: {
            after: { nextRequest: 'sending' },
          },
          backingOff: {
            entry: 'planBackoff',
            after: { backoff: 'sending' },
          },
          done: {},
        },
      },
    },
  });
}

export type ClientMachine = ReturnType<typeof createClientMachine>;
