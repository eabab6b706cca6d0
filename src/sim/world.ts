/**
 * A run in progress. A `World` wires the client and server machines to one scheduler, a seeded
 * network, the message workload, the optional proxy, faults and interventions, and records the
 * trace. It runs to any virtual time and stops there, so a run can be computed a piece at a time.
 *
 * It can also be saved mid-run as a `Checkpoint` and resumed, with interventions added after that
 * instant: the resumed world goes on exactly as a fresh run of the new scenario would (the past
 * cannot differ, because the run is a pure function of the scenario, and nothing of the new
 * interventions has happened yet). This is what lets the playground redraw the future of a live
 * change without simulating the past again.
 *
 * Everything the scheduler holds is plain data (`Task`), except the machines' own delayed events,
 * whose description xstate gives when it schedules them; a resumed world schedules those again on
 * the restored machines, in the same places in the queue.
 */
import { createActor, type Actor, type AnyActorRef, type EventObject } from 'xstate';
import { clientMachine, type ClientEnv, type ClientMachine } from './clientMachine';
import { MachineTimers } from './machineTimers';
import { Rng, RNG_STREAM } from './rng';
import { applySet, type MessagesSpec, type Scenario } from './scenario';
import { Priority, Scheduler } from './scheduler';
import { serverMachine, type ServerEnv, type ServerMachine } from './serverMachine';
import { EventKind, isOkStatus, RequestKind, ResponseStatus, Trace } from './trace';
import { Workload } from './workload';

export interface Run {
  scenario: Scenario;
  trace: Trace;
  /** Publication time of each message, by id (index 0 is unused: ids start at 1). */
  publishedAtMs: number[];
  /** Client of each request, by request id. */
  requestClient: Int32Array;
  /** Time of the last event (the horizon, while the run is still being computed). */
  endMs: number;
  /** False while the run is still being computed: only events up to `horizonMs` are final. */
  complete: boolean;
  /** Every event at or before this time is in the trace (the run's end once it is complete). */
  horizonMs: number;
}

const TaskKind = {
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
} as const;

/** Something the world does at a scheduled time, as data. */
interface WorldTask {
  kind: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 9;
  /** The request; an intervention's or a fault's index. */
  a: number;
  firstId: number;
  count: number;
  status: ResponseStatus;
}

/** A delayed event a machine scheduled for itself: the clock's `fire`, and what it fires. */
interface TimerTask {
  kind: 8;
  fire: () => void;
  /** The client, or -1 for the server. */
  actor: number;
  event: EventObject;
  id: string;
}

type Task = WorldTask | TimerTask;

const task = (kind: WorldTask['kind'], a = -1, firstId = 0, count = 0, status = 0): WorldTask => ({
  kind,
  a,
  firstId,
  count,
  status: status as ResponseStatus,
});

/**
 * A world saved at an instant: what it takes to go on from there. Append-only columns (the
 * trace, the requests, the publication times) are shared with the world, with their length then.
 */
export interface Checkpoint {
  scenario: Scenario;
  /** Every event at or before this time had happened; none after. */
  atMs: number;
  /** @internal */ state: SavedState;
}

interface SavedState {
  sched: Scheduler<Task>;
  trace: Trace;
  traceLength: number;
  requestClient: Int32Array;
  requestCursor: Int32Array;
  requestLongPoll: Uint8Array;
  requestArrivalMs: Int32Array;
  requestCount: number;
  publishedAtMs: number[];
  lastMessageId: number;
  unloggedUpTo: number;
  nextMessageId: number;
  nextPublish: number;
  outstanding: Int32Array;
  clientCursor: Int32Array;
  heldByClient: Int32Array;
  lostUpTo: Int32Array;
  rateTat: Float64Array;
  held: number[];
  proxyCuts: [number, number][];
  config: Scenario;
  rngs: [Rng, Rng, Rng];
  workload: Workload | undefined;
  server: unknown;
  clients: unknown[];
}

/** Why a checkpoint cannot be resumed with a scenario, or undefined when it can. */
export function resumeProblem(cp: Checkpoint, scenario: Scenario): string | undefined {
  const before = cp.scenario.interventions;
  const after = scenario.interventions;
  if (after.length < before.length) return 'the scenario has fewer interventions';
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (!same({ ...cp.scenario, interventions: [] }, { ...scenario, interventions: [] })) {
    return 'the scenario differs in more than its interventions';
  }
  if (!same(before, after.slice(0, before.length))) return 'earlier interventions differ';
  if (after.slice(before.length).some((iv) => iv.atMs <= cp.atMs)) {
    return `a new intervention is not after ${cp.atMs} ms`;
  }
  return undefined;
}

