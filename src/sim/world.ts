/**
 * A run in progress. A `World` wires the client and server machines to one scheduler and to the
 * rules of the world (the network, the server's log, its rate limit and held requests, the
 * proxy), brings in the workload, faults and interventions, and records the trace. It runs to any
 * virtual time and stops there, so a run can be computed a piece at a time.
 *
 * It can also be saved mid-run as a `Checkpoint` and resumed, with interventions added after that
 * instant: the resumed world goes on exactly as a fresh run of the new scenario would (the past
 * cannot differ, because the run is a pure function of the scenario, and nothing of the new
 * interventions has happened yet). This is what lets the playground redraw the future of a live
 * change without simulating the past again. All the world's state is one value (worldState.ts),
 * copied by one function for both.
 */
import { createActor, type Actor, type AnyActorRef } from 'xstate';
import { clientMachine, type ClientEnv, type ClientMachine } from './clientMachine';
import { closeAtClient, deliver, giveUp } from './clientSide';
import * as holds from './holds';
import { MachineClock, refusingClock } from './machineClock';
import { respond, sendRequest } from './network';
import { recordProxyCut } from './proxy';
import { admit, overRateLimit } from './rateLimit';
import { applySet, type MessagesSpec, type Scenario } from './scenario';
import { Priority } from './scheduler';
import { serverMachine, type ServerEnv, type ServerMachine } from './serverMachine';
import { hasNewFor, logMessage, pending } from './serverLog';
import {
  closeAllStreams,
  closeAtServer,
  heartbeat,
  frameArrives,
  openStream,
  opensStream,
  proxyWatch,
  publishToStreams,
  streamEndArrives,
} from './streams';
import {
  EventKind,
  FrameKind,
  isOkStatus,
  RequestKind,
  ResponseStatus,
  StreamEnd,
  Trace,
} from './trace';
import { Workload } from './workload';
import { cloneState, freshState, task, TaskKind, type Task, type WorldState } from './worldState';

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

/** A world saved at an instant: what it takes to go on from there. */
export interface Checkpoint {
  scenario: Scenario;
  /** Every event at or before this time had happened; none after. */
  atMs: number;
  /** @internal */ state: WorldState;
  /** @internal The machines' snapshots (immutable, so keeping them is enough). */ machines: {
    server: unknown;
    clients: unknown[];
  };
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
  private readonly s: WorldState;
  private horizon = -1;
  private server: Actor<ServerMachine>;
  private clients: Actor<ClientMachine>[] = [];
  private clock: MachineClock;

  /** A fresh world at time 0 (nothing has happened yet), or one resumed from a checkpoint. */
  constructor(scenario: Scenario, from?: Checkpoint) {
    this.scenario = scenario;
    if (from) {
      const problem = resumeProblem(from, scenario);
      if (problem) throw new Error(`cannot resume at ${from.atMs} ms: ${problem}`);
      this.horizon = from.atMs;
    }
    const s = from ? cloneState(from.state) : freshState(scenario);
    this.s = s;
    s.sched.dispatch = this.dispatch;
    this.clock = new MachineClock(s.sched, scenario.clients, (i) =>
      i < 0 ? this.server : this.clients[i],
    );
    const clientEnv = this.clientEnv();
    this.server = this.makeActor(
      serverMachine,
      -1,
      { env: this.serverEnv() },
      from?.machines.server,
    );
    if (!from) {
      this.start(clientEnv);
      return;
    }
    for (let c = 0; c < scenario.clients; c++) {
      const input = { id: c, startOffsetMs: 0, env: clientEnv };
      this.clients.push(this.makeActor(clientMachine, c, input, from.machines.clients[c]));
    }
    this.server.start();
    for (const actor of this.clients) actor.start();
    this.clock.restore();
    // The new interventions: after the checkpoint, in the order a fresh run would take them.
    const interventions = scenario.interventions;
    for (let i = from.scenario.interventions.length; i < interventions.length; i++) {
      s.sched.at(interventions[i].atMs, task(TaskKind.intervention, i), Priority.control);
    }
  }

  /** Every event at or before this time has happened (−1 before the run starts). */
  get horizonMs(): number {
    return this.horizon;
  }

  get done(): boolean {
    return this.s.sched.pending === 0;
  }

  /** Runs every event at or before `untilMs`. */
  runUntil(untilMs: number): void {
    if (untilMs <= this.horizon) return;
    try {
      this.s.sched.run(untilMs);
      this.throwIfFailed();
    } catch (error) {
      throw this.withSeed(error);
    }
    this.horizon = untilMs;
    // Clients joined the server's system, so stopping the root stops them all.
    if (this.done) this.server.stop();
  }

  runToEnd(): void {
    this.runUntil(Infinity);
  }

