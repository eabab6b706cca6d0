/**
 * Everything a run's world holds between two events, as one value: the configuration in force,
 * the scheduler's queue, the trace, the requests, the random streams, what each client has and
 * waits for, the server's log and held requests, and the workload. `cloneState` copies it, and
 * both a checkpoint and a resumed world use it, so a new piece of state is listed here once and
 * "a resumed run equals a fresh run" cannot forget it.
 *
 * The rules that change it (network.ts, serverLog.ts, rateLimit.ts, holds.ts, clientSide.ts) are
 * functions of this value at the scheduler's time, which append to the trace and schedule tasks.
 */
import type { EventObject } from 'xstate';
import { Requests } from './requests';
import { Rng, RNG_STREAM } from './rng';
import type { Scenario } from './scenario';
import { Scheduler } from './scheduler';
import { Trace, type ResponseStatus } from './trace';
import type { Workload } from './workload';

export const TaskKind = {
  requestArrives: 0,
  requestLost: 1,
  responseArrives: 2,
  responseLost: 3,
  proxyCut: 4,
  publish: 5,
  intervention: 6,
  fault: 7,
  timer: 8,
  clientClose: 9,
  /** A frame of a stream or socket reaches its client (`status`: its `FrameKind`). */
  frameArrives: 10,
  /** The end of a stream, closed by the server or the proxy, reaches its client. */
  streamEnds: 11,
  /** A stream's heartbeat is due (`a`: the stream's request). */
  heartbeat: 12,
  /** The run's time is up: clients close their streams and sockets. */
  runEnd: 13,
} as const;

/** Something the world does at a scheduled time, as data. */
export interface WorldTask {
  kind: Exclude<(typeof TaskKind)[keyof typeof TaskKind], 8>;
  /** The request; an intervention's or a fault's index. */
  a: number;
  firstId: number;
  count: number;
  status: ResponseStatus;
}

/** A delayed event a machine scheduled for itself (an `after`, or a `raise` with a delay). */
export interface TimerTask {
  kind: 8;
  /** The client, or -1 for the server. */
  actor: number;
  event: EventObject;
  id: string;
}

export type Task = WorldTask | TimerTask;

export const task = (
  kind: WorldTask['kind'],
  a = -1,
  firstId = 0,
  count = 0,
  status = 0,
): WorldTask => ({ kind, a, firstId, count, status: status as ResponseStatus });

export interface WorldState {
  /** The scenario as the run began; `config` is what is in force now. */
  readonly scenario: Scenario;
  config: Scenario;
  sched: Scheduler<Task>;
  trace: Trace;
  requests: Requests;
  rng: { network: Rng; workload: Rng; clients: Rng };

  // Per client.
  /** The request each client waits for (-1: none). */
  outstanding: Int32Array;
  /** The last message id each client has (its application's cursor, sent with each request). */
  cursor: Int32Array;
  /** Requests of each client the server holds. */
  heldByClient: Int32Array;
  /** The highest message id already reported lost for each client (a loss is reported once). */
  lostUpTo: Int32Array;
  /**
   * For the rate limit (a generic cell rate algorithm, GCRA): the theoretical time of each
   * client's next request at the steady rate.
   */
  rateTat: Float64Array;

  // The server.
  /** Publication time of each message, by id (index 0 is unused: ids start at 1). */
  publishedAtMs: number[];
  lastMessageId: number;
  /** The last message published while the server kept no buffer: it never entered a log. */
  unloggedUpTo: number;
  /** Requests that reached the server and are not answered yet: each is answered once. */
  open: Set<number>;
  held: Set<number>;
  /** The proxy's pending cut of each held request, by request. */
  proxyCuts: Map<number, number>;

  // Streams and sockets (SSE, WebSocket), per client: at most one each.
  /** The request whose stream the server has open for each client (-1: none). */
  serverStream: Int32Array;
  /** The request whose stream each client has open (-1: none, or still opening). */
  clientStream: Int32Array;
  /** When the last frame sent to each client arrives: frames keep their order (TCP). */
  frameArrivalMs: Float64Array;
  /** When the server last sent each client a frame, for the proxy's idle timeout. */
  lastFrameMs: Float64Array;
  /** Streams the server has open. */
  openStreams: number;

  // The workload: messages planned one at a time, so an intervention can change it from its
  // instant on.
  workload: Workload | undefined;
  /** The scheduled publication (-1: none). */
  nextPublish: number;
  nextMessageId: number;
}

/** The world at time 0: nothing has happened yet. */
export function freshState(scenario: Scenario): WorldState {
  const n = scenario.clients;
  return {
    scenario,
    config: scenario,
    sched: new Scheduler<Task>(),
    trace: new Trace(),
    requests: new Requests(),
    rng: {
      network: new Rng(scenario.seed, RNG_STREAM.network),
      workload: new Rng(scenario.seed, RNG_STREAM.workload),
      clients: new Rng(scenario.seed, RNG_STREAM.clients),
    },
    outstanding: new Int32Array(n).fill(-1),
    cursor: new Int32Array(n),
    heldByClient: new Int32Array(n),
    lostUpTo: new Int32Array(n),
    rateTat: new Float64Array(n),
    publishedAtMs: [0],
    lastMessageId: 0,
    unloggedUpTo: 0,
    open: new Set(),
    held: new Set(),
    proxyCuts: new Map(),
    serverStream: new Int32Array(n).fill(-1),
    clientStream: new Int32Array(n).fill(-1),
    frameArrivalMs: new Float64Array(n),
    lastFrameMs: new Float64Array(n),
    openStreams: 0,
    workload: undefined,
    nextPublish: -1,
    nextMessageId: 1,
  };
}

/**
 * A copy that goes on independently of the original. The trace and the requests are append-only
 * and shared until the copy appends (see `Trace.view`); everything else is copied.
 */
export function cloneState(s: WorldState): WorldState {
  const rng = {
    network: s.rng.network.copy(),
    workload: s.rng.workload.copy(),
    clients: s.rng.clients.copy(),
  };
  return {
    ...s,
    sched: s.sched.clone(),
    trace: s.trace.view(),
    requests: s.requests.view(),
    rng,
    outstanding: s.outstanding.slice(),
    cursor: s.cursor.slice(),
    heldByClient: s.heldByClient.slice(),
    lostUpTo: s.lostUpTo.slice(),
    rateTat: s.rateTat.slice(),
    publishedAtMs: s.publishedAtMs.slice(0, s.lastMessageId + 1),
    open: new Set(s.open),
    held: new Set(s.held),
    proxyCuts: new Map(s.proxyCuts),
    serverStream: s.serverStream.slice(),
    clientStream: s.clientStream.slice(),
    frameArrivalMs: s.frameArrivalMs.slice(),
    lastFrameMs: s.lastFrameMs.slice(),
    workload: s.workload?.copy(rng.workload),
  };
}

/**
 * Fails the run loudly when something the simulation relies on does not hold, naming the seed and
 * the instant so the run can be replayed. The checks that call it cost a comparison each, so they
 * always run.
 */
export function broken(s: WorldState, what: string): never {
  throw new Error(`world invariant broken at ${s.sched.now} ms (seed ${s.scenario.seed}): ${what}`);
}