export class World {
  readonly scenario: Scenario;
  private sched: Scheduler<Task>;
  private trace: Trace;
  private netRng: Rng;
  private workRng: Rng;
  private clientRng: Rng;
  private config: Scenario;
  private readonly n: number;
  private horizon = -1;

  // Requests, by id.
  private requestClient: Int32Array;
  private requestCursor: Int32Array;
  private requestLongPoll: Uint8Array;
  /** When each request reaches the server (or would have, had it not been lost). */
  private requestArrivalMs: Int32Array;
  private requestCount = 0;

  // Per client: the request it waits for (-1: none), held requests at the server, and the
  // highest message id already reported lost for it (so a loss is reported once).
  private outstanding: Int32Array;
  /** The last message id each client has (its application's cursor, sent with each request). */
  private clientCursor: Int32Array;
  private heldByClient: Int32Array;
  private lostUpTo: Int32Array;
  // Per client, for the rate limit (a generic cell rate algorithm, GCRA): the theoretical time
  // of its next request at the steady rate. A request earlier than that by more than the burst
  // allows is over the limit.
  private rateTat: Float64Array;

  // The server's log and held requests.
  private publishedAtMs: number[];
  private lastMessageId = 0;
  /** The last message published while the server kept no buffer: it never entered a log. */
  private unloggedUpTo = 0;
  private held: Set<number>;
  private proxyCuts: Map<number, number>;

  // The workload: messages planned one at a time, so an intervention can change it from its
  // instant on.
  private workload: Workload | undefined;
  private nextPublish = -1;
  private nextMessageId = 1;

  private server: Actor<ServerMachine>;
  private clients: Actor<ClientMachine>[] = [];

  /** Each machine's index: a client's, or -1 for the server. */
  private actorIndex = new Map<AnyActorRef, number>();
  private machineTimers: MachineTimers;
  private machineClock = this.clock();
  // What xstate is scheduling right now (set by `machineScheduler`, read by the clock).
  private pendingActor = -1;
  private pendingEvent: EventObject = { type: '' };
  private pendingId = '';
  /** The machine timer being fired (set by `dispatch`, read by `fireTimer`). */
  private firing: TimerTask | undefined;
  // While restoring: the queue slot and handle the next machine timer takes over.
  private restoreSlot = -1;
  private restoreHandle = -1;

