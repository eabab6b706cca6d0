/**
 * The scenario: everything a run depends on. The valibot schema below is the single source of
 * every field's type, range and default; the README's table describes the same fields.
 */
import * as v from 'valibot';
import { count } from '../format';
import { getPath, mergePatch, patchAt, type Whole } from './paths';
import { defaultAt, fieldsAt } from './schemaWalk';

const DAY_MS = 24 * 60 * 60 * 1000;

const int = (min: number, max: number, unit: string) =>
  v.pipe(
    v.number(`expected a number (${unit})`),
    v.integer(`expected a whole number (${unit})`),
    v.minValue(min, `expected at least ${min} (${unit})`),
    v.maxValue(max, `expected at most ${count(max)} (${unit})`),
  );

const fraction = (maxExclusive: boolean) =>
  v.pipe(
    v.number('expected a number between 0 and 1'),
    v.minValue(0, 'expected at least 0'),
    maxExclusive ? v.ltValue(1, 'expected less than 1') : v.maxValue(1, 'expected at most 1'),
  );

/** An object with only the listed fields; a list (which is an object too in JavaScript) is refused. */
const obj = <S extends v.GenericSchema>(schema: S) =>
  v.pipe(
    v.custom<v.InferInput<S>>((x) => !Array.isArray(x), 'expected a JSON object, not a list'),
    schema,
  );

const Mode = v.picklist(
  ['polling', 'long-polling', 'sse', 'websocket'],
  'expected "polling", "long-polling", "sse" or "websocket"',
);
const PollTimer = v.picklist(['fixed', 'after-response'], 'expected "fixed" or "after-response"');

const BackoffObject = v.strictObject({
  /** First wait after an error (Socket.IO's reconnectionDelay is 1 s). */
  initialMs: v.optional(int(0, DAY_MS, 'milliseconds'), 1000),
  /** Longest wait (CometD caps at 60 s, Socket.IO at 5 s; 30 s is between). */
  maxMs: v.optional(int(0, DAY_MS, 'milliseconds'), 30_000),
  factor: v.optional(
    v.pipe(
      v.number('expected a number'),
      v.minValue(1, 'expected at least 1'),
      v.maxValue(10, 'expected at most 10'),
    ),
    2,
  ),
  /** ± this fraction of the wait, applied after the cap so that retries stay spread out. */
  jitter: v.optional(fraction(false), 0.5),
});
const Backoff = obj(BackoffObject);

/** Requests a client may send at once before a rate limit bites (nginx's example uses 5). */
export const DEFAULT_RATE_BURST = 5;

const RateLimitObject = v.strictObject({
  requestsPerMin: int(1, 600_000, 'requests per minute'),
  burst: v.optional(int(1, 10_000, 'requests'), DEFAULT_RATE_BURST),
});
const RateLimit = obj(RateLimitObject);

/** In an intervention, either part of a rate limit may change alone: the other is kept. */
const RateLimitChange = obj(
  v.strictObject({
    requestsPerMin: v.optional(RateLimitObject.entries.requestsPerMin),
    burst: v.optional(RateLimitObject.entries.burst.wrapped),
  }),
);

const ServerObject = v.strictObject({
  /** All messages after the cursor in one response (true), or one message per response, as Nchan does by default. */
  batch: v.optional(v.boolean('expected true or false'), true),
  /**
   * "log": a cursor into a message log, nothing is lost; "none": only requests held at that
   * instant get a message; "recent": no cursor, every response carries the messages the server
   * keeps (the last `bufferLimit`), so a client sees some again and drops them as duplicates.
   */
  buffer: v.optional(
    v.picklist(['log', 'none', 'recent'], 'expected "log", "none" or "recent"'),
    'log',
  ),
  /** How many messages the log keeps (Nchan keeps 10 by default); unlimited when absent. */
  bufferLimit: v.optional(int(1, 10_000_000, 'messages')),
  /**
   * Requests each client may make: `requestsPerMin` on average, `burst` at once. A request over
   * the limit is refused with 429 Too Many Requests (nginx's limit_req refuses with 503 unless
   * told `limit_req_status 429`). No limit when absent; `null` removes it in an intervention.
   */
  rateLimit: v.optional(v.nullable(RateLimit)),
  /**
   * The most long-poll requests the server holds at once; one more is refused with 503 Service
   * Unavailable, as nginx's limit_conn does. No cap when absent; `null` removes it.
   */
  maxHeldRequests: v.optional(v.nullable(int(1, 1_000_000, 'requests'))),
});
const Server = obj(ServerObject);