  /** The run so far; complete once nothing is left to happen. */
  result(): Run {
    const { trace, publishedAtMs, requests } = this.s;
    const complete = this.done;
    const lastMs = trace.length > 0 ? trace.time[trace.length - 1] : 0;
    // A run still being computed ends, so far, at its horizon: requests in flight last to there.
    const endMs = complete ? lastMs : Math.max(lastMs, this.horizon);
    return {
      scenario: this.scenario,
      // A run still being computed gets a view that does not grow under its readers.
      trace: complete ? trace : trace.view(),
      publishedAtMs: complete ? publishedAtMs : publishedAtMs.slice(),
      requestClient: requests.client.subarray(0, requests.count),
      endMs,
      complete,
      horizonMs: complete ? endMs : this.horizon,
    };
  }

  /** Saves the world as it is now, to resume it later with `new World(scenario, checkpoint)`. */
  checkpoint(): Checkpoint {
    if (this.done) throw new Error('checkpoint: the run is over');
    return {
      scenario: this.scenario,
      atMs: this.horizon,
      state: cloneState(this.s),
      machines: {
        server: this.server.getSnapshot(),
        clients: this.clients.map((a) => a.getSnapshot()),
      },
    };
  }

  // ---- Set-up ----

  private start(clientEnv: ClientEnv): void {
    const { scenario, s } = this;
    // Interventions and faults are scheduled first, so that at the same millisecond they take
    // effect before anything else happens.
    const order = scenario.interventions
      .map((iv, index) => ({ atMs: iv.atMs, index }))
      .sort((x, y) => x.atMs - y.atMs);
    for (const { atMs, index } of order) {
      s.sched.at(atMs, task(TaskKind.intervention, index), Priority.control);
    }
    scenario.faults.forEach((fault, index) =>
      s.sched.at(fault.atMs, task(TaskKind.fault, index), Priority.fault),
    );
    this.startWorkload(scenario.messages);
    // At the run's end clients close their streams and sockets, so that every run ends.
    s.sched.at(scenario.durationMs, task(TaskKind.runEnd), Priority.timer);
    this.server.start();
    for (let c = 0; c < scenario.clients; c++) {
      const spreadMs = scenario.clientStartSpreadMs;
      const startOffsetMs = spreadMs > 0 ? s.rng.clients.int(spreadMs + 1) : 0;
      this.clients.push(this.makeActor(clientMachine, c, { id: c, startOffsetMs, env: clientEnv }));
    }
    for (const actor of this.clients) actor.start();
  }

  /**
   * An actor on the simulation's clock (see machineClock.ts). With a snapshot, the actor is
   * restored rather than started afresh, with this world's environment.
   *
   * The server is the root of one actor system and every client joins it (xstate's `parent`
   * option), so all machines share one scheduler. A thousand clients are then a thousand small
   * actors rather than a thousand systems, which keeps a large run's working set small.
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
    if (index < 0) options.clock = refusingClock;
    else options.parent = this.server;
    if (snapshot) {
      const persisted = machine.getPersistedSnapshot(snapshot as never) as unknown as {
        context: object;
      };
      options.snapshot = { ...persisted, context: { ...persisted.context, env: input.env } };
    }
    const actor = createActor(machine as ClientMachine, options as never) as unknown as Actor<M>;
    this.clock.register(actor as AnyActorRef, index);
    // A client's error reaches the server, which fails with it; this observer keeps xstate from
    // also throwing it later, outside the run (`throwIfFailed` throws it now).
    if (index < 0) actor.subscribe({ error: () => {} });
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

  /** A failure names the instant and the seed, so the run can be replayed to it. */
  private withSeed(error: unknown): unknown {
    if (!(error instanceof Error) || error.message.includes('(seed ')) return error;
    const where = `at ${this.s.sched.now} ms (seed ${this.scenario.seed})`;
    return new Error(`${error.message} ${where}`, { cause: error });
  }

  // ---- What happens at a scheduled time ----