  /** A fresh world at time 0 (nothing has happened yet), or one resumed from a checkpoint. */
  constructor(scenario: Scenario, from?: Checkpoint) {
    this.scenario = scenario;
    this.n = scenario.clients;
    this.machineTimers = new MachineTimers(this.n);
    const serverEnv = this.serverEnv();
    const clientEnv = this.clientEnv();
    if (!from) {
      this.sched = new Scheduler<Task>(this.dispatch);
      this.trace = new Trace();
      this.netRng = new Rng(scenario.seed, RNG_STREAM.network);
      this.workRng = new Rng(scenario.seed, RNG_STREAM.workload);
      this.clientRng = new Rng(scenario.seed, RNG_STREAM.clients);
      this.config = scenario;
      this.requestClient = new Int32Array(1024);
      this.requestCursor = new Int32Array(1024);
      this.requestLongPoll = new Uint8Array(1024);
      this.requestArrivalMs = new Int32Array(1024);
      this.outstanding = new Int32Array(this.n).fill(-1);
      this.clientCursor = new Int32Array(this.n);
      this.heldByClient = new Int32Array(this.n);
      this.lostUpTo = new Int32Array(this.n);
      this.rateTat = new Float64Array(this.n);
      this.publishedAtMs = [0];
      this.held = new Set();
      this.proxyCuts = new Map();
      this.server = this.makeActor(serverMachine, -1, { env: serverEnv });
      this.start(clientEnv);
      return;
    }
    const problem = resumeProblem(from, scenario);
    if (problem) throw new Error(`cannot resume at ${from.atMs} ms: ${problem}`);
    const s = from.state;
    this.horizon = from.atMs;
    this.sched = s.sched.clone(this.dispatch);
    this.trace = s.trace.prefix(s.traceLength);
    [this.netRng, this.workRng, this.clientRng] = s.rngs.map((r) => r.copy());
    this.config = s.config;
    const copyOf = <T extends Int32Array | Uint8Array>(a: T, length: number, make: () => T): T => {
      const b = make();
      b.set(a.subarray(0, length));
      return b;
    };
    const capacity = Math.max(1024, s.requestCount * 2);
    this.requestClient = copyOf(s.requestClient, s.requestCount, () => new Int32Array(capacity));
    this.requestCursor = copyOf(s.requestCursor, s.requestCount, () => new Int32Array(capacity));
    this.requestLongPoll = copyOf(
      s.requestLongPoll,
      s.requestCount,
      () => new Uint8Array(capacity),
    );
    this.requestArrivalMs = copyOf(
      s.requestArrivalMs,
      s.requestCount,
      () => new Int32Array(capacity),
    );
    this.requestCount = s.requestCount;
    this.outstanding = s.outstanding.slice();
    this.clientCursor = s.clientCursor.slice();
    this.heldByClient = s.heldByClient.slice();
    this.lostUpTo = s.lostUpTo.slice();
    this.rateTat = s.rateTat.slice();
    this.publishedAtMs = s.publishedAtMs.slice(0, s.lastMessageId + 1);
    this.lastMessageId = s.lastMessageId;
    this.unloggedUpTo = s.unloggedUpTo;
    this.nextMessageId = s.nextMessageId;
    this.nextPublish = s.nextPublish;
    this.held = new Set(s.held);
    this.proxyCuts = new Map(s.proxyCuts);
    this.workload = s.workload?.copy(this.workRng);
    this.server = this.makeActor(serverMachine, -1, { env: serverEnv }, s.server);
    for (let c = 0; c < this.n; c++) {
      this.clients.push(
        this.makeActor(clientMachine, c, { id: c, startOffsetMs: 0, env: clientEnv }, s.clients[c]),
      );
    }
    this.server.start();
    for (const actor of this.clients) actor.start();
    // The machines' delayed events, scheduled again in the slots they had.
    this.sched.forEachPending((slot, timeMs, handle, t) => {
      if (t.kind !== TaskKind.timer) return;
      const actor: AnyActorRef = t.actor < 0 ? this.server : this.clients[t.actor];
      this.restoreSlot = slot;
      this.restoreHandle = handle;
      actor.system.scheduler.schedule(actor, actor, t.event, timeMs - this.sched.now, t.id);
    });
    this.restoreSlot = -1;
    // The new interventions: after the checkpoint, in the order a fresh run would take them.
    const interventions = scenario.interventions;
    for (let i = from.scenario.interventions.length; i < interventions.length; i++) {
      this.sched.at(interventions[i].atMs, task(TaskKind.intervention, i), Priority.control);
    }
  }

  /** Every event at or before this time has happened (−1 before the run starts). */
  get horizonMs(): number {
    return this.horizon;
  }

  get done(): boolean {
    return this.sched.pending === 0;
  }

  /** Runs every event at or before `untilMs`. */
  runUntil(untilMs: number): void {
    if (untilMs <= this.horizon) return;
    this.sched.run(untilMs);
    this.throwIfFailed();
    this.horizon = untilMs;
    if (this.done) this.stop();
  }

  runToEnd(): void {
    this.runUntil(Infinity);
  }

  /** The run so far; complete once nothing is left to happen. */
  result(): Run {
    const trace = this.trace;
    const complete = this.done;
    const lastMs = trace.length > 0 ? trace.time[trace.length - 1] : 0;
    // A run still being computed ends, so far, at its horizon: requests in flight last to there.
    const endMs = complete ? lastMs : Math.max(lastMs, this.horizon);
    return {
      scenario: this.scenario,
      // A run still being computed gets a view that does not grow under its readers.
      trace: complete ? trace : trace.view(),
      publishedAtMs: complete ? this.publishedAtMs : this.publishedAtMs.slice(),
      requestClient: this.requestClient.subarray(0, this.requestCount),
      endMs,
      complete,
      horizonMs: complete ? endMs : this.horizon,
    };
  }

