import { describe, expect, it } from 'vitest';
import {
  EventKind,
  ResponseStatus,
  scenario,
  Trace,
  type Run,
  type ScenarioInput,
} from '../../src/sim';
import { FrameKind, RequestKind, StreamEnd } from '../../src/sim/trace';
import { describeMark, describeSet } from '../../src/views/diagram/describe';
import {
  computeLanes,
  defaultSpanMs,
  drawnClients,
  followView,
  xOf,
} from '../../src/views/diagram/lanes';
import { hitTest, MIN_ARROW_SPREAD_PX, newShape, shapeOf } from '../../src/views/diagram/shapes';
import {
  clientActivity,
  countByKind,
  drawnFraction,
  frameLabel,
  layoutSequence,
  LOST_FRACTION,
  MarkFlag,
  MarkKind,
  markTimeMs,
  messageRange,
  progressAt,
  queryWindow,
  responseLabel,
  responseLook,
  streamTimes,
  type SequenceLayout,
} from '../../src/views/sequenceLayout';
import {
  cappedLongPolls,
  clientGivesUp,
  idle,
  idleLongPoll,
  rateLimitedPolls,
  run,
} from '../sim/helpers';

/** Polls every 2 s for 9 s; one message, published at 5 s, is picked up by the fourth poll. */
const oneMessagePolls: ScenarioInput = {
  mode: 'polling',
  durationMs: 9000,
  messages: { script: [5000] },
};

/** The indices of all marks of a kind. */
function marksOf(layout: SequenceLayout, kind: number): number[] {
  const out: number[] = [];
  for (let m = 0; m < layout.count; m++) if (layout.kind[m] === kind) out.push(m);
  return out;
}

/** The first response that carries messages. */
const messageResponse = (layout: SequenceLayout) =>
  marksOf(layout, MarkKind.response).find((m) => responseLook(layout, m) === 'messages')!;

/** What drawing needs to place a mark: one client's lane 1,000 px wide, following `nowMs`. */
function oneLaneAt(layout: SequenceLayout, nowMs: number, spanMs: number) {
  const lanes = computeLanes({ width: 1000, drawn: [0], clients: 1, summary: false, proxy: false });
  const view = followView(nowMs, spanMs, lanes.plotLeft, lanes.plotRight);
  return { layout, lanes, view, nowMs };
}

/** A run built by hand from trace rows, for cases the simulation makes rarely. */
function handRun(
  rows: [
    t: number,
    kind: EventKind,
    client?: number,
    request?: number,
    a?: number,
    b?: number,
    status?: ResponseStatus,
  ][],
  input: ScenarioInput = {},
): Run {
  const trace = new Trace();
  let requests = 0;
  for (const [t, kind, client = -1, request = -1, a = 0, b = 0, status = 0] of rows) {
    trace.push(t, kind, client, request, a, b, status);
    requests = Math.max(requests, request + 1);
  }
  const endMs = trace.length ? trace.time[trace.length - 1] : 0;
  return {
    scenario: scenario(input),
    trace,
    publishedAtMs: [0],
    requestClient: new Int32Array(requests),
    endMs,
    complete: true,
    horizonMs: endMs,
  };
}

