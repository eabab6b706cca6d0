/**
 * A virtual HTTP client that polls or long-polls. Its one connection is dormant until the client
 * starts, then a request in flight, idle until the next tick of a fixed poll timer, waiting
 * before the next request, backing off after an error, recovered for an instant when a success
 * ends a run of errors, or done when the run's time is up.
 *
 * The fixed poll timer (the classic description of polling) is a delayed `tick` the machine
 * sends itself every interval whatever its state, so a tick that finds a request still
 * outstanding is recorded as skipped. All delays run on the simulation's clock.
 *
 * The machine decides; the environment (`ClientEnv`, given as input) records what it decides in
 * the trace and puts requests on the network. The environment also plays the client's HTTP
 * library and application: it keeps the outstanding request and the messages received (so the
 * cursor each request carries). The machine is built once and shared by every
 * client of every run.
 */
import { assign, enqueueActions, raise, setup } from 'xstate';
import { modeOf } from './modes';
import type { Scenario } from './scenario';
import type { RequestKind } from './trace';

export interface ClientEnv {
  /** The configuration in force now (interventions change it during a run). */
  config(): Scenario;
  now(): number;
  /**
   * Puts a request on the network. The environment, like an HTTP library, keeps the client's
   * outstanding request: it gives the client only that request's response (a response to a
   * request the client gave up on is recorded as late and never reaches the machine), and it
   * forgets the request when its response arrives or the client times it out.
   */
  sendRequest(client: number, kind: RequestKind): void;
  /**
   * Closes the client's open stream or socket: its end is recorded at once, and the close
   * reaches the server a trip later.
   */
  closeStream(client: number): void;
  /**
   * Hands the messages of a response to the client's application, which keeps them by id: its
   * cursor (the last id it has, sent with each request) moves on, and a message it already has is
   * recorded as a duplicate.
   */
  deliver(client: number, request: number, firstId: number, count: number): void;
  /** Records a poll tick that found the outstanding request still out. */
  skippedTick(client: number): void;
  /** Gives up on the outstanding request. */
  clientTimeout(client: number): void;
  backoff(client: number, waitMs: number, attempt: number): void;
  /** A float in [0, 1) from the clients' seeded stream. */
  random(): number;
}

export interface ClientContext {
  env: ClientEnv;
  id: number;
  startOffsetMs: number;
  /** Consecutive failures; the next backoff wait grows with it. */
  attempt: number;
  backoffMs: number;
  /** The interval the fixed poll timer runs with, or 0 when it is off. */
  timerIntervalMs: number;
  /** The mode whose stream or socket is open (while streaming). */
  streamMode: Scenario['mode'];
}

export type ClientEvent =
  | { type: 'tick' }
  | { type: 'config.changed' }
  /** The server's answer that opens the stream or socket reached the client. */
  | { type: 'stream.opened' }
  /** The stream or socket broke: the server or a proxy closed it. */
  | { type: 'stream.ended' }
  /** The run's time is up: an open stream or socket is closed. */
  | { type: 'run.ended' }
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
  // From 0 ms the wait stays 0 (times the growth, which overflows to Infinity after ~1,000 attempts).
  const capped =
    b.initialMs === 0 ? 0 : Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, attempt));
  const spread = b.jitter > 0 ? 1 - b.jitter + 2 * b.jitter * random() : 1;
  // At least 1 ms: a client that retried in the same instant, over a network with no delay,
  // would loop forever without virtual time moving.
  return Math.max(1, Math.round(capped * spread));
}

const TICK_ID = 'poll.tick';

const isFixedTimer = (c: Scenario) => modeOf(c).fixedTimer(c);

/**
 * Where a client goes after a successful response: back to waiting for its poll timer's next tick,
 * straight on to its next long poll, or waiting to send the next request.
 */
const afterSuccess = [
  { guard: 'fixedTimer', target: 'idle' },
  { guard: 'repollsAtOnce', target: 'inFlight', reenter: true },
  { target: 'waiting' },
] as const;

/** Where a client goes to send its next request: nowhere once the run's time is up. */
const sendNext = [{ guard: 'pastEnd', target: 'done' }, { target: 'inFlight' }] as const;