  /** Saves the world as it is now, to resume it later with `new World(scenario, checkpoint)`. */
  checkpoint(): Checkpoint {
    if (this.done) throw new Error('checkpoint: the run is over');
    const rngs: [Rng, Rng, Rng] = [this.netRng.copy(), this.workRng.copy(), this.clientRng.copy()];
    return {
      scenario: this.scenario,
      atMs: this.horizon,
      state: {
        sched: this.sched.clone(),
        trace: this.trace,
        traceLength: this.trace.length,
        requestClient: this.requestClient,
        requestCursor: this.requestCursor,
        requestLongPoll: this.requestLongPoll,
        requestArrivalMs: this.requestArrivalMs,
        requestCount: this.requestCount,
        publishedAtMs: this.publishedAtMs,
        lastMessageId: this.lastMessageId,
        unloggedUpTo: this.unloggedUpTo,
        nextMessageId: this.nextMessageId,
        nextPublish: this.nextPublish,
        outstanding: this.outstanding.slice(),
        clientCursor: this.clientCursor.slice(),
        heldByClient: this.heldByClient.slice(),
        lostUpTo: this.lostUpTo.slice(),
        rateTat: this.rateTat.slice(),
        held: [...this.held],
        proxyCuts: [...this.proxyCuts],
        config: this.config,
        rngs,
        workload: this.workload?.copy(rngs[1]),
        // Snapshots are immutable: keeping the current ones is enough.
        server: this.server.getSnapshot(),
        clients: this.clients.map((a) => a.getSnapshot()),
      },
    };
  }

  // ---- Set-up ----

  private start(clientEnv: ClientEnv): void {
    const scenario = this.scenario;
    // Interventions and faults are scheduled first, so that at the same millisecond they take
    // effect before anything else happens.
    const order = scenario.interventions
      .map((iv, index) => ({ atMs: iv.atMs, index }))
      .sort((x, y) => x.atMs - y.atMs);
    for (const { atMs, index } of order) {
      this.sched.at(atMs, task(TaskKind.intervention, index), Priority.control);
    }
    scenario.faults.forEach((fault, index) =>
      this.sched.at(fault.atMs, task(TaskKind.fault, index), Priority.fault),
    );
    this.startWorkload(scenario.messages);
    this.server.start();
    for (let c = 0; c < this.n; c++) {
      const startOffsetMs =
        scenario.clientStartSpreadMs > 0 ? this.clientRng.int(scenario.clientStartSpreadMs + 1) : 0;
      this.clients.push(this.makeActor(clientMachine, c, { id: c, startOffsetMs, env: clientEnv }));
    }
    for (const actor of this.clients) actor.start();
  }

  /**
   * An actor on the simulation's clock (xstate's Clock: every `after` delay runs in virtual
   * time), whose scheduler tells the world what each delayed event is, so a checkpoint can
   * describe it. With a snapshot, the actor is restored rather than started afresh.
   *
   * The server is the root of one actor system and every client joins it (xstate's `parent`
   * option), so all machines share one scheduler and one clock. A thousand clients are then a
   * thousand small actors rather than a thousand systems, which keeps a large run's working set
   * small.
   */
  private makeActor<M extends ClientMachine | ServerMachine>(
    machine: M,
    index: number,
    input: M extends ClientMachine
      ? { id: number; startOffsetMs: number; env: ClientEnv }
      : { env: ServerEnv },
    snapshot?: unknown,
  ): Actor<M> {
    const options: Record<string, unknown> = { input };
    if (index < 0) options.clock = this.machineClock;
    else options.parent = this.server;
    if (snapshot) {
      const persisted = machine.getPersistedSnapshot(snapshot as never) as unknown as {
        context: object;
      };
      options.snapshot = { ...persisted, context: { ...persisted.context, env: input.env } };
    }
    const actor = createActor(machine as ClientMachine, options as never) as unknown as Actor<M>;
    this.actorIndex.set(actor, index);
    if (index < 0) {
      // A client's error reaches the server, which fails with it; this observer keeps xstate
      // from also throwing it later, outside the run (`throwIfFailed` throws it now).
      actor.subscribe({ error: () => {} });
      actor.system.scheduler = this.machineScheduler();
    }
    return actor;
  }

  /**
   * A machine whose action threw is in status "error" and stops taking events. A client's error
   * is relayed to the server, its parent, which fails with it; xstate reports a root's error only
   * asynchronously, so the world looks at the server and fails the run with that error at once.
   */
  private throwIfFailed(): void {
    const snapshot = this.server.getSnapshot();
    if (snapshot.status === 'error') throw snapshot.error;
  }