describe('sequence layout: marks from runs', () => {
  it('polling: one message: N requests, N-1 empty responses and one labelled "#1" (interval=2s, seed=1)', () => {
    const r = run(oneMessagePolls);
    const layout = layoutSequence(r);
    const requests = marksOf(layout, MarkKind.request);
    const responses = marksOf(layout, MarkKind.response);

    expect(requests).toHaveLength(5);
    expect(responses).toHaveLength(5);
    expect(responses.map((m) => responseLabel(layout, m))).toEqual([
      'empty',
      'empty',
      'empty',
      '#1',
      'empty',
    ]);
    expect(responses.filter((m) => responseLook(layout, m) === 'empty')).toHaveLength(4);
    expect(marksOf(layout, MarkKind.hold)).toHaveLength(0);
    expect(marksOf(layout, MarkKind.published).map((m) => layout.t0[m])).toEqual([5000]);
    // The delivery is one dot on the client lane, when the message response arrives.
    const [dot] = marksOf(layout, MarkKind.delivered);
    expect([layout.client[dot], layout.t0[dot], layout.a[dot], layout.b[dot]]).toEqual([
      0, 6100, 1, 1,
    ]);
  });

  it('long polling: idle channel: a 30 s hold bar ending in a timeout and an empty response (hold=30s, seed=1)', () => {
    const r = run({ ...idleLongPoll, durationMs: 20_000 });
    const layout = layoutSequence(r);
    const [hold] = marksOf(layout, MarkKind.hold);

    expect(layout.t0[hold]).toBe(50);
    expect(layout.t1[hold] - layout.t0[hold]).toBe(30_000);
    expect(layout.a[hold]).toBe(30_050);
    const timeouts = marksOf(layout, MarkKind.holdTimeout);
    expect(timeouts.map((m) => layout.t0[m])).toEqual([30_050]);
    const [response] = marksOf(layout, MarkKind.response);
    expect(layout.status[response]).toBe(ResponseStatus.holdTimeout);
    expect(responseLabel(layout, response)).toBe('empty');
    expect([layout.t0[response], layout.t1[response]]).toEqual([30_050, 30_100]);
  });

  it('long polling: a burst answered in one batch is labelled with its range', () => {
    const r = run({
      mode: 'long-polling',
      durationMs: 3000,
      repollDelayMs: 1000,
      messages: { script: [1000, 1200, 1300, 1500] },
    });
    const layout = layoutSequence(r);
    const labels = marksOf(layout, MarkKind.response).map((m) => responseLabel(layout, m));

    // #1 ends the first hold; #2–4 wait in the log during the re-poll delay.
    expect(labels.slice(0, 2)).toEqual(['#1', '#2–4']);
    const dots = marksOf(layout, MarkKind.delivered).map((m) =>
      messageRange(layout.a[m], layout.b[m]),
    );
    expect(dots.slice(0, 2)).toEqual(['#1', '#2–4']);
  });

  it('server restart: a hatched band from down to up, and error responses (down=3s)', () => {
    const r = run({
      ...idleLongPoll,
      durationMs: 10_000,
      faults: [{ atMs: 2000, kind: 'server-restart', downMs: 3000 }],
    });
    const layout = layoutSequence(r);
    const [down] = marksOf(layout, MarkKind.serverDown);

    expect([layout.t0[down], layout.t1[down]]).toEqual([2000, 5000]);
    const errors = marksOf(layout, MarkKind.response).filter(
      (m) => responseLook(layout, m) === 'error',
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(marksOf(layout, MarkKind.backoff).length).toBeGreaterThan(0);
  });

  it('proxy: a cut ends the hold, and the 504 comes from the proxy (idle=5s)', () => {
    const r = run({ ...idleLongPoll, durationMs: 6000, proxy: { idleTimeoutMs: 5000 } });
    const layout = layoutSequence(r);
    const [hold] = marksOf(layout, MarkKind.hold);
    const [cut] = marksOf(layout, MarkKind.proxyCut);
    const [response] = marksOf(layout, MarkKind.response);

    expect(layout.hasProxy).toBe(true);
    expect(layout.t1[hold]).toBe(layout.t0[cut]);
    expect(layout.t1[hold] - layout.t0[hold]).toBe(5000);
    expect(responseLabel(layout, response)).toBe('504');
    expect(layout.flags[response] & MarkFlag.fromProxy).toBeTruthy();
  });

  it('client gives up: its close ends the hold a second later, with no response, and the hold says why', () => {
    // A request sent under a 30 s hold is held for 60 s (the teacher changed it on the way).
    const r = run(clientGivesUp);
    const layout = layoutSequence(r);
    const [hold] = marksOf(layout, MarkKind.hold);
    expect([layout.t0[hold], layout.t1[hold]]).toEqual([1000, 41_000]);
    expect(marksOf(layout, MarkKind.response).filter((m) => layout.request[m] === 0)).toEqual([]);
    expect(describeMark(r, layout, hold, 42_000).label).toBe(
      'Request 1 from client 1 held at the server from 1.00 s to 41.00 s (40 s), closed by the client, which had given up',
    );
  });

  it('rate limit: every other poll is refused, an error labelled 429, not a wasted round trip (60/min, burst 1, poll 0.5 s)', () => {
    const r = run(rateLimitedPolls);
    const layout = layoutSequence(r);
    const responses = marksOf(layout, MarkKind.response);

    expect(responses.map((m) => responseLabel(layout, m))).toEqual([
      'empty',
      '429',
      'empty',
      '429',
      'empty',
      '429',
    ]);
    expect(responses.map((m) => responseLook(layout, m))).toEqual([
      'empty',
      'error',
      'empty',
      'error',
      'empty',
      'error',
    ]);
    expect(layout.flags[responses[1]] & MarkFlag.fromProxy).toBe(0);
    const counts = countByKind(layout, queryWindow(layout, 0, 3000));
    expect([counts.response, counts.empty, counts.error]).toEqual([6, 3, 3]);
  });

  it('held-request cap: long polls the server has no room for are labelled 503 (cap 1, 3 clients)', () => {
    const r = run(cappedLongPolls(3));
    const layout = layoutSequence(r);
    const refused = marksOf(layout, MarkKind.response).filter((m) => layout.t0[m] < 3000);

    expect(marksOf(layout, MarkKind.hold)).toHaveLength(1);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.map((m) => responseLabel(layout, m))).toEqual(refused.map(() => '503'));
    expect(refused.map((m) => layout.client[m]).sort()).toContain(1);
    expect(refused.map((m) => layout.client[m])).not.toContain(0);
  });

  it.each([
    { name: 'request lost', kind: EventKind.requestLost, mark: MarkKind.request },
    { name: 'response lost', kind: EventKind.responseLost, mark: MarkKind.response },
  ])('loss: $name: the arrow stops at half way, where its ✕ is', ({ kind, mark }) => {
    const rows: Parameters<typeof handRun>[0] =
      mark === MarkKind.request
        ? [
            [0, EventKind.requestSent, 0, 0],
            [100, kind, 0, 0],
          ]
        : [
            [0, EventKind.requestSent, 0, 0],
            [50, EventKind.requestArrived, 0, 0],
            [50, EventKind.responseSent, 0, 0],
            [150, kind, 0, 0],
          ];
    const layout = layoutSequence(handRun(rows));
    const [m] = marksOf(layout, mark);

    expect(layout.flags[m] & MarkFlag.lost).toBeTruthy();
    expect(drawnFraction(layout, m, layout.t1[m] + 1000)).toBe(LOST_FRACTION);
    expect(markTimeMs(layout, m)).toBe((layout.t0[m] + layout.t1[m]) / 2);
  });

  it('client timeout and late response: the late one is flagged', () => {
    const layout = layoutSequence(
      handRun([
        [0, EventKind.requestSent, 0, 0],
        [50, EventKind.requestArrived, 0, 0],
        [50, EventKind.requestHeld, 0, 0, 30_050],
        [20_000, EventKind.clientTimeout, 0, 0],
        [20_000, EventKind.backoff, 0, -1, 1000, 1],
        [30_050, EventKind.holdTimeout, 0, 0],
        [30_050, EventKind.responseSent, 0, 0, 0, 0, ResponseStatus.holdTimeout],
        [30_100, EventKind.lateResponse, 0, 0, 0, 0, ResponseStatus.holdTimeout],
      ]),
    );
    const [response] = marksOf(layout, MarkKind.response);
    const [backoff] = marksOf(layout, MarkKind.backoff);

    expect(layout.flags[response] & MarkFlag.late).toBeTruthy();
    expect([layout.t0[backoff], layout.t1[backoff]]).toEqual([20_000, 21_000]);
    expect(marksOf(layout, MarkKind.clientTimeout)).toHaveLength(1);
  });

  it('marks are sorted by start time, and every trace event maps to the mark that shows it', () => {
    const r = run({
      mode: 'long-polling',
      clients: 4,
      clientStartSpreadMs: 1000,
      durationMs: 60_000,
      network: { latencyMs: 40, jitterMs: 30, lossRate: 0.05 },
      faults: [{ atMs: 20_000, kind: 'server-restart', downMs: 2000 }],
      messages: { poisson: { ratePerMin: 20 } },
    });
    const layout = layoutSequence(r);

    for (let m = 1; m < layout.count; m++)
      expect(layout.t0[m]).toBeGreaterThanOrEqual(layout.t0[m - 1]);
    for (let m = 0; m < layout.count; m++)
      expect(layout.t1[m]).toBeGreaterThanOrEqual(layout.t0[m]);
    let unmapped = 0;
    for (let i = 0; i < r.trace.length; i++) {
      const m = layout.markOfEvent[i];
      // Arrival, hold start, publish and the like all have a mark; every mark starts by its event.
      if (m < 0) unmapped++;
      else expect(layout.t0[m]).toBeLessThanOrEqual(r.trace.time[i]);
    }
    expect(unmapped).toBe(0);
  });

  it("a layout of some clients keeps theirs and the server's marks only", () => {
    const r = run({ mode: 'polling', clients: 20, durationMs: 10_000 });
    const layout = layoutSequence(r, { clients: [3] });

    for (let m = 0; m < layout.count; m++) expect([-1, 3]).toContain(layout.client[m]);
    expect(marksOf(layout, MarkKind.request)).toHaveLength(5);
  });

  it('layout does not modify the run', () => {
    const r = run({ mode: 'long-polling', durationMs: 20_000 });
    const before = structuredClone({
      time: r.trace.time,
      a: r.trace.a,
      requestClient: r.requestClient,
    });
    layoutSequence(r);
    expect({ time: r.trace.time, a: r.trace.a, requestClient: r.requestClient }).toEqual(before);
  });
});

