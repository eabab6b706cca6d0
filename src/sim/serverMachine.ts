/**
 * The virtual HTTP server. It is up or down (a restart fault takes it down for a while). When up
 * it answers a polling request at once and holds a long-poll request until a message is
 * published or the long-poll timeout passes; each hold's timeout is a delayed event on the
 * simulation's clock, cancelled when the request is answered first. A request for a stream or a
 * socket (SSE, WebSocket) opens one, which stays open. The message log, the held requests and
 * the open streams live in the environment (`ServerEnv`), which also records the trace.
 *
 * Before it answers or holds anything, a server with a rate limit refuses a client that is over
 * it (429), and a server with a cap on held requests refuses a long poll or a stream it has no
 * room to hold (503). Both refusals are answered at once and cost the server no held connection.
 */
import { enqueueActions, setup } from 'xstate';

export interface ServerEnv {
  /** Whether the request's client is over the rate limit (nothing is counted by asking). */
  overRateLimit(request: number): boolean;
  /** Whether the server already holds as many requests as its cap allows. */
  atHoldCapacity(): boolean;
  /** Refuses a request: 429 when its client is over the rate limit, 503 when holds are full. */
  reject(request: number, why: 'rate-limit' | 'hold-capacity'): void;
  /** Whether a request is answered at once: it is a poll, or messages after its cursor exist. */
  answersAtOnce(request: number): boolean;
  /** Answers a request at once, with the messages after its cursor or "no new data". */
  answer(request: number): void;
  /** Holds a long-poll request; returns how long the hold may last. */
  hold(request: number): number;
  /** Whether the request opens a stream or a socket (SSE, WebSocket). */
  opensStream(request: number): boolean;
  /** Opens the stream or socket the request asks for, and keeps it open. */
  openStream(request: number): void;
  /** Logs a message and answers the held requests it concerns; returns the requests answered. */
  publish(messageId: number): readonly number[];
  /** Answers a held request with "no new data" because its hold ran out. */
  expireHold(request: number): void;
  /** Forgets a held request whose connection was closed: cut by the proxy, or by its client. */
  dropHeld(request: number): void;
  /**
   * Answers every held request with an error and closes every stream (the connections are
   * reset); returns the held requests.
   */
  dropAllHeld(): readonly number[];
  /** Answers a request with an error because the server is down. */
  refuse(request: number): void;
  logWhileDown(messageId: number): void;
  recordDown(downMs: number): void;
  recordUp(): void;
}

export type ServerEvent =
  | { type: 'request.arrived'; request: number }
  | { type: 'message.published'; message: number }
  | { type: 'hold.expired'; request: number }
  | { type: 'request.aborted'; request: number }
  | { type: 'server.crash'; downMs: number };

const holdId = (request: number) => `hold.${request}`;

/** Built once and shared by every run; each run gives its environment as input. */
export const serverMachine = setup({
  types: {
    context: {} as { env: ServerEnv; downMs: number },
    events: {} as ServerEvent,
    input: {} as { env: ServerEnv },
  },
  delays: {
    downTime: ({ context }) => context.downMs,
  },
  guards: {
    overRateLimit: ({ context: { env }, event }) =>
      event.type === 'request.arrived' && env.overRateLimit(event.request),
    atHoldCapacity: ({ context: { env } }) => env.atHoldCapacity(),
    answersAtOnce: ({ context: { env }, event }) =>
      event.type === 'request.arrived' && env.answersAtOnce(event.request),
    opensStream: ({ context: { env }, event }) =>
      event.type === 'request.arrived' && env.opensStream(event.request),
  },
  actions: {
    rejectOverRateLimit: ({ context: { env }, event }) => {
      if (event.type === 'request.arrived') env.reject(event.request, 'rate-limit');
    },
    rejectAtCapacity: ({ context: { env }, event }) => {
      if (event.type === 'request.arrived') env.reject(event.request, 'hold-capacity');
    },
    answer: ({ context: { env }, event }) => {
      if (event.type === 'request.arrived') env.answer(event.request);
    },
    openStream: ({ context: { env }, event }) => {
      if (event.type === 'request.arrived') env.openStream(event.request);
    },
    hold: enqueueActions(({ context: { env }, event, enqueue }) => {
      if (event.type !== 'request.arrived') return;
      const holdMs = env.hold(event.request);
      enqueue.raise(
        { type: 'hold.expired', request: event.request },
        { delay: holdMs, id: holdId(event.request) },
      );
    }),
    publish: enqueueActions(({ context: { env }, event, enqueue }) => {
      if (event.type !== 'message.published') return;
      for (const request of env.publish(event.message)) enqueue.cancel(holdId(request));
    }),
    expireHold: ({ context: { env }, event }) => {
      if (event.type === 'hold.expired') env.expireHold(event.request);
    },
    dropHeld: enqueueActions(({ context: { env }, event, enqueue }) => {
      if (event.type !== 'request.aborted') return;
      env.dropHeld(event.request);
      enqueue.cancel(holdId(event.request));
    }),
    crash: enqueueActions(({ context: { env }, enqueue }) => {
      for (const request of env.dropAllHeld()) enqueue.cancel(holdId(request));
    }),
    setDownTime: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'server.crash') enqueue.assign({ downMs: event.downMs });
    }),
    recordDown: ({ context }) => context.env.recordDown(context.downMs),
    recordUp: ({ context }) => context.env.recordUp(),
    refuse: ({ context: { env }, event }) => {
      if (event.type === 'request.arrived') env.refuse(event.request);
    },
    logWhileDown: ({ context: { env }, event }) => {
      if (event.type === 'message.published') env.logWhileDown(event.message);
    },
  },
}).createMachine({
  id: 'server',
  context: ({ input }) => ({ env: input.env, downMs: 0 }),
  initial: 'up',
  states: {
    up: {
      on: {
        'request.arrived': [
          { guard: 'overRateLimit', actions: 'rejectOverRateLimit' },
          { guard: 'answersAtOnce', actions: 'answer' },
          { guard: 'atHoldCapacity', actions: 'rejectAtCapacity' },
          { guard: 'opensStream', actions: 'openStream' },
          { actions: 'hold' },
        ],
        'message.published': { actions: 'publish' },
        'hold.expired': { actions: 'expireHold' },
        'request.aborted': { actions: 'dropHeld' },
        'server.crash': { target: 'down', actions: ['setDownTime', 'crash'] },
      },
    },
    down: {
      entry: 'recordDown',
      exit: 'recordUp',
      after: { downTime: 'up' },
      on: {
        'request.arrived': { actions: 'refuse' },
        'message.published': { actions: 'logWhileDown' },
      },
    },
  },
});

export type ServerMachine = typeof serverMachine;