  /**
   * The actor system's scheduler of delayed events, in place of xstate's own. xstate's keeps every
   * machine's pending events in two objects keyed by a string it builds per event, and notes
   * each one's wall-clock start: with a thousand clients those are hash tables of thousands of
   * entries, touched three times per request. This one keeps each machine's pending events by id
   * (see `MachineTimers`) and runs them on the same clock. What it does is
   * xstate's: an event fires once, unless cancelled first; a stopped machine's events are cancelled.
   */
  private machineScheduler(): AnyActorRef['system']['scheduler'] {
    const clock = this.machineClock;
    const indexOf = (actor: AnyActorRef) => this.actorIndex.get(actor) ?? -1;
    const timers = this.machineTimers;
    return {
      schedule: (source, target, event, delay, id) => {
        // Every delayed event the machines raise is named (an `after` is named by xstate).
        if (id === undefined) throw new Error(`world: the delayed event ${event.type} has no id`);
        const index = indexOf(source);
        // Only a machine's own delayed events (`after`, and `raise` with a delay) are supported.
        if (source !== target) throw new Error(`world: ${event.type} is sent to another actor`);
        this.pendingActor = index;
        this.pendingEvent = event;
        this.pendingId = id;
        timers.set(index, id, clock.setTimeout(this.fireTimer, delay));
      },
      cancel: (source, id) => {
        const index = indexOf(source);
        const handle = timers.get(index, id);
        if (handle === undefined) return;
        timers.delete(index, id);
        clock.clearTimeout(handle);
      },
      cancelAll: (source) => {
        for (const handle of timers.clear(indexOf(source))) clock.clearTimeout(handle);
      },
    };
  }

  /**
   * What the clock calls when a machine's delayed event is due: the event goes to its machine,
   * which no longer has it pending. One function serves every timer (the task being run says
   * which), so scheduling a timer allocates only its task.
   */
  private fireTimer = (): void => {
    const { actor, event, id } = this.firing as TimerTask;
    this.machineTimers.delete(actor, id);
    const machine: AnyActorRef = actor < 0 ? this.server : this.clients[actor];
    machine.send(event);
  };

  /** The actor system's clock: the simulation's scheduler, in virtual milliseconds. */
  private clock() {
    return {
      setTimeout: (fire: () => void, delayMs: number): number => {
        const t: TimerTask = {
          kind: TaskKind.timer,
          fire,
          actor: this.pendingActor,
          event: this.pendingEvent,
          id: this.pendingId,
        };
        if (this.restoreSlot < 0) return this.sched.after(delayMs, t, Priority.timer);
        this.sched.replaceTask(this.restoreSlot, t);
        return this.restoreHandle;
      },
      clearTimeout: (handle: number) => this.sched.cancel(handle),
    };
  }

  /** Stops the system (clients joined the server's system, so xstate stops only its root). */
  private stop(): void {
    this.server.stop();
  }

  // ---- What happens at a scheduled time ----