const NetworkObject = v.strictObject({
  /** One-way delay per direction. */
  latencyMs: v.optional(int(0, 60_000, 'milliseconds'), 50),
  /** Extra one-way delay, uniform in [0, jitterMs], drawn from the seed. */
  jitterMs: v.optional(int(0, 60_000, 'milliseconds'), 0),
  /** Chance that a request or a response is dropped. */
  lossRate: v.optional(fraction(true), 0),
});
const Network = obj(NetworkObject);

const SizesObject = v.strictObject({
  /** HTTP request headers are commonly 700–800 bytes. */
  requestHeaderBytes: v.optional(int(0, 1_000_000, 'bytes'), 700),
  responseHeaderBytes: v.optional(int(0, 1_000_000, 'bytes'), 300),
  messageBytes: v.optional(int(0, 10_000_000, 'bytes'), 100),
});
const Sizes = obj(SizesObject);

const SseObject = v.strictObject({
  /**
   * The browser's wait before it reconnects a broken stream: Chromium and WebKit wait 3 s,
   * Firefox 5 s (the HTML spec leaves it to the browser; a `retry:` line would set it).
   */
  retryMs: v.optional(int(0, DAY_MS, 'milliseconds'), 3000),
  /** A comment line every so often, so proxies do not cut an idle stream (0: none, as Nchan). */
  heartbeatMs: v.optional(int(0, DAY_MS, 'milliseconds'), 0),
  /**
   * An answer other than 200 closes an EventSource for good. Real code then opens a new one after
   * a wait of its own: this wait, or never (null, as a bare EventSource).
   */
  reopenAfterErrorMs: v.optional(v.nullable(int(0, DAY_MS, 'milliseconds')), null),
});
const Sse = obj(SseObject);

const WebSocketObject = v.strictObject({
  /** The server's pings (0: none, as the `ws` library; Engine.IO pings every 25 s). */
  pingIntervalMs: v.optional(int(0, DAY_MS, 'milliseconds'), 0),
  /**
   * Whether a reconnecting client sends its cursor and the server replays what it missed from
   * its log (Socket.IO's connection-state recovery); without it that is lost.
   */
  resume: v.optional(v.boolean('expected true or false'), false),
});
const WebSocket = obj(WebSocketObject);

const ProxyObject = v.strictObject({
  /** nginx's proxy_read_timeout and AWS ALB's idle timeout are 60 s. */
  idleTimeoutMs: v.optional(int(1, DAY_MS, 'milliseconds'), 60_000),
});
const Proxy = obj(ProxyObject);

const Fault = obj(
  v.strictObject({
    atMs: int(0, DAY_MS, 'milliseconds'),
    kind: v.picklist(['server-restart'], 'expected "server-restart"'),
    downMs: v.optional(int(1, DAY_MS, 'milliseconds'), 5000),
  }),
);

const Messages = v.pipe(
  obj(
    v.strictObject({
      script: v.optional(
        v.array(int(0, DAY_MS, 'milliseconds'), 'expected a list of times in milliseconds'),
      ),
      everyMs: v.optional(int(1, DAY_MS, 'milliseconds')),
      poisson: v.optional(
        v.strictObject({
          ratePerMin: v.pipe(
            v.number('expected a number (messages per minute)'),
            v.minValue(0, 'expected at least 0 (messages per minute)'),
            v.maxValue(600_000, 'expected at most 600,000 (messages per minute)'),
          ),
        }),
      ),
      bursts: v.optional(
        v.strictObject({
          everyMs: int(1, DAY_MS, 'milliseconds'),
          size: int(1, 10_000, 'messages'),
          spreadMs: v.optional(int(0, DAY_MS, 'milliseconds'), 0),
        }),
      ),
    }),
  ),
  v.check(
    (m) => Object.keys(m).filter((k) => m[k as keyof typeof m] !== undefined).length === 1,
    'expected exactly one of "script", "everyMs", "poisson" or "bursts"',
  ),
);

/** Fields a teacher can change during a run (an intervention); nested objects merge. */
const settable = {
  mode: Mode,
  pollIntervalMs: int(1, DAY_MS, 'milliseconds'),
  pollTimer: PollTimer,
  longPollTimeoutMs: int(1, DAY_MS, 'milliseconds'),
  repollDelayMs: int(0, DAY_MS, 'milliseconds'),
  clientTimeoutMarginMs: int(0, DAY_MS, 'milliseconds'),
  backoff: Backoff,
  server: Server,
  network: Network,
  sizes: Sizes,
  messages: Messages,
  sse: Sse,
  websocket: WebSocket,
};