describe('sequence layout: arrows grow with the playhead', () => {
  it.each([
    { nowMs: 0, expected: 0 },
    { nowMs: 1000, expected: 0 },
    { nowMs: 1025, expected: 0.5 },
    { nowMs: 1040, expected: 0.8 },
    { nowMs: 1050, expected: 1 },
    { nowMs: 9000, expected: 1 },
  ])('progress of a 1000→1050 ms transit at $nowMs ms is $expected', ({ nowMs, expected }) => {
    expect(progressAt(1000, 1050, nowMs)).toBeCloseTo(expected);
  });

  it.each([
    { t0: 500, t1: 500, nowMs: 499, expected: 0 },
    { t0: 500, t1: 500, nowMs: 500, expected: 1 },
  ])(
    'a point at $t0 ms is drawn from its instant on ($nowMs ms → $expected)',
    ({ t0, t1, nowMs, expected }) => {
      expect(progressAt(t0, t1, nowMs)).toBe(expected);
    },
  );

  it('an arrow in flight at the playhead half way is drawn half its length', () => {
    const r = run({ ...idle, mode: 'polling', durationMs: 1000, network: { latencyMs: 1000 } });
    const layout = layoutSequence(r);
    const [request] = marksOf(layout, MarkKind.request);
    const ctx = oneLaneAt(layout, 500, 20_000);
    const shape = newShape();

    expect(shapeOf(ctx, request, shape)).toBe(true);
    const full = Math.hypot(shape.x1 - shape.x0, shape.y1 - shape.y0);
    const drawn = Math.hypot(shape.xt - shape.x0, shape.yt - shape.y0);
    expect(shape.fraction).toBeCloseTo(0.5);
    expect(drawn / full).toBeCloseTo(0.5);
    // Before it is sent, nothing is drawn: the future is hidden.
    expect(shapeOf({ ...ctx, nowMs: -1 }, request, shape)).toBe(false);
  });

  it('a short transit spreads to a visible width at its server end only', () => {
    const r = run({ ...idle, mode: 'polling', durationMs: 1000 });
    const layout = layoutSequence(r);
    const [request] = marksOf(layout, MarkKind.request);
    const [response] = marksOf(layout, MarkKind.response);
    const ctx = oneLaneAt(layout, 1000, 20_000);
    const { view } = ctx;
    const shape = newShape();

    shapeOf(ctx, request, shape);
    expect(shape.x0).toBeCloseTo(xOf(view, 0));
    expect(shape.x1 - shape.x0).toBeCloseTo(MIN_ARROW_SPREAD_PX);
    shapeOf(ctx, response, shape);
    expect(shape.x1).toBeCloseTo(xOf(view, 100));
    expect(shape.x1 - shape.x0).toBeCloseTo(MIN_ARROW_SPREAD_PX);
  });
});