  private dispatch = (t: Task): void => {
    switch (t.kind) {
      case TaskKind.timer:
        this.firing = t;
        t.fire();
        return;
      case TaskKind.requestArrives: {
        const request = t.a;
        this.trace.push(
          this.sched.now,
          EventKind.requestArrived,
          this.requestClient[request],
          request,
          this.requestCursor[request],
        );
        this.server.send({ type: 'request.arrived', request });
        return;
      }
      case TaskKind.requestLost:
        this.trace.push(this.sched.now, EventKind.requestLost, this.requestClient[t.a], t.a);
        return;
      case TaskKind.responseArrives: {
        const request = t.a;
        const client = this.requestClient[request];
        const { firstId, count, status } = t;
        if (this.outstanding[client] !== request) {
          this.trace.push(
            this.sched.now,
            EventKind.lateResponse,
            client,
            request,
            firstId,
            count,
            status,
          );
          return;
        }
        this.outstanding[client] = -1;
        this.trace.push(
          this.sched.now,
          EventKind.responseArrived,
          client,
          request,
          firstId,
          count,
          status,
        );
        this.clients[client].send({
          type: 'response.arrived',
          request,
          firstId,
          count,
          ok: isOkStatus(status),
        });
        return;
      }
      case TaskKind.responseLost:
        this.trace.push(
          this.sched.now,
          EventKind.responseLost,
          this.requestClient[t.a],
          t.a,
          t.firstId,
          t.count,
          t.status,
        );
        return;
      case TaskKind.proxyCut: {
        const request = t.a;
        this.proxyCuts.delete(request);
        this.trace.push(this.sched.now, EventKind.proxyCut, this.requestClient[request], request);
        this.server.send({ type: 'request.aborted', request });
        this.respond(request, 0, 0, ResponseStatus.proxyTimeout);
        return;
      }
      case TaskKind.clientClose: {
        // A server sees the close and stops holding the request; one answered or lost already
        // has nothing to stop.
        const request = t.a;
        if (!this.held.has(request)) return;
        this.trace.push(
          this.sched.now,
          EventKind.requestAborted,
          this.requestClient[request],
          request,
        );
        this.server.send({ type: 'request.aborted', request });
        return;
      }
      case TaskKind.publish:
        this.nextPublish = -1;
        this.server.send({ type: 'message.published', message: this.nextMessageId++ });
        this.planPublish();
        return;
      case TaskKind.intervention: {
        const { set } = this.scenario.interventions[t.a];
        this.config = applySet(this.config, set);
        this.trace.push(this.sched.now, EventKind.intervention, -1, -1, t.a);
        if (set.messages) this.startWorkload(set.messages);
        for (const client of this.clients) client.send({ type: 'config.changed' });
        return;
      }
      case TaskKind.fault:
        this.server.send({ type: 'server.crash', downMs: this.scenario.faults[t.a].downMs });
        return;
    }
  };

  private startWorkload(spec: MessagesSpec): void {
    if (this.nextPublish >= 0) this.sched.cancel(this.nextPublish);
    this.nextPublish = -1;
    this.workload = new Workload(spec, this.sched.now, this.workRng);
    this.planPublish();
  }

  private planPublish(): void {
    const next = this.workload?.next();
    if (next === undefined || next >= this.scenario.durationMs) return;
    this.nextPublish = this.sched.at(
      Math.max(next, this.sched.now),
      task(TaskKind.publish),
      Priority.arrival,
    );
  }

  // ---- The network and the server's log ----

  private oneWayMs(): number {
    const { latencyMs, jitterMs } = this.config.network;
    return latencyMs + (jitterMs > 0 ? this.netRng.int(jitterMs + 1) : 0);
  }

  private dropped(): boolean {
    const { lossRate } = this.config.network;
    return lossRate > 0 && this.netRng.next() < lossRate;
  }

  private respond(request: number, firstId: number, count: number, status: ResponseStatus): void {
    const now = this.sched.now;
    this.trace.push(
      now,
      EventKind.responseSent,
      this.requestClient[request],
      request,
      firstId,
      count,
      status,
    );
    const delayMs = this.oneWayMs();
    const kind = this.dropped() ? TaskKind.responseLost : TaskKind.responseArrives;
    this.sched.at(now + delayMs, task(kind, request, firstId, count, status), Priority.arrival);
  }

  /** The oldest message the log still has. */
  private oldestKept(): number {
    const limit = this.config.server.bufferLimit;
    const oldest = limit === undefined ? 1 : Math.max(1, this.lastMessageId - limit + 1);
    return Math.max(oldest, this.unloggedUpTo + 1);
  }

  /**
   * The first message the log can send a client after its cursor (past the last one when it has
   * none): not one the log no longer keeps, nor one the server already gave up on for this client
   * (a server that sent only its latest message, until an intervention gave it a log).
   */
  private firstInLog(client: number, cursor: number): number {
    return Math.max(cursor + 1, this.lostUpTo[client] + 1, this.oldestKept());
  }

  /**
   * Messages a request gets now: [firstId, count]. With a log, those after the request's cursor
   * that the log still keeps (one, without batching). With `recent`, the server has no cursor and
   * sends what it keeps, old or new (only the latest, without batching): the client sees again
   * what it already has, and drops those duplicates by their ids.
   */
  private pending(client: number, cursor: number): [number, number] {
    const { buffer, batch } = this.config.server;
    const last = this.lastMessageId;
    if (buffer === 'none' || last === 0) return [0, 0];
    if (buffer === 'log' && cursor >= last) return [0, 0];
    const oldest = this.oldestKept();
    let first: number;
    let count: number;
    if (buffer === 'recent') {
      first = batch ? oldest : Math.max(oldest, last);
      count = last - first + 1;
    } else {
      first = this.firstInLog(client, cursor);
      count = batch ? last - first + 1 : 1;
    }
    // Messages after the client's cursor but before `first` will never reach it.
    for (let id = Math.max(cursor, this.lostUpTo[client]) + 1; id < first; id++) {
      this.trace.push(this.sched.now, EventKind.messageLost, client, -1, id);
      this.lostUpTo[client] = id;
    }
    // Everything after the cursor was published before the log began: nothing to send.
    if (first > last) return [0, 0];
    return [first, count];
  }