const InterventionSet = obj(
  v.strictObject({
    mode: v.optional(settable.mode),
    pollIntervalMs: v.optional(settable.pollIntervalMs),
    pollTimer: v.optional(settable.pollTimer),
    longPollTimeoutMs: v.optional(settable.longPollTimeoutMs),
    repollDelayMs: v.optional(settable.repollDelayMs),
    clientTimeoutMarginMs: v.optional(settable.clientTimeoutMarginMs),
    backoff: v.optional(obj(v.partial(BackoffObject))),
    server: v.optional(
      obj(
        v.strictObject({
          ...v.partial(ServerObject).entries,
          rateLimit: v.optional(v.nullable(RateLimitChange)),
        }),
      ),
    ),
    network: v.optional(obj(v.partial(NetworkObject))),
    sizes: v.optional(obj(v.partial(SizesObject))),
    messages: v.optional(Messages),
    proxy: v.optional(v.nullable(obj(v.partial(ProxyObject)))),
    sse: v.optional(obj(v.partial(SseObject))),
    websocket: v.optional(obj(v.partial(WebSocketObject))),
  }),
);

const Intervention = obj(
  v.strictObject({
    atMs: int(0, DAY_MS, 'milliseconds'),
    set: InterventionSet,
  }),
);

export const ScenarioSchema = obj(
  v.strictObject({
    /** Optional human name, shown by the CLI and the playground. */
    name: v.optional(v.string('expected text')),
    /** Every random choice of the run follows from this seed. */
    seed: v.optional(int(0, 4_294_967_295, 'a whole number'), 1),
    mode: v.optional(settable.mode, 'polling'),
    /** No client starts a request at or after this time; requests in flight run to their end. */
    durationMs: v.optional(int(1, DAY_MS, 'milliseconds'), 60_000),
    clients: v.optional(int(1, 10_000, 'clients'), 1),
    /** Each client starts at a seeded offset in [0, clientStartSpreadMs]. */
    clientStartSpreadMs: v.optional(int(0, DAY_MS, 'milliseconds'), 0),
    pollIntervalMs: v.optional(settable.pollIntervalMs, 2000),
    pollTimer: v.optional(settable.pollTimer, 'fixed'),
    /** How long the server holds a long-poll request with no data (CometD and Dropbox: 30 s). */
    longPollTimeoutMs: v.optional(settable.longPollTimeoutMs, 30_000),
    /** Wait after a long-poll response before the next request (CometD's interval: 0). */
    repollDelayMs: v.optional(settable.repollDelayMs, 0),
    /** A request is abandoned after the hold plus this margin (polling: after the margin alone). */
    clientTimeoutMarginMs: v.optional(settable.clientTimeoutMarginMs, 10_000),
    backoff: v.optional(Backoff, {}),
    server: v.optional(Server, {}),
    network: v.optional(Network, {}),
    sizes: v.optional(Sizes, {}),
    sse: v.optional(Sse, {}),
    websocket: v.optional(WebSocket, {}),
    proxy: v.optional(Proxy),
    faults: v.optional(v.array(Fault, 'expected a list of faults'), []),
    /** A chat room: a message every ten seconds on average. */
    messages: v.optional(Messages, { poisson: { ratePerMin: 6 } }),
    interventions: v.optional(v.array(Intervention, 'expected a list of interventions'), []),
  }),
);

export type ScenarioInput = v.InferInput<typeof ScenarioSchema>;
export type Scenario = v.InferOutput<typeof ScenarioSchema>;
export type InterventionSet = v.InferOutput<typeof InterventionSet>;
export type Mode = Scenario['mode'];
export type MessagesSpec = Scenario['messages'];

export type ParseResult =
  { ok: true; scenario: Scenario } | { ok: false; field: string; message: string };

/** Validates anything (parsed JSON, a share link's payload) and fills in the defaults. */
export function parseScenario(input: unknown): ParseResult {
  const result = v.safeParse(ScenarioSchema, input);
  if (result.success) {
    const scenario = result.output;
    const order = checkOrder(scenario);
    if (order) return order;
    return { ok: true, scenario };
  }
  const issue = result.issues[0];
  const path = (v.getDotPath(issue) ?? '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const keys = (issue.path ?? []).map((item) => item.key as string | number);
    const name = String(keys.at(-1));
    const known = fieldsAt(ScenarioSchema, keys.slice(0, -1));
    const close = known.find(
      (k) => k.toLowerCase() === name.toLowerCase() || editDistance(k, name) <= 2,
    );
    const hint = close
      ? `: did you mean "${close}"?`
      : known.length
        ? ` (expected one of: ${known.join(', ')})`
        : '';
    return { ok: false, field: path, message: `unknown field "${path}"${hint}` };
  }
  if (issue.input === undefined && issue.kind === 'schema') {
    return { ok: false, field: path, message: `${path}: required field is missing` };
  }
  const field = path || 'scenario';
  const received = ` (got ${describe(issue.input)})`;
  const message =
    path === '' && issue.type === 'strict_object' ? 'expected a JSON object' : issue.message;
  return { ok: false, field, message: `${field}: ${message}${received}` };
}