  private dispatch = (t: Task): void => {
    const s = this.s;
    const now = s.sched.now;
    switch (t.kind) {
      case TaskKind.timer:
        this.clock.fire(t);
        return;
      case TaskKind.requestArrives: {
        const request = t.a;
        const { client, cursor } = s.requests;
        s.trace.push(now, EventKind.requestArrived, client[request], request, cursor[request]);
        s.open.add(request);
        this.server.send({ type: 'request.arrived', request });
        return;
      }
      case TaskKind.requestLost:
        s.trace.push(now, EventKind.requestLost, s.requests.client[t.a], t.a);
        return;
      case TaskKind.responseArrives:
      case TaskKind.responseLost: {
        const request = t.a;
        const client = s.requests.client[request];
        const { firstId, count, status } = t;
        // A response to a request the client gave up on (or lost) never reaches its machine.
        let kind: EventKind = EventKind.responseLost;
        if (t.kind === TaskKind.responseArrives) {
          kind =
            s.outstanding[client] === request ? EventKind.responseArrived : EventKind.lateResponse;
        }
        s.trace.push(now, kind, client, request, firstId, count, status);
        if (kind !== EventKind.responseArrived) return;
        s.outstanding[client] = -1;
        const ok = isOkStatus(status);
        this.clients[client].send({ type: 'response.arrived', request, firstId, count, ok });
        return;
      }
      case TaskKind.proxyCut:
        if (opensStream(s, t.a)) {
          proxyWatch(s, t.a);
          return;
        }
        recordProxyCut(s, t.a);
        this.server.send({ type: 'request.aborted', request: t.a });
        respond(s, t.a, 0, 0, ResponseStatus.proxyTimeout);
        return;
      case TaskKind.clientClose:
        if (opensStream(s, t.a)) {
          closeAtServer(s, t.a, StreamEnd.clientClosed);
        } else if (holds.recordClientClose(s, t.a)) {
          this.server.send({ type: 'request.aborted', request: t.a });
        }
        return;
      case TaskKind.frameArrives:
        if (frameArrives(s, t.a, t.status as FrameKind, t.firstId, t.count)) {
          this.clients[s.requests.client[t.a]].send({ type: 'stream.opened' });
        }
        return;
      case TaskKind.streamEnds:
        if (streamEndArrives(s, t.a, t.status as StreamEnd)) {
          this.clients[s.requests.client[t.a]].send({ type: 'stream.ended' });
        }
        return;
      case TaskKind.heartbeat:
        heartbeat(s, t.a);
        return;
      case TaskKind.runEnd:
        for (const client of this.clients) client.send({ type: 'run.ended' });
        return;
      case TaskKind.publish:
        s.nextPublish = -1;
        this.server.send({ type: 'message.published', message: s.nextMessageId++ });
        this.planPublish();
        return;
      case TaskKind.intervention: {
        const { set } = this.scenario.interventions[t.a];
        s.config = applySet(s.config, set);
        s.trace.push(now, EventKind.intervention, -1, -1, t.a);
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
    const s = this.s;
    if (s.nextPublish >= 0) s.sched.cancel(s.nextPublish);
    s.nextPublish = -1;
    s.workload = new Workload(spec, s.sched.now, s.rng.workload);
    this.planPublish();
  }

  private planPublish(): void {
    const s = this.s;
    const next = s.workload?.next();
    if (next === undefined || next >= this.scenario.durationMs) return;
    const atMs = Math.max(next, s.sched.now);
    // Before any arrival at the same instant: a burst is all in the log before a request that
    // arrives in that instant (a client's re-request over a network with no delay) is answered.
    s.nextPublish = s.sched.at(atMs, task(TaskKind.publish), Priority.publish);
  }

  // ---- The machines' environments: the rules of the world ----

  private serverEnv(): ServerEnv {
    const s = this.s;
    return {
      overRateLimit: (request) => overRateLimit(s, request),
      atHoldCapacity: () => holds.atHoldCapacity(s),
      reject: (request, why) => {
        if (why === 'hold-capacity') admit(s, request);
        const status =
          why === 'rate-limit' ? ResponseStatus.rateLimited : ResponseStatus.overCapacity;
        respond(s, request, 0, 0, status);
      },
      answersAtOnce: (request) => {
        const kind = s.requests.kind[request];
        return (
          kind === RequestKind.poll || (kind === RequestKind.longPoll && hasNewFor(s, request))
        );
      },
      opensStream: (request) => opensStream(s, request),
      openStream: (request) => {
        admit(s, request);
        openStream(s, request);
      },
      answer: (request) => {
        admit(s, request);
        const [first, count] = pending(s, request);
        respond(s, request, first, count, ResponseStatus.ok);
      },
      hold: (request) => {
        admit(s, request);
        return holds.hold(s, request);
      },
      publish: (message) => {
        const answered = holds.publish(s, message);
        publishToStreams(s, message);
        return answered;
      },
      expireHold: (request) => holds.expireHold(s, request),
      dropHeld: (request) => holds.dropHeld(s, request),
      dropAllHeld: () => {
        closeAllStreams(s);
        return holds.dropAllHeld(s);
      },
      refuse: (request) => respond(s, request, 0, 0, ResponseStatus.serverError),
      // A restart dropped every held request, so without a buffer the message is lost for all.
      logWhileDown: (message) => logMessage(s, message),
      recordDown: (downMs) => s.trace.push(s.sched.now, EventKind.serverDown, -1, -1, downMs),
      recordUp: () => s.trace.push(s.sched.now, EventKind.serverUp),
    };
  }

  private clientEnv(): ClientEnv {
    const s = this.s;
    return {
      config: () => s.config,
      now: () => s.sched.now,
      sendRequest: (client, kind) => sendRequest(s, client, kind),
      closeStream: (client) => closeAtClient(s, client),
      deliver: (client, request, firstId, count) => deliver(s, client, request, firstId, count),
      skippedTick: (client) =>
        s.trace.push(s.sched.now, EventKind.tickSkipped, client, s.outstanding[client]),
      clientTimeout: (client) => giveUp(s, client),
      backoff: (client, waitMs, attempt) =>
        s.trace.push(s.sched.now, EventKind.backoff, client, -1, waitMs, attempt),
      random: () => s.rng.clients.next(),
    };
  }
}