  private release(request: number): void {
    this.held.delete(request);
    this.heldByClient[this.requestClient[request]]--;
    const cut = this.proxyCuts.get(request);
    if (cut !== undefined) {
      this.sched.cancel(cut);
      this.proxyCuts.delete(request);
    }
  }

  /**
   * Records a publication. Without a buffer, a client with no request held at this instant
   * loses the message.
   */
  private logMessage(message: number): void {
    const now = this.sched.now;
    this.publishedAtMs[message] = now;
    this.lastMessageId = message;
    this.trace.push(now, EventKind.messagePublished, -1, -1, message);
    if (this.config.server.buffer !== 'none') return;
    this.unloggedUpTo = message;
    for (let c = 0; c < this.n; c++) {
      if (this.heldByClient[c] === 0 && this.lostUpTo[c] < message) {
        this.trace.push(now, EventKind.messageLost, c, -1, message);
        this.lostUpTo[c] = message;
      }
    }
  }

  /** Counts a request the rate limiter let through: the client's next one is due a spacing later. */
  private admitted(request: number): void {
    const limit = this.config.server.rateLimit;
    if (!limit) return;
    const client = this.requestClient[request];
    const spacingMs = 60_000 / limit.requestsPerMin;
    this.rateTat[client] = Math.max(this.rateTat[client], this.sched.now) + spacingMs;
  }

  private serverEnv(): ServerEnv {
    return {
      // Over the limit: earlier than its due time by more than the burst's slack.
      overRateLimit: (request) => {
        const limit = this.config.server.rateLimit;
        if (!limit) return false;
        const slackMs = (limit.burst - 1) * (60_000 / limit.requestsPerMin);
        // A spacing such as 60,000 / 288 ms is not exact in floating point, and a dozen of them
        // added up can land a hair past a whole millisecond: a microsecond of tolerance keeps a
        // request that arrives exactly on time allowed.
        return this.sched.now < this.rateTat[this.requestClient[request]] - slackMs - 1e-3;
      },
      atHoldCapacity: () => {
        const cap = this.config.server.maxHeldRequests;
        return cap != null && this.held.size >= cap;
      },
      reject: (request, why) => {
        if (why === 'rate-limit') {
          this.respond(request, 0, 0, ResponseStatus.rateLimited);
          return;
        }
        this.admitted(request);
        this.respond(request, 0, 0, ResponseStatus.overCapacity);
      },
      answersAtOnce: (request) => {
        if (!this.requestLongPoll[request]) return true;
        // Without a cursor (`recent`) the server cannot tell what is new to the client: it holds.
        // With a log, only what the log can still send counts: a client behind messages the log
        // never had or gave up on is held, as one with nothing new is.
        if (this.config.server.buffer !== 'log') return false;
        const first = this.firstInLog(this.requestClient[request], this.requestCursor[request]);
        return first <= this.lastMessageId;
      },
      answer: (request) => {
        this.admitted(request);
        const [first, count] = this.pending(
          this.requestClient[request],
          this.requestCursor[request],
        );
        this.respond(request, first, count, ResponseStatus.ok);
      },
      hold: (request) => {
        this.admitted(request);
        const holdMs = this.config.longPollTimeoutMs;
        const now = this.sched.now;
        const client = this.requestClient[request];
        this.held.add(request);
        this.heldByClient[client]++;
        this.trace.push(now, EventKind.requestHeld, client, request, now + holdMs);
        // Scheduled before the hold timer, so that a proxy limit equal to the hold wins the tie,
        // as a gateway that closes at exactly its limit does.
        const proxy = this.config.proxy;
        if (proxy) {
          const cut = this.sched.after(proxy.idleTimeoutMs, task(TaskKind.proxyCut, request));
          this.proxyCuts.set(request, cut);
        }
        return holdMs;
      },
      publish: (message) => {
        this.logMessage(message);
        const answered: number[] = [];
        for (const request of this.held) {
          const [first, count] =
            this.config.server.buffer === 'none'
              ? [message, 1]
              : this.pending(this.requestClient[request], this.requestCursor[request]);
          if (count === 0) continue;
          answered.push(request);
          this.respond(request, first, count, ResponseStatus.ok);
        }
        for (const request of answered) this.release(request);
        return answered;
      },
      expireHold: (request) => {
        if (!this.held.has(request)) return;
        this.release(request);
        this.trace.push(
          this.sched.now,
          EventKind.holdTimeout,
          this.requestClient[request],
          request,
        );
        this.respond(request, 0, 0, ResponseStatus.holdTimeout);
      },
      dropHeld: (request) => {
        if (this.held.has(request)) this.release(request);
      },
      dropAllHeld: () => {
        const dropped = [...this.held];
        for (const request of dropped) {
          this.release(request);
          this.respond(request, 0, 0, ResponseStatus.serverError);
        }
        return dropped;
      },
      refuse: (request) => this.respond(request, 0, 0, ResponseStatus.serverError),
      // A restart dropped every held request, so without a buffer the message is lost for all.
      logWhileDown: (message) => this.logMessage(message),
      recordDown: (downMs) => this.trace.push(this.sched.now, EventKind.serverDown, -1, -1, downMs),
      recordUp: () => this.trace.push(this.sched.now, EventKind.serverUp),
    };
  }

