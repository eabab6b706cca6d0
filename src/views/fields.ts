/**
 * The scenario's fields as a person reads them: a label, the unit a box shows and how that unit
 * converts to the scenario's own, and the allowed range, read from the schema. The playground's
 * controls and a lesson's "tune" exercises both read this table, so a field has one name, one
 * unit and one range message everywhere ("Long-poll timeout (s)", never `longPollTimeoutMs`).
 */
import { rangeAt, ScenarioSchema, type Range } from '../sim';
import { decimal } from '../format';

/** One choice of a field that is not a number (the mode, a switch). */
export interface FieldOption {
  /** The value stored in the scenario. */
  value: string | boolean;
  label: string;
}

export interface FieldInfo {
  /** The field's name in labels and messages: "Poll interval". */
  label: string;
  /** The unit a box shows ("s", "ms", "%", "bytes"); empty for a plain number or a choice. */
  unit: string;
  /** Stored value = shown value × scale: 1000 for a field stored in ms and shown in s. */
  scale: number;
  /** The choices, for a field that is not a number. */
  options?: readonly FieldOption[];
  /** What an empty box means, for a field that may be left out ("no limit"). */
  empty?: string;
  /** A few words on what the field does, shown under its box before the range. */
  hint?: string;
}

const seconds = { unit: 's', scale: 1000 } as const;
const ms = { unit: 'ms', scale: 1 } as const;
const plain = (unit: string) => ({ unit, scale: 1 });
const choice = (label: string, options: readonly FieldOption[]): FieldInfo => ({
  label,
  unit: '',
  scale: 1,
  options,
});

/** Every field a control or an exercise can set, by its dotted path in the scenario. */
export const FIELDS = {
  mode: choice('Mode', [
    { value: 'polling', label: 'Polling' },
    { value: 'long-polling', label: 'Long polling' },
    { value: 'sse', label: 'Server-Sent Events' },
    { value: 'websocket', label: 'WebSocket' },
  ]),
  clients: { label: 'Clients', ...plain('') },
  durationMs: { label: 'Duration', ...seconds },
  seed: { label: 'Seed', ...plain('') },
  clientStartSpreadMs: { label: 'Client start spread', ...seconds },
  pollIntervalMs: { label: 'Poll interval', ...seconds },
  pollTimer: choice('Poll timer', [
    { value: 'fixed', label: 'Fixed (every interval)' },
    { value: 'after-response', label: 'After each response' },
  ]),
  longPollTimeoutMs: { label: 'Long-poll timeout', ...seconds },
  repollDelayMs: { label: 'Re-poll delay', ...ms },
  clientTimeoutMarginMs: { label: 'Client timeout margin', ...seconds },
  'backoff.initialMs': { label: 'First retry wait', ...seconds },
  'backoff.maxMs': { label: 'Longest retry wait', ...seconds },
  'backoff.factor': { label: 'Backoff factor', ...plain('') },
  'backoff.jitter': { label: 'Backoff jitter', unit: '%', scale: 0.01 },
  'server.batch': choice('Server batching', [
    { value: true, label: 'On: all new messages in one response' },
    { value: false, label: 'Off: one message per response' },
  ]),
  'server.buffer': choice('Server buffer', [
    { value: 'log', label: 'Message log (cursor)' },
    { value: 'none', label: 'None' },
    { value: 'recent', label: 'Recent messages, no cursor' },
  ]),
  'server.bufferLimit': { label: 'Buffer limit', ...plain('messages'), empty: 'unlimited' },
  'server.rateLimit.requestsPerMin': {
    label: 'Rate limit per client',
    ...plain('per min'),
    empty: 'no limit',
  },
  'server.rateLimit.burst': { label: 'Rate-limit burst', ...plain('requests') },
  'server.maxHeldRequests': { label: 'Held-request cap', ...plain('requests'), empty: 'no cap' },
  'network.latencyMs': { label: 'Network latency', ...ms },
  'network.jitterMs': { label: 'Jitter', ...ms },
  'network.lossRate': { label: 'Loss', unit: '%', scale: 0.01 },
  'sizes.requestHeaderBytes': { label: 'Request headers', ...plain('bytes') },
  'sizes.responseHeaderBytes': { label: 'Response headers', ...plain('bytes') },
  'sizes.messageBytes': { label: 'Message size', ...plain('bytes') },
  'proxy.idleTimeoutMs': { label: 'Proxy idle timeout', ...seconds },
  'sse.retryMs': {
    label: 'Reconnect wait',
    ...seconds,
    hint: "the EventSource's retry time: Chromium 3 s, Firefox 5 s",
  },
  'sse.heartbeatMs': {
    label: 'Heartbeat every',
    ...seconds,
    hint: 'a comment line that keeps proxies from cutting the stream; 0 for none',
  },
  'sse.reopenAfterErrorMs': { label: 'Reopen after an error', ...seconds },
  'websocket.pingIntervalMs': {
    label: 'Ping every',
    ...seconds,
    hint: "the server's pings (Engine.IO: 25 s); 0 for none",
  },
  'websocket.resume': choice('Resume after a reconnect', [
    { value: true, label: 'On: the server replays what was missed' },
    { value: false, label: 'Off: what was published meanwhile is lost' },
  ]),
  'messages.poisson.ratePerMin': { label: 'Message rate', ...plain('per min') },
  'messages.everyMs': { label: 'Publish every', ...seconds },
  'messages.bursts.everyMs': { label: 'Burst every', ...seconds },
  'messages.bursts.size': { label: 'Burst size', ...plain('messages') },
  'messages.bursts.spreadMs': { label: 'Burst spread', ...ms },
} satisfies Record<string, FieldInfo>;