function checkOrder(s: Scenario): ParseResult | undefined {
  if (s.backoff.maxMs < s.backoff.initialMs) {
    return {
      ok: false,
      field: 'backoff.maxMs',
      message: 'backoff.maxMs: expected at least backoff.initialMs',
    };
  }
  let config = s;
  for (const iv of [...s.interventions].sort((a, b) => a.atMs - b.atMs)) {
    const change = iv.set.server?.rateLimit;
    if (change && change.requestsPerMin === undefined && !config.server.rateLimit) {
      const field = `interventions[${s.interventions.indexOf(iv)}].set.server.rateLimit.requestsPerMin`;
      return {
        ok: false,
        field,
        message: `${field}: required, because no rate limit is in force at ${iv.atMs} ms`,
      };
    }
    config = applySet(config, iv.set);
    if (config.backoff.maxMs < config.backoff.initialMs) {
      const field = `interventions[${s.interventions.indexOf(iv)}].set.backoff`;
      return {
        ok: false,
        field,
        message:
          `${field}: expected maxMs at least initialMs in force from ${iv.atMs} ms ` +
          `(got ${config.backoff.maxMs} and ${config.backoff.initialMs})`,
      };
    }
  }
  return undefined;
}

/** Levenshtein distance, for "did you mean" (field names are short). */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? x.slice(0, 40) + '…' : x);
  if (Array.isArray(x)) return 'a list';
  if (x === null) return 'null';
  if (typeof x === 'object') return 'an object';
  return String(x);
}

/** Parses or throws; for scenarios written in code, where a mistake is a bug. */
export function scenario(input: ScenarioInput = {}): Scenario {
  const r = parseScenario(input);
  if (!r.ok) throw new Error(`invalid scenario: ${r.message}`);
  return r.scenario;
}

export const defaultScenario: Scenario = scenario({ name: 'Chat room' });

/**
 * The scenario's merge rules, for an intervention and a lesson's patch alike: nested objects merge
 * at every depth (a change of `server.rateLimit.requestsPerMin` keeps the burst in force), lists
 * and the workload are replaced whole (its kinds exclude one another), `null` replaces what was
 * there (it removes a rate limit or a cap), and an undefined field changes nothing.
 */
export const replacedWhole: Whole = (path) => path === 'messages';

/** A scenario, or any part of one from the top, with a patch merged in by the scenario's rules. */
export function mergeScenario<T extends object>(base: T, patch: Record<string, unknown>): T {
  return mergePatch(base, patch, replacedWhole);
}

/**
 * The smallest change that sets one dotted field: `{ network: { latencyMs: 120 } }`; a field of
 * the workload carries the whole workload with it.
 */
export function changeAt(s: Scenario, path: string, value: unknown): Record<string, unknown> {
  return patchAt(s, path, value, replacedWhole);
}

/**
 * The value in force at a dotted field, or what the schema fills in where it is absent (the
 * proxy's idle timeout while there is no proxy); null reads as absent.
 */
export function valueInForce(s: Scenario, path: string): unknown {
  return getPath(s, path) ?? defaultAt(ScenarioSchema, path);
}

/**
 * Fields that may be left empty, meaning "none", and the setting an empty one removes: no cap on
 * held requests, no buffer limit, and a rate limit with no requests per minute is no rate limit
 * at all, whatever its burst says.
 */
export const EMPTY_REMOVES: Readonly<Record<string, string>> = {
  'server.rateLimit.requestsPerMin': 'server.rateLimit',
  'server.maxHeldRequests': 'server.maxHeldRequests',
  'server.bufferLimit': 'server.bufferLimit',
};

/** Applies an intervention's changes to the effective configuration, by the scenario's rules. */
export function applySet(s: Scenario, set: InterventionSet): Scenario {
  const next = mergeScenario(s, set);
  // `null` removes the proxy; a new one, or a new rate limit, has the schema fill in what neither
  // the change nor the setting in force gives.
  if (set.proxy === null) next.proxy = undefined;
  else if (set.proxy) next.proxy = v.parse(Proxy, next.proxy);
  if (set.server?.rateLimit) {
    next.server.rateLimit = v.parse(RateLimit, next.server.rateLimit);
  }
  return next;
}

/** The configuration in force at a virtual time: the scenario with the interventions made by then. */
export function configAt(s: Scenario, atMs: number): Scenario {
  let config = s;
  for (const iv of [...s.interventions].sort((a, b) => a.atMs - b.atMs)) {
    if (iv.atMs > atMs) break;
    config = applySet(config, iv.set);
  }
  return config;
}
