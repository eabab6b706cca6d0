/**
 * One run: a pure function of the scenario (its seed and interventions included). It wires the
 * client and server machines to one scheduler, a seeded network, the message workload, the
 * optional proxy, faults and interventions, and returns the trace.
 */
import { createActor, type Actor } from 'xstate';
import { clientMachine, type ClientEnv, type ClientMachine } from './clientMachine';
import { Rng, RNG_STREAM } from './rng';
import { applySet, type MessagesSpec, type Scenario } from './scenario';
import { Priority, Scheduler } from './scheduler';
import { serverMachine, type ServerEnv } from './serverMachine';
import { EventKind, RequestKind, ResponseStatus, Trace } from './trace';
import { checkWork } from './work';

export interface Run {
  scenario: Scenario;
  trace: Trace;
  /** Publication time of each message, by id (index 0 is unused: ids start at 1). */
  publishedAtMs: number[];
  /** Client of each request, by request id. */
  requestClient: Int32Array;
  /** Time of the last event. */
  endMs: number;
}

export interface SimulateOptions {
  /** Refuse scenarios estimated to make more trace events than this. */
  maxEvents?: number;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): Run {
  checkWork(scenario, options.maxEvents);
  const sched = new Scheduler();
  // xstate's Clock: every `after` delay of the machines runs on the simulation's time.
  const clock = {
    setTimeout: (fn: () => void, ms: number) => sched.after(ms, fn),
    clearTimeout: (handle: number) => sched.cancel(handle),
  };
  const trace = new Trace();
  const netRng = new Rng(scenario.seed, RNG_STREAM.network);
  const workRng = new Rng(scenario.seed, RNG_STREAM.workload);
  const clientRng = new Rng(scenario.seed, RNG_STREAM.clients);
  let config = scenario;
  const n = scenario.clients;

  // Requests, by id.
  let requestClient = new Int32Array(1024);
  let requestCursor = new Int32Array(1024);
  let requestLongPoll = new Uint8Array(1024);
  let requestCount = 0;

  // Per client: the request it waits for (-1: none), held requests at the server, and the
  // highest message id already reported lost for it (so a loss is reported once).
  const outstanding = new Int32Array(n).fill(-1);
  const heldByClient = new Int32Array(n);
  const lostUpTo = new Int32Array(n);

  // The server's log and held requests.
  const publishedAtMs: number[] = [0];
  let lastMessageId = 0;
  const held = new Set<number>();
  const proxyCuts = new Map<number, number>();

  const oneWayMs = () => {
    const { latencyMs, jitterMs } = config.network;
    return latencyMs + (jitterMs > 0 ? netRng.int(jitterMs + 1) : 0);
  };
  const dropped = () => config.network.lossRate > 0 && netRng.next() < config.network.lossRate;

  const clients: Actor<ClientMachine>[] = [];

  function respond(request: number, firstId: number, count: number, status: ResponseStatus) {
    const client = requestClient[request];
    const now = sched.now;
    trace.push(now, EventKind.responseSent, client, request, firstId, count, status);
    const delayMs = oneWayMs();
    if (dropped()) {
      sched.at(
        now + delayMs,
        () =>
          trace.push(sched.now, EventKind.responseLost, client, request, firstId, count, status),
        Priority.arrival,
      );
      return;
    }
    sched.at(
      now + delayMs,
      () => {
        if (outstanding[client] !== request) {
          trace.push(sched.now, EventKind.lateResponse, client, request, firstId, count, status);
          return;
        }
        outstanding[client] = -1;
        trace.push(sched.now, EventKind.responseArrived, client, request, firstId, count, status);
        clients[client].send({
          type: 'response.arrived',
          request,
          firstId,
          count,
          ok: status === ResponseStatus.ok || status === ResponseStatus.holdTimeout,
        });
      },
      Priority.arrival,
    );
  }

  /** The oldest message the log still has. */
  const oldestKept = () => {
    const limit = config.server.bufferLimit;
    return limit === undefined ? 1 : Math.max(1, lastMessageId - limit + 1);
  };

  /** Messages a request with this cursor gets now: [firstId, count]. */
  function pending(client: number, cursor: number): [number, number] {
    if (config.server.buffer === 'none' || cursor >= lastMessageId) return [0, 0];
    let first = cursor + 1;
    const oldest = oldestKept();
    if (first < oldest) {
      for (let id = Math.max(first, lostUpTo[client] + 1); id < oldest; id++) {
        trace.push(sched.now, EventKind.messageLost, client, -1, id);
      }
      lostUpTo[client] = Math.max(lostUpTo[client], oldest - 1);
      first = oldest;
    }
    const count = config.server.batch ? lastMessageId - first + 1 : 1;
    return [first, count];
  }

  function release(request: number) {
    held.delete(request);
    heldByClient[requestClient[request]]--;
    const cut = proxyCuts.get(request);
    if (cut !== undefined) {
      sched.cancel(cut);
      proxyCuts.delete(request);
    }
  }

  /**
   * Records a publication. Without a buffer, a client with no request held at this instant
   * loses the message.
   */
  function logMessage(message: number) {
    publishedAtMs[message] = sched.now;
    lastMessageId = message;
    trace.push(sched.now, EventKind.messagePublished, -1, -1, message);
    if (config.server.buffer !== 'none') return;
    for (let c = 0; c < n; c++) {
      if (heldByClient[c] === 0 && lostUpTo[c] < message) {
        trace.push(sched.now, EventKind.messageLost, c, -1, message);
        lostUpTo[c] = message;
      }
    }
  }

  const serverEnv: ServerEnv = {
    answersAtOnce(request) {
      if (!requestLongPoll[request]) return true;
      return config.server.buffer !== 'none' && requestCursor[request] < lastMessageId;
    },
    answer(request) {
      const [first, count] = pending(requestClient[request], requestCursor[request]);
      respond(request, first, count, ResponseStatus.ok);
    },
    hold(request) {
      const holdMs = config.longPollTimeoutMs;
      held.add(request);
      heldByClient[requestClient[request]]++;
      trace.push(
        sched.now,
        EventKind.requestHeld,
        requestClient[request],
        request,
        sched.now + holdMs,
      );
      // Scheduled before the hold timer, so that a proxy limit equal to the hold wins the tie,
      // as a gateway that closes at exactly its limit does.
      if (config.proxy) {
        const client = requestClient[request];
        proxyCuts.set(
          request,
          sched.after(config.proxy.idleTimeoutMs, () => {
            proxyCuts.delete(request);
            trace.push(sched.now, EventKind.proxyCut, client, request);
            server.send({ type: 'request.aborted', request });
            respond(request, 0, 0, ResponseStatus.proxyTimeout);
          }),
        );
      }
      return holdMs;
    },
    publish(message) {
      logMessage(message);
      const answered: number[] = [];
      for (const request of held) {
        const [first, count] =
          config.server.buffer === 'none'
            ? [message, 1]
            : pending(requestClient[request], requestCursor[request]);
        if (count === 0) continue;
        answered.push(request);
        respond(request, first, count, ResponseStatus.ok);
      }
      for (const request of answered) release(request);
      return answered;
    },
    expireHold(request) {
      if (!held.has(request)) return;
      release(request);
      trace.push(sched.now, EventKind.holdTimeout, requestClient[request], request);
      respond(request, 0, 0, ResponseStatus.holdTimeout);
    },
    dropHeld(request) {
      if (held.has(request)) release(request);
    },
    dropAllHeld() {
      const dropped = [...held];
      for (const request of dropped) {
        release(request);
        respond(request, 0, 0, ResponseStatus.serverError);
      }
      return dropped;
    },
    refuse(request) {
      respond(request, 0, 0, ResponseStatus.serverError);
    },
    // A restart dropped every held request, so without a buffer the message is lost for all.
    logWhileDown: logMessage,
    recordDown(downMs) {
      trace.push(sched.now, EventKind.serverDown, -1, -1, downMs);
    },
    recordUp() {
      trace.push(sched.now, EventKind.serverUp);
    },
  };
  const server = createActor(serverMachine, { clock, input: { env: serverEnv } });

  const clientEnv: ClientEnv = {
    config: () => config,
    now: () => sched.now,
    sendRequest(client, cursor, longPoll) {
      const request = requestCount++;
      if (request === requestClient.length) {
        const grow = <T extends Int32Array | Uint8Array>(a: T, b: T) => (b.set(a), b);
        requestClient = grow(requestClient, new Int32Array(request * 2));
        requestCursor = grow(requestCursor, new Int32Array(request * 2));
        requestLongPoll = grow(requestLongPoll, new Uint8Array(request * 2));
      }
      requestClient[request] = client;
      requestCursor[request] = cursor;
      requestLongPoll[request] = longPoll ? 1 : 0;
      outstanding[client] = request;
      const now = sched.now;
      trace.push(
        now,
        EventKind.requestSent,
        client,
        request,
        cursor,
        longPoll ? RequestKind.longPoll : RequestKind.poll,
      );
      const delayMs = oneWayMs();
      if (dropped()) {
        sched.at(
          now + delayMs,
          () => trace.push(sched.now, EventKind.requestLost, client, request),
          Priority.arrival,
        );
      } else {
        sched.at(
          now + delayMs,
          () => {
            trace.push(sched.now, EventKind.requestArrived, client, request, cursor);
            server.send({ type: 'request.arrived', request });
          },
          Priority.arrival,
        );
      }
      return request;
    },
    deliver(client, request, firstId, count, cursor) {
      const now = sched.now;
      for (let id = firstId; id < firstId + count; id++) {
        const duplicate = id <= cursor;
        trace.push(
          now,
          EventKind.messageDelivered,
          client,
          request,
          id,
          now - publishedAtMs[id],
          duplicate ? 1 : 0,
        );
      }
      return Math.max(cursor, firstId + count - 1);
    },
    skippedTick(client, request) {
      trace.push(sched.now, EventKind.tickSkipped, client, request);
    },
    clientTimeout(client, request) {
      outstanding[client] = -1;
      trace.push(sched.now, EventKind.clientTimeout, client, request);
    },
    backoff(client, waitMs, attempt) {
      trace.push(sched.now, EventKind.backoff, client, -1, waitMs, attempt);
    },
    random: () => clientRng.next(),
  };

  // Interventions and faults are scheduled first, so that at the same millisecond they take
  // effect before anything else happens.
  const interventions = scenario.interventions
    .map((iv, index) => ({ ...iv, index }))
    .sort((x, y) => x.atMs - y.atMs);
  for (const iv of interventions) {
    sched.at(
      iv.atMs,
      () => {
        config = applySet(config, iv.set);
        trace.push(sched.now, EventKind.intervention, -1, -1, iv.index);
        if (iv.set.messages) startWorkload(iv.set.messages);
        for (const client of clients) client.send({ type: 'config.changed' });
      },
      Priority.control,
    );
  }
  for (const fault of scenario.faults) {
    sched.at(
      fault.atMs,
      () => server.send({ type: 'server.crash', downMs: fault.downMs }),
      Priority.control,
    );
  }

  // The workload: messages published at the server, planned one at a time so that an
  // intervention can change it from its instant on.
  let nextPublish = -1;
  let nextMessageId = 1;
  function startWorkload(spec: MessagesSpec) {
    if (nextPublish >= 0) sched.cancel(nextPublish);
    nextPublish = -1;
    const times = publishTimes(spec, sched.now, workRng);
    const step = () => {
      const next = times.next();
      if (next.done || next.value >= scenario.durationMs) return;
      nextPublish = sched.at(
        Math.max(next.value, sched.now),
        () => {
          server.send({ type: 'message.published', message: nextMessageId++ });
          step();
        },
        Priority.arrival,
      );
    };
    step();
  }
  startWorkload(scenario.messages);

  server.start();
  for (let c = 0; c < n; c++) {
    const startOffsetMs =
      scenario.clientStartSpreadMs > 0 ? clientRng.int(scenario.clientStartSpreadMs + 1) : 0;
    const actor = createActor(clientMachine, {
      clock,
      input: { id: c, startOffsetMs, env: clientEnv },
    });
    clients.push(actor);
  }
  for (const actor of clients) actor.start();

  sched.run();

  for (const actor of clients) actor.stop();
  server.stop();
  return {
    scenario,
    trace,
    publishedAtMs,
    requestClient: requestClient.subarray(0, requestCount),
    endMs: trace.length > 0 ? trace.time[trace.length - 1] : 0,
  };
}

/** The publication times of a workload from `startMs` on, in order, drawn lazily. */
export function* publishTimes(spec: MessagesSpec, startMs: number, rng: Rng): Generator<number> {
  if (spec.script) {
    yield* spec.script.filter((t) => t >= startMs).sort((x, y) => x - y);
  } else if (spec.everyMs !== undefined) {
    for (let t = startMs + spec.everyMs; ; t += spec.everyMs) yield t;
  } else if (spec.poisson) {
    if (spec.poisson.ratePerMin <= 0) return;
    const meanMs = 60_000 / spec.poisson.ratePerMin;
    for (let t = startMs; ;) {
      t += Math.round(rng.exponential(meanMs));
      yield t;
    }
  } else if (spec.bursts) {
    const { everyMs, size, spreadMs } = spec.bursts;
    let last = startMs;
    for (let t0 = startMs + everyMs; ; t0 += everyMs) {
      const offsets = Array.from({ length: size }, () =>
        spreadMs > 0 ? rng.int(spreadMs + 1) : 0,
      );
      offsets.sort((x, y) => x - y);
      for (const offset of offsets) {
        // Bursts that spread wider than their period must not go back in time.
        last = Math.max(last, t0 + offset);
        yield last;
      }
    }
  }
}