export type FieldPath = keyof typeof FIELDS;

/** A field's label and unit; a path the table lacks shows as itself rather than not at all. */
export function fieldInfo(path: string): FieldInfo {
  return (FIELDS as Record<string, FieldInfo>)[path] ?? { label: path, unit: '', scale: 1 };
}

/** What a box is labelled with: "Long-poll timeout (s)", "Mode". */
export function fieldLabel(path: string): string {
  const { label, unit } = fieldInfo(path);
  return unit ? `${label} (${unit})` : label;
}

export type { Range } from '../sim';

/** A field's range as the schema states it, in the scenario's unit: `network.latencyMs` → 0–60,000. */
export const schemaRange = (path: string): Range => rangeAt(ScenarioSchema, path);

const show = (x: number) => decimal(x, 6);

/** The allowed values in the unit the box shows: "0.001–86,400 s", "0 to under 100 %". */
export function rangeText(path: string): string {
  const { unit: u, scale } = fieldInfo(path);
  const r = schemaRange(path);
  const unit = u ? ` ${u}` : '';
  const min = show(r.min / scale);
  const max = show(r.max / scale);
  return r.maxExclusive ? `${min} to under ${max}${unit}` : `${min}–${max}${unit}`;
}

/**
 * The range under a box, and what leaving it empty means when it may be:
 * "1–600,000 per min, or empty for no limit".
 */
export function rangeHint(path: string): string {
  const empty = fieldInfo(path).empty;
  return `${rangeText(path)}${empty ? `, or empty for ${empty}` : ''}`;
}

/** What goes under a box: the field's hint, if it has one, then its range. */
export function boxHint(path: string): string {
  const hint = fieldInfo(path).hint;
  return hint ? `${hint}; ${rangeHint(path)}` : rangeHint(path);
}

/** A stored value as its box shows it: 30000 ms → "30" for a field shown in seconds. */
export function shownValue(path: string, stored: number | undefined): string {
  return stored === undefined
    ? ''
    : String(Number((stored / fieldInfo(path).scale).toPrecision(12)));
}

export type ReadResult = { ok: true; stored: number | undefined } | { ok: false; message: string };

/**
 * Reads a box against the schema's range, in the unit the box shows, and gives the value to
 * store. A field that may be left empty (see `FieldInfo.empty`) reads empty as undefined.
 */
export function readField(path: string, text: string): ReadResult {
  const { label, unit: u, scale, empty } = fieldInfo(path);
  const r = schemaRange(path);
  const unit = u ? ` ${u}` : '';
  // "at least 1 message", not "1 messages".
  const unitOf = (x: number) => (x === 1 && /^[a-z]{3,}s$/.test(u) ? unit.slice(0, -1) : unit);
  const allowed = `allowed: ${rangeHint(path)}`;
  const fail = (why: string): ReadResult => ({
    ok: false,
    message: `${label} ${why} (${allowed})`,
  });
  const t = text.trim();
  if (t === '' && empty) return { ok: true, stored: undefined };
  const x = t === '' ? NaN : Number(t);
  if (!Number.isFinite(x)) return fail('must be a number');
  const min = r.min / scale;
  const max = r.max / scale;
  if (x < min) return fail(`must be at least ${show(min)}${unitOf(min)}`);
  if (r.maxExclusive && x >= max) return fail(`must be less than ${show(max)}${unit}`);
  if (x > max) return fail(`must be at most ${show(max)}${unitOf(max)}`);
  const stored = x * scale;
  if (!r.integer) return { ok: true, stored };
  const whole = Math.round(stored);
  if (Math.abs(stored - whole) > 1e-6) {
    return fail(
      scale === 1 ? 'must be a whole number' : `must be in steps of ${show(1 / scale)}${unit}`,
    );
  }
  return { ok: true, stored: whole };
}