export const clientMachine = setup({
  types: {
    context: {} as ClientContext,
    events: {} as ClientEvent,
    input: {} as { id: number; startOffsetMs: number; env: ClientEnv },
  },
  guards: {
    fixedTimer: ({ context }) => isFixedTimer(context.env.config()),
    pastEnd: ({ context }) => context.env.now() >= context.env.config().durationMs,
    /** Whether the client has failed since its last success. */
    recovering: ({ context }) => context.attempt > 0,
    isError: ({ event }) => event.type === 'response.arrived' && !event.ok,
    isErrorOnFixedTimer: ({ context, event }) =>
      event.type === 'response.arrived' && !event.ok && isFixedTimer(context.env.config()),
    /** The mode in force opens a stream or socket. */
    streams: ({ context }) => modeOf(context.env.config()).stream !== undefined,
    /** The mode in force is not the one whose stream is open (a live switch). */
    modeChanged: ({ context }) => context.env.config().mode !== context.streamMode,
    /** An error answer to a stream's opening ends it for good (an EventSource's). */
    givesUp: ({ context, event }) =>
      event.type === 'response.arrived' &&
      !event.ok &&
      modeOf(context.env.config()).stream?.reopenAfterErrorMs(context.env.config()) === null,
    /** An error answer to a stream's opening: the application opens a new one after a wait. */
    reopens: ({ context, event }) =>
      event.type === 'response.arrived' &&
      !event.ok &&
      typeof modeOf(context.env.config()).stream?.reopenAfterErrorMs(context.env.config()) ===
        'number',
    /** After the stream breaks: a mode that retries after a fixed wait (SSE), not backing off. */
    retries: ({ context }) => {
      const c = context.env.config();
      return modeOf(c).stream?.retryMs(c) !== undefined;
    },
    /** A mode with no wait (long polling with no re-poll delay) asks again as an answer arrives. */
    repollsAtOnce: ({ context: { env } }) => {
      const c = env.config();
      return modeOf(c).repollsAtOnce(c) && env.now() < c.durationMs;
    },
  },
  delays: {
    startOffset: ({ context }) => context.startOffsetMs,
    requestTimeout: ({ context }) => {
      const c = context.env.config();
      // Resolved as the request is sent (on entry, after `sendRequest`), in the mode it was sent in.
      return modeOf(c).requestTimeoutMs(c);
    },
    nextRequest: ({ context }) => {
      const c = context.env.config();
      return modeOf(c).nextRequestMs(c);
    },
    backoff: ({ context }) => context.backoffMs,
    // At least 1 ms, as a backoff wait: a client that reconnected in the same instant, over a
    // network with no delay, could loop forever without virtual time moving.
    retry: ({ context }) => {
      const c = context.env.config();
      return Math.max(1, modeOf(c).stream?.retryMs(c) ?? 0);
    },
    reopen: ({ context }) => {
      const c = context.env.config();
      return Math.max(1, modeOf(c).stream?.reopenAfterErrorMs(c) ?? 0);
    },
    pollTimer: ({ context }) => context.timerIntervalMs,
  },
  actions: {
    /** Starts, restarts or stops the fixed poll timer to match the configuration in force. */
    retime: enqueueActions(({ context, enqueue }) => {
      const c = context.env.config();
      const wanted = isFixedTimer(c) ? c.pollIntervalMs : 0;
      if (wanted === context.timerIntervalMs) return;
      if (context.timerIntervalMs > 0) enqueue.cancel(TICK_ID);
      if (wanted > 0) enqueue.raise({ type: 'tick' }, { delay: wanted, id: TICK_ID });
      enqueue.assign({ timerIntervalMs: wanted });
    }),
    /** Schedules the next tick (the transitions that take it check that the run's time is not up). */
    nextTick: raise({ type: 'tick' }, { delay: 'pollTimer', id: TICK_ID }),
    sendRequest: ({ context: { env, id } }) =>
      env.sendRequest(id, modeOf(env.config()).requestKind),
    closeStream: ({ context: { env, id } }) => env.closeStream(id),
    noteStreamMode: assign(({ context }) => ({ streamMode: context.env.config().mode })),
    deliver: ({ context: { env, id }, event }) => {
      if (event.type === 'response.arrived') {
        env.deliver(id, event.request, event.firstId, event.count);
      }
    },
    recover: assign({ attempt: 0 }),
    skippedTick: ({ context }) => context.env.skippedTick(context.id),
    clientTimeout: ({ context }) => context.env.clientTimeout(context.id),
    planBackoff: assign(({ context }) => {
      const { env } = context;
      const backoffMs = backoffDelayMs(env.config().backoff, context.attempt, env.random);
      env.backoff(context.id, backoffMs, context.attempt + 1);
      return { backoffMs, attempt: context.attempt + 1 };
    }),
  },
}).createMachine({
  id: 'client',
  context: ({ input }) => ({
    env: input.env,
    id: input.id,
    startOffsetMs: input.startOffsetMs,
    attempt: 0,
    backoffMs: 0,
    timerIntervalMs: 0,
    streamMode: 'polling',
  }),
  initial: 'dormant',
  on: {
    tick: [{ guard: 'pastEnd' }, { actions: 'nextTick' }],
    'config.changed': { actions: 'retime' },
  },
  states: {
    dormant: {
      after: {
        startOffset: [
          { guard: 'pastEnd', target: 'done' },
          { target: 'inFlight', actions: 'retime' },
        ],
      },
      on: { 'config.changed': {} },
    },
    inFlight: {
      entry: 'sendRequest',
      after: {
        requestTimeout: [
          { guard: 'fixedTimer', target: 'idle', actions: 'clientTimeout' },
          { target: 'backingOff', actions: 'clientTimeout' },
        ],
      },
      on: {
        tick: [
          { guard: 'pastEnd', actions: 'skippedTick' },
          { actions: ['skippedTick', 'nextTick'] },
        ],
        'stream.opened': [
          // Opened after the run's time was up, or after a switch to another mode: closed again.
          { guard: 'pastEnd', target: 'done', actions: 'closeStream' },
          { guard: 'streams', target: 'streaming', actions: ['noteStreamMode', 'recover'] },
          { target: 'inFlight', reenter: true, actions: 'closeStream' },
        ],
        'response.arrived': [
          { guard: 'isErrorOnFixedTimer', target: 'idle' },
          { guard: 'givesUp', target: 'closed' },
          { guard: 'reopens', target: 'reopening' },
          { guard: 'isError', target: 'backingOff' },
          { guard: 'recovering', target: 'recovered', actions: 'deliver' },
          ...afterSuccess.map((t) => ({ ...t, actions: 'deliver' as const })),
        ],
      },
    },
    idle: {
      on: {
        tick: [
          { guard: 'pastEnd', target: 'done' },
          { target: 'inFlight', actions: 'nextTick' },
        ],
        'config.changed': [
          { guard: 'fixedTimer', actions: 'retime' },
          { guard: 'pastEnd', target: 'done', actions: 'retime' },
          { target: 'inFlight', actions: 'retime' },
        ],
      },
    },
    /** A success after failures: the backoff starts again from its first wait. */
    recovered: {
      entry: 'recover',
      always: afterSuccess,
    },
    waiting: {
      after: { nextRequest: sendNext },
    },
    /** A stream or socket is open: messages come on it, with no request of the client's. */
    streaming: {
      on: {
        'stream.ended': [{ guard: 'retries', target: 'retrying' }, { target: 'backingOff' }],
        'run.ended': { target: 'done', actions: 'closeStream' },
        // A live switch to another mode closes the stream and starts the new mode at once.
        'config.changed': [
          { guard: 'modeChanged', target: 'inFlight', actions: ['retime', 'closeStream'] },
          { actions: 'retime' },
        ],
      },
    },
    /** A broken stream: the browser waits its reconnection time (SSE's retry), then reconnects. */
    retrying: {
      after: { retry: sendNext },
    },
    /** The application opens a new EventSource a while after the last one was refused. */
    reopening: {
      after: { reopen: sendNext },
    },
    /** The EventSource was refused and closed for good: nothing more is asked in this mode. */
    closed: {
      on: {
        tick: {},
        'config.changed': [
          { guard: 'streams' },
          { guard: 'pastEnd', target: 'done' },
          { target: 'inFlight', actions: 'retime' },
        ],
      },
    },
    backingOff: {
      entry: 'planBackoff',
      after: { backoff: sendNext },
    },
    done: {
      on: { tick: {}, 'config.changed': {} },
    },
  },
});

export type ClientMachine = typeof clientMachine;
