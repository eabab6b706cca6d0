/**
 * Selectors name events of a run the way a lesson speaks of them: "the first hold timeout",
 * "the second empty response", "message 3 delivered to client 2". They are resolved against the
 * trace, so a lesson never hard-codes a time that could drift from what the diagram shows.
 */
import * as v from 'valibot';
import { EVENT_NAMES, EventKind, isOkStatus, STATUS_NAMES, type Run } from '../sim';

export const SelectorSchema = v.strictObject({
  event: v.picklist(EVENT_NAMES, `expected one of ${EVENT_NAMES.join(', ')}`),
  /** 1 for the first matching event (the default), 2 for the second... */
  nth: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1, 'expected at least 1')), 1),
  /** Clients are numbered from 1, as the playground shows them. */
  client: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1, 'expected at least 1'))),
  message: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1, 'expected at least 1'))),
  /** For responses: true for an empty one (no message), false for one with messages. */
  empty: v.optional(v.boolean()),
  status: v.optional(v.picklist(STATUS_NAMES, `expected one of ${STATUS_NAMES.join(', ')}`)),
  /** Only events at or after this time. */
  afterMs: v.optional(v.pipe(v.number(), v.minValue(0))),
});
export type Selector = v.InferOutput<typeof SelectorSchema>;

const RESPONSE_KINDS = new Set<number>([
  EventKind.responseSent,
  EventKind.responseLost,
  EventKind.responseArrived,
  EventKind.lateResponse,
]);
const MESSAGE_KINDS = new Set<number>([
  EventKind.messagePublished,
  EventKind.messageDelivered,
  EventKind.messageLost,
]);

/** The index of the event a selector names, or -1 when the run has no such event. */
export function resolveSelector(run: Run, s: Selector): number {
  const { trace } = run;
  const kind = EVENT_NAMES.indexOf(s.event);
  const status = s.status === undefined ? -1 : STATUS_NAMES.indexOf(s.status);
  const client = s.client === undefined ? -1 : s.client - 1;
  let seen = 0;
  let i = s.afterMs === undefined ? 0 : trace.indexAfter(s.afterMs - 1);
  for (; i < trace.length; i++) {
    if (trace.kind[i] !== kind) continue;
    if (client >= 0 && trace.client[i] !== client) continue;
    if (s.message !== undefined && !(MESSAGE_KINDS.has(kind) && trace.a[i] === s.message)) continue;
    if (s.empty !== undefined) {
      if (!RESPONSE_KINDS.has(kind)) continue;
      if (s.empty !== (isOkStatus(trace.status[i]) && trace.b[i] === 0)) continue;
    }
    if (status >= 0 && trace.status[i] !== status) continue;
    if (++seen === s.nth) return i;
  }
  return -1;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** What a student calls each kind of event. */
const NOUNS: Record<Selector['event'], string> = {
  'request.sent': 'request',
  'request.lost': 'lost request',
  'request.arrived': 'request reaching the server',
  'request.held': 'held request',
  'hold.timeout': 'hold timeout',
  'response.sent': 'response',
  'response.lost': 'lost response',
  'response.arrived': 'response',
  'response.late': 'late response',
  'message.published': 'message published',
  'message.delivered': 'message delivered',
  'message.lost': 'message lost',
  'client.timeout': 'client timeout',
  'client.backoff': 'backoff',
  'tick.skipped': 'skipped tick',
  'proxy.cut': 'proxy cut',
  intervention: 'change',
  'server.down': 'server restart',
  'server.up': 'server coming back',
  'request.aborted': 'request closed by its client',
  'frame.sent': 'frame sent on a stream',
  'frame.arrived': 'frame received on a stream',
  'stream.closed': 'stream closed at the server',
  'stream.ended': 'stream ended at the client',
};

/** Words for a selector, for feedback: "the second hold timeout of client 1". */
export function describeSelector(s: Selector): string {
  const nth = ORDINALS[s.nth - 1] ?? `${s.nth}th`;
  const noun =
    s.empty === true
      ? 'empty response (a wasted round trip)'
      : s.empty === false
        ? 'response with messages'
        : NOUNS[s.event];
  const parts = [`the ${nth} ${noun}`];
  if (s.message !== undefined) parts.push(`for message ${s.message}`);
  if (s.client !== undefined) parts.push(`of client ${s.client}`);
  if (s.afterMs !== undefined) parts.push(`after ${s.afterMs} ms`);
  return parts.join(' ');
}

/**
 * Whether a clicked event is the one a selector names. A round trip is one thing to a student:
 * clicking the request, the response or its arrival of the right request counts, and so does any
 * event of the right message for the same client.
 */
export function sameThing(run: Run, clicked: number, target: number): boolean {
  if (clicked === target) return true;
  if (clicked < 0 || target < 0) return false;
  const { trace } = run;
  const request = trace.request[target];
  if (request >= 0 && !MESSAGE_KINDS.has(trace.kind[target]))
    return trace.request[clicked] === request;
  if (MESSAGE_KINDS.has(trace.kind[target])) {
    return (
      trace.kind[clicked] === trace.kind[target] &&
      trace.a[clicked] === trace.a[target] &&
      trace.client[clicked] === trace.client[target]
    );
  }
  return false;
}