describe('sequence layout: window queries', () => {
  const r = run({
    mode: 'long-polling',
    clients: 6,
    clientStartSpreadMs: 3000,
    durationMs: 120_000,
    longPollTimeoutMs: 20_000,
    network: { latencyMs: 50, jitterMs: 2500 },
    faults: [{ atMs: 40_000, kind: 'server-restart', downMs: 6000 }],
    messages: { poisson: { ratePerMin: 3 } },
  });
  const layout = layoutSequence(r);

  const brute = (from: number, to: number) => {
    const out: number[] = [];
    for (let m = 0; m < layout.count; m++) {
      if (layout.t0[m] <= to && layout.t1[m] >= from) out.push(m);
    }
    return out;
  };

  it.each([
    { from: 0, to: 0 },
    { from: 10_000, to: 12_000 },
    { from: 30_500, to: 50_000 },
    { from: 41_000, to: 41_500 },
    { from: 60_000, to: 80_000 },
    { from: -5000, to: 200_000 },
    { from: 119_000, to: 130_000 },
  ])('returns exactly the marks overlapping [$from, $to] ms', ({ from, to }) => {
    expect(Array.from(queryWindow(layout, from, to))).toEqual(brute(from, to));
  });

  it('agrees with a scan on 200 random windows (seed printed on failure)', () => {
    let seed = 12345;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 130_000 - 5000;
    for (let k = 0; k < 200; k++) {
      const a = next();
      const b = a + Math.abs(next()) / 10;
      expect(Array.from(queryWindow(layout, a, b)), `window [${a}, ${b}]`).toEqual(brute(a, b));
    }
  });

  it('an empty window (to < from) finds nothing', () => {
    expect(queryWindow(layout, 5000, 4000)).toHaveLength(0);
  });

  it('a long hold that started long before the window is still found', () => {
    const held = layoutSequence(run({ ...idleLongPoll, durationMs: 40_000 }));
    const found = Array.from(queryWindow(held, 25_000, 25_100));
    expect(found.map((m) => held.kind[m])).toEqual([MarkKind.hold]);
  });
});