  private clientEnv(): ClientEnv {
    return {
      config: () => this.config,
      now: () => this.sched.now,
      sendRequest: (client, longPoll) => this.sendRequest(client, longPoll),
      deliver: (client, request, firstId, count) => {
        const now = this.sched.now;
        const cursor = this.clientCursor[client];
        for (let id = firstId; id < firstId + count; id++) {
          const duplicate = id <= cursor;
          this.trace.push(
            now,
            EventKind.messageDelivered,
            client,
            request,
            id,
            now - this.publishedAtMs[id],
            duplicate ? 1 : 0,
          );
        }
        this.clientCursor[client] = Math.max(cursor, firstId + count - 1);
      },
      skippedTick: (client) =>
        this.trace.push(this.sched.now, EventKind.tickSkipped, client, this.outstanding[client]),
      clientTimeout: (client) => {
        const request = this.outstanding[client];
        const now = this.sched.now;
        this.trace.push(now, EventKind.clientTimeout, client, request);
        this.outstanding[client] = -1;
        // Giving up closes the connection. The close takes the network's latency (no jitter: it
        // draws nothing from the network's stream) and, like TCP, never overtakes the request.
        const closeAtMs = Math.max(
          now + this.config.network.latencyMs,
          this.requestArrivalMs[request],
        );
        this.sched.at(closeAtMs, task(TaskKind.clientClose, request), Priority.arrival);
      },
      backoff: (client, waitMs, attempt) =>
        this.trace.push(this.sched.now, EventKind.backoff, client, -1, waitMs, attempt),
      random: () => this.clientRng.next(),
    };
  }

  private sendRequest(client: number, longPoll: boolean): void {
    const request = this.requestCount++;
    const cursor = this.clientCursor[client];
    if (request === this.requestClient.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, b: T) => (b.set(a), b);
      this.requestClient = grow(this.requestClient, new Int32Array(request * 2));
      this.requestCursor = grow(this.requestCursor, new Int32Array(request * 2));
      this.requestLongPoll = grow(this.requestLongPoll, new Uint8Array(request * 2));
      this.requestArrivalMs = grow(this.requestArrivalMs, new Int32Array(request * 2));
    }
    this.requestClient[request] = client;
    this.requestCursor[request] = cursor;
    this.requestLongPoll[request] = longPoll ? 1 : 0;
    this.outstanding[client] = request;
    const now = this.sched.now;
    this.trace.push(
      now,
      EventKind.requestSent,
      client,
      request,
      cursor,
      longPoll ? RequestKind.longPoll : RequestKind.poll,
    );
    const delayMs = this.oneWayMs();
    const kind = this.dropped() ? TaskKind.requestLost : TaskKind.requestArrives;
    this.requestArrivalMs[request] = now + delayMs;
    this.sched.at(now + delayMs, task(kind, request), Priority.arrival);
  }
}