describe('sequence layout: words', () => {
  const r = run(oneMessagePolls);
  const layout = layoutSequence(r);
  const [first] = marksOf(layout, MarkKind.request);

  it.each([
    { nowMs: 20, expected: 'Request 1 from client 1, sent 0.00 s, in flight' },
    { nowMs: 60, expected: 'Request 1 from client 1, sent 0.00 s, arrived 0.05 s' },
  ])('request at $nowMs ms: "$expected"', ({ nowMs, expected }) => {
    expect(describeMark(r, layout, first, nowMs).label).toBe(expected);
  });

  it('a message response tells its ids, times and bytes', () => {
    const d = describeMark(r, layout, messageResponse(layout), 9000);
    expect(d.label).toBe(
      'Response with messages #1 to request 4 of client 1, sent 6.05 s, arrived 6.10 s',
    );
    expect(d.details).toContain('400 B (300 B headers + 1 × 100 B)');
  });

  it('a response of megabytes says MB, as the metrics panel does (message 2.5 MB)', () => {
    const big = run({ ...oneMessagePolls, sizes: { messageBytes: 2_500_000 } });
    const bigLayout = layoutSequence(big);
    expect(describeMark(big, bigLayout, messageResponse(bigLayout), 9000).details).toContain(
      '2.5 MB (300 B headers + 1 × 2.5 MB)',
    );
  });

  it('a 429 says who is over which rate limit, the one in force when it was sent', () => {
    const limited = run({
      ...rateLimitedPolls,
      interventions: [
        { atMs: 1200, set: { server: { rateLimit: { requestsPerMin: 40, burst: 1 } } } },
      ],
    });
    const l = layoutSequence(limited);
    const refused = marksOf(l, MarkKind.response).filter((m) => responseLabel(l, m) === '429');
    const labels = refused.map((m) => describeMark(limited, l, m, 9000).label);

    expect(labels[0]).toBe(
      'Error response 429 Too Many Requests to request 2 of client 1, sent 0.55 s, arrived 0.60 s: ' +
        'client 1 is over the rate limit (60 requests a minute, burst 1)',
    );
    expect(labels.at(-1)).toMatch(/over the rate limit \(40 requests a minute, burst 1\)$/);
    expect(describeMark(limited, l, refused[0], 9000).details).toContain(
      'refused at once, before the server looked for messages',
    );
    // In flight, the arrow already says what it is.
    expect(describeMark(limited, l, refused[0], 570).label).toMatch(
      /^Error response 429 Too Many Requests .*, in flight: client 1 is over/,
    );
  });

  it('a 503 says the server holds its maximum, the cap in force (cap 1, 3 clients)', () => {
    const capped = run(cappedLongPolls(3));
    const l = layoutSequence(capped);
    const [first] = marksOf(l, MarkKind.response).filter((m) => responseLabel(l, m) === '503');

    expect(describeMark(capped, l, first, 9000).label).toBe(
      'Error response 503 Service Unavailable to request 2 of client 2, sent 0.05 s, arrived 0.10 s: ' +
        'the server already holds its maximum of 1 request',
    );
    expect(describeMark(capped, l, first, 9000).details).toContain(
      'refused at once instead of being held',
    );
  });

  it('a held request counts down while the playhead is inside it', () => {
    const held = run({ ...idleLongPoll, durationMs: 20_000 });
    const l = layoutSequence(held);
    const [hold] = marksOf(l, MarkKind.hold);
    expect(describeMark(held, l, hold, 17_750).label).toBe(
      'Request 1 from client 1 held at the server since 0.05 s, 12.3 s left before the hold times out',
    );
    expect(describeMark(held, l, hold, 40_000).label).toContain('timed out');
  });

  it.each([
    { set: { mode: 'long-polling' as const }, expected: '→ long polling' },
    {
      set: { mode: 'polling' as const, pollIntervalMs: 5000 },
      expected: '→ polling, poll every 5 s',
    },
    { set: { longPollTimeoutMs: 10_000 }, expected: 'hold 10 s' },
    { set: { proxy: null }, expected: 'proxy removed' },
    { set: { network: { lossRate: 0.1 } }, expected: 'loss 10 %' },
    {
      set: { server: { rateLimit: { requestsPerMin: 1200, burst: 5 } } },
      expected: 'rate limit 1,200/min, burst 5',
    },
    { set: { server: { rateLimit: null } }, expected: 'no rate limit' },
    { set: { server: { maxHeldRequests: 500 } }, expected: 'hold at most 500' },
    { set: { server: { maxHeldRequests: null } }, expected: 'no hold cap' },
    { set: {}, expected: 'no change' },
  ])('intervention $expected', ({ set, expected }) => {
    expect(describeSet(set)).toBe(expected);
  });

  it('counts marks in view by kind, responses by look', () => {
    const counts = countByKind(layout, queryWindow(layout, 0, 9000));
    expect([counts.request, counts.response, counts.empty, counts.messages]).toEqual([5, 5, 4, 1]);
  });
});

describe('sequence layout: many clients in one band', () => {
  it('activity: open, held and empty-response rate over time (3 long-poll clients, idle)', () => {
    const r = run({ ...idleLongPoll, clients: 3, durationMs: 40_000, longPollTimeoutMs: 10_000 });
    const a = clientActivity(r);
    const at = (series: ArrayLike<number>, ms: number) => series[Math.floor(ms / a.binMs)];

    expect(a.binMs).toBe(100);
    expect(at(a.open, 5000)).toBe(3);
    expect(at(a.held, 5000)).toBe(3);
    expect(at(a.wastedPerS, 5000)).toBe(0);
    // Three holds time out at 10.05 s and their empty responses arrive at 10.1 s.
    expect(at(a.wastedPerS, 10_500)).toBe(3);
    expect(a.max.held).toBe(3);
  });

  it('activity: a refused poll is no wasted round trip (60/min, burst 1, poll 0.5 s)', () => {
    const a = clientActivity(run(rateLimitedPolls));
    const at = (series: ArrayLike<number>, ms: number) => series[Math.floor(ms / a.binMs)];

    // Empty answers arrive at 0.1, 1.1 and 2.1 s; the 429s at 0.6, 1.6 and 2.6 s are not counted.
    expect(at(a.wastedPerS, 1050)).toBe(1);
    expect(at(a.wastedPerS, 1650)).toBe(1);
    expect(a.max.wastedPerS).toBe(1);
  });

  it.each([
    { clients: 1, shown: 0, expected: [0] },
    { clients: 12, shown: 5, expected: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
    { clients: 13, shown: 5, expected: [5] },
    { clients: 100, shown: 500, expected: [99] },
  ])('$clients clients, showing $shown: lanes for $expected', ({ clients, shown, expected }) => {
    expect(drawnClients(clients, shown)).toEqual(expected);
  });

  it.each([
    { widthPx: 300, expected: 8000 },
    { widthPx: 1100, expected: 20_000 },
    { widthPx: 1800, expected: 20_000 },
  ])('a $widthPx px plot follows $expected ms', ({ widthPx, expected }) => {
    expect(defaultSpanMs(widthPx)).toBe(expected);
  });

  it('the playhead sits at two thirds of the followed view, and the view starts near 0 at first', () => {
    const v = followView(30_000, 20_000, 100, 1100);
    expect(xOf(v, 30_000)).toBeCloseTo(100 + (1000 * 2) / 3);
    expect(followView(1000, 20_000, 100, 1100).startMs).toBeLessThanOrEqual(0);
  });

  it('hit-testing finds the arrow under the pointer, and nothing far from any mark', () => {
    const r = run({ ...idle, mode: 'polling', durationMs: 5000, network: { latencyMs: 500 } });
    const layout = layoutSequence(r);
    const ctx = oneLaneAt(layout, 5000, 10_000);
    const { lanes, view } = ctx;
    const visible = queryWindow(layout, view.startMs, 5000);
    const [request] = marksOf(layout, MarkKind.request);
    const shape = newShape();
    shapeOf(ctx, request, shape);

    expect(hitTest(ctx, visible, (shape.x0 + shape.x1) / 2, (shape.y0 + shape.y1) / 2, 8)).toBe(
      request,
    );
    expect(hitTest(ctx, visible, lanes.plotRight - 2, lanes.top + 2, 8)).toBe(-1);
  });
});

describe('sequence layout: streams and sockets', () => {
  /** An SSE stream by hand: opened at 0, two messages, a heartbeat, cut by the proxy at 9 s. */
  const cutStream = () =>
    handRun(
      [
        [0, EventKind.requestSent, 0, 0, 0, RequestKind.sse],
        [50, EventKind.requestArrived, 0, 0],
        [50, EventKind.frameSent, 0, 0, 0, 0, FrameKind.open],
        [100, EventKind.frameArrived, 0, 0, 0, 0, FrameKind.open],
        [1000, EventKind.messagePublished, -1, -1, 1],
        [1000, EventKind.frameSent, 0, 0, 1, 1, FrameKind.message],
        [1050, EventKind.frameArrived, 0, 0, 1, 1, FrameKind.message],
        [1050, EventKind.messageDelivered, 0, 0, 1, 50],
        [4000, EventKind.frameSent, 0, 0, 0, 0, FrameKind.heartbeat],
        [4050, EventKind.frameArrived, 0, 0, 0, 0, FrameKind.heartbeat],
        [8990, EventKind.messagePublished, -1, -1, 2],
        [8990, EventKind.frameSent, 0, 0, 2, 1, FrameKind.message],
        [9000, EventKind.streamClosed, 0, 0, 0, 0, StreamEnd.proxyTimeout],
        // Message #2 was on its way when the stream broke: it never arrives.
        [9050, EventKind.streamEnded, 0, 0, 0, 0, StreamEnd.proxyTimeout],
        [12_050, EventKind.requestSent, 0, 1, 1, RequestKind.sse],
      ],
      { mode: 'sse', proxy: { idleTimeoutMs: 5000 } },
    );

  it('sse by hand: one band from the open frame to the end, its two sides one trip apart', () => {
    const layout = layoutSequence(cutStream());
    const [band] = marksOf(layout, MarkKind.stream);

    expect(marksOf(layout, MarkKind.stream)).toHaveLength(1);
    expect(streamTimes(layout, band)).toEqual({
      serverFromMs: 50,
      serverToMs: 9000,
      clientFromMs: 100,
      clientToMs: 9050,
    });
  });

  it('sse by hand: the opening says GET stream and 200, messages "#1", a heartbeat has no label', () => {
    const layout = layoutSequence(cutStream());
    const frames = marksOf(layout, MarkKind.frame);
    const [opening] = marksOf(layout, MarkKind.request);

    expect(frameLabel(layout, opening)).toBe('GET stream');
    expect(frames.map((m) => [layout.t0[m], layout.t1[m], frameLabel(layout, m)])).toEqual([
      [50, 100, '200'],
      [1000, 1050, '#1'],
      [4000, 4050, ''],
      [8990, 9050, '#2'],
    ]);
  });

  it('sse by hand: a frame still on its way when the stream breaks is drawn as not delivered', () => {
    const r = cutStream();
    const layout = layoutSequence(r);
    const last = marksOf(layout, MarkKind.frame).at(-1)!;

    expect(layout.flags[last] & MarkFlag.lost).toBeTruthy();
    expect(drawnFraction(layout, last, 9050)).toBe(LOST_FRACTION);
    expect(describeMark(r, layout, last, 9050).label).toBe(
      "Message #2 on client 1's SSE stream, sent 8.99 s, not delivered: the stream had ended",
    );
  });

  it("sse by hand: the proxy's cut, the break on the client's lane and the 3 s retry wait until the new GET", () => {
    const r = cutStream();
    const layout = layoutSequence(r);
    const [cut] = marksOf(layout, MarkKind.proxyCut);
    const [broken] = marksOf(layout, MarkKind.streamBroken);
    const [wait] = marksOf(layout, MarkKind.backoff);

    expect([layout.t0[cut], layout.t0[broken], layout.t0[wait], layout.t1[wait]]).toEqual([
      9000, 9050, 9050, 12_050,
    ]);
    expect(describeMark(r, layout, cut, 9000).label).toBe(
      'The proxy cut the idle SSE stream of client 1 (request 1) at 9.00 s after 5 s without a byte',
    );
    expect(describeMark(r, layout, wait, 10_050).label).toBe(
      "Client 1 waits 3 s (the EventSource's retry time) before reconnecting, from 9.05 s, 2 s left",
    );
    expect(describeMark(r, layout, broken, 9050).label).toBe(
      "Client 1's SSE stream (request 1) broke at 9.05 s: the proxy cut it; it reconnects after 3 s",
    );
  });

  it('sse by hand: the band is a shape between the lanes, found by a click inside it, and its arrows win over it', () => {
    const layout = layoutSequence(cutStream());
    const ctx = oneLaneAt(layout, 9100, 20_000);
    const [band] = marksOf(layout, MarkKind.stream);
    const s = newShape();
    expect(shapeOf(ctx, band, s)).toBe(true);
    expect(s.type).toBe('band');
    const yMid = (s.y0 + s.y1) / 2;
    const xMid = xOf(ctx.view, 6000);
    const visible = queryWindow(layout, 0, 9100);

    expect(hitTest(ctx, visible, xMid, yMid, 10)).toBe(band);
    // On the message arrow sent at 1 s, the arrow is meant.
    const message = marksOf(layout, MarkKind.frame)[1];
    shapeOf(ctx, message, s);
    expect(hitTest(ctx, visible, (s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2, 10)).toBe(message);
  });

  it('sse: a real run: one request and one band while nothing breaks, a message takes one trip (latency=50ms, seed=1)', () => {
    const r = run({ mode: 'sse', durationMs: 20_000, messages: { script: [2000, 5000] } });
    const layout = layoutSequence(r);
    const frames = marksOf(layout, MarkKind.frame).filter((m) => frameLabel(layout, m) !== '200');

    expect(marksOf(layout, MarkKind.request)).toHaveLength(1);
    expect(marksOf(layout, MarkKind.response)).toHaveLength(0);
    expect(marksOf(layout, MarkKind.stream).map((m) => streamTimes(layout, m))).toEqual([
      { serverFromMs: 50, serverToMs: 20_050, clientFromMs: 100, clientToMs: 20_000 },
    ]);
    expect(frames.map((m) => [layout.t0[m], layout.t1[m], frameLabel(layout, m)])).toEqual([
      [2000, 2050, '#1'],
      [5000, 5050, '#2'],
    ]);
    expect(countByKind(layout, queryWindow(layout, 0, 20_050)).stream).toBe(1);
  });

  it('websocket: a real run: the upgrade and 101, pings every 3 s, a restart breaks the socket, the backoff, a new upgrade (seed=1)', () => {
    const r = run({
      mode: 'websocket',
      durationMs: 9000,
      messages: { script: [1000] },
      websocket: { pingIntervalMs: 3000 },
      faults: [{ kind: 'server-restart', atMs: 5000, downMs: 1000 }],
    });
    const layout = layoutSequence(r);
    const labels = (kind: number) =>
      marksOf(layout, kind).map((m) => `${layout.t0[m]} ${frameLabel(layout, m)}`);

    expect(labels(MarkKind.request)).toEqual(['0 Upgrade', '6070 Upgrade']);
    expect(labels(MarkKind.frame)).toEqual(['50 101', '1000 #1', '3050 ', '6120 101']);
    expect(marksOf(layout, MarkKind.stream).map((m) => layout.status[m])).toEqual([
      StreamEnd.serverError,
      StreamEnd.clientClosed,
    ]);
    const [broken] = marksOf(layout, MarkKind.streamBroken);
    const [backoff] = marksOf(layout, MarkKind.backoff);
    expect([layout.t0[broken], layout.t0[backoff], layout.t1[backoff]]).toEqual([5050, 5050, 6070]);
    expect(describeMark(r, layout, marksOf(layout, MarkKind.stream)[0], 5100).label).toBe(
      'WebSocket of client 1 (request 1), open from 0.10 s to 5.05 s (4.95 s), reset by the server going down',
    );
  });

  it.each([
    { set: { mode: 'sse' as const }, expected: '→ SSE' },
    { set: { mode: 'websocket' as const }, expected: '→ WebSocket' },
    { set: { websocket: { pingIntervalMs: 25_000 } }, expected: 'ping every 25 s' },
    { set: { sse: { heartbeatMs: 15_000 } }, expected: 'heartbeat every 15 s' },
  ])('intervention label: $expected', ({ set, expected }) => {
    expect(describeSet(set)).toBe(expected);
  });
});
