/**
 * The simulation against a real server. Nchan runs here (nginx and its pub/sub module, from the
 * OS's packages); a real client long-polls or polls it while messages are published on a
 * schedule, and the simulation runs the same schedule as a scenario. Each side's responses must
 * say the same things in the same order, at the same times give or take the machine's scheduling
 * (TOLERANCE_MS). Nchan without batching is the simulation's `server.batch: false`; its
 * `nchan_message_buffer_length` is `server.bufferLimit`; its `nchan_subscriber_timeout` is the
 * hold, which it ends with 408 Request Timeout; an interval poll with nothing new gets 304.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventKind, scenario, simulate, STATUS_NAMES, type ScenarioInput } from '../../src/sim';
import { publishOnSchedule, startNchan, type Nchan, type Outcome } from './nchan';

const BUFFER = 3;
const HOLD_MS = 1000;
/** How far a real response may be from the simulated one: timers, processes, a busy machine. */
const TOLERANCE_MS = 400;

let nchan: Nchan;
beforeAll(async () => {
  nchan = await startNchan({ bufferLength: BUFFER, timeoutS: HOLD_MS / 1000 });
}, 30_000);
afterAll(() => nchan?.stop());

/** What a response said, in words both sides share. */
type Said = { t: number; said: string };

function fromServer(outcomes: Outcome[]): Said[] {
  return outcomes.map(({ t, status, body }) => ({
    t,
    said: status === 200 ? body : status === 408 ? 'hold timed out' : `status ${status}`,
  }));
}

/** The simulated client's responses, as the real client would have read them. */
function fromSimulation(input: ScenarioInput): Said[] {
  const s = scenario({
    ...input,
    network: { latencyMs: 0, jitterMs: 0, lossRate: 0 },
    server: { batch: false, buffer: 'log', bufferLimit: BUFFER },
    longPollTimeoutMs: HOLD_MS,
  });
  const { trace } = simulate(s);
  const said: Said[] = [];
  for (let i = 0; i < trace.length; i++) {
    if (trace.kind[i] !== EventKind.responseArrived) continue;
    const status = STATUS_NAMES[trace.status[i]];
    const count = trace.b[i];
    said.push({
      t: trace.time[i],
      said:
        status === 'hold-timeout'
          ? 'hold timed out'
          : count > 0
            ? Array.from({ length: count }, (_, k) => `m${trace.a[i] + k}`).join(' ')
            : status === 'ok'
              ? 'status 304'
              : status,
    });
  }
  return said;
}

function expectSame(real: Said[], simulated: Said[]): void {
  expect(real.map((r) => r.said)).toEqual(simulated.map((s) => s.said));
  real.forEach((r, k) => {
    const drift = Math.abs(r.t - simulated[k].t);
    expect(
      drift,
      `response ${k + 1} ("${r.said}") at ${Math.round(r.t)} ms, simulated at ${simulated[k].t} ms`,
    ).toBeLessThan(TOLERANCE_MS);
  });
}

let channels = 0;
const channel = () => `test${++channels}`;

describe('agreement with a real Nchan, message for message', () => {
  it('a new long-poller gets the oldest message kept, one per response; what the buffer dropped never comes', async () => {
    const room = channel();
    // Five messages before the client's first request, with room for three.
    for (let k = 1; k <= 5; k++) await nchan.publish(room, `m${k}`);
    const t0 = performance.now();
    const real = fromServer(await nchan.longPoll(room, t0, 1500));
    const simulated = fromSimulation({
      mode: 'long-polling',
      durationMs: 1500,
      messages: { script: [0, 0, 0, 0, 0] },
    });
    expect(simulated.map((s) => s.said)).toEqual([
      'm3',
      'm4',
      'm5',
      'hold timed out',
      'hold timed out',
    ]);
    expectSame(real, simulated);
  }, 20_000);

  it('a held request is answered the moment a message is published, a burst comes one message per response, and quiet holds time out', async () => {
    const room = channel();
    const t0 = performance.now();
    const burst = ['m1', 'm2', 'm3'].map((body) => ({ atMs: 1500, body }));
    const [outcomes] = await Promise.all([
      nchan.longPoll(room, t0, 3200),
      publishOnSchedule(nchan, room, t0, burst),
    ]);
    const simulated = fromSimulation({
      mode: 'long-polling',
      durationMs: 3200,
      messages: { script: [1500, 1500, 1500] },
    });
    expect(simulated.map((s) => [s.said, s.t])).toEqual([
      ['hold timed out', 1000],
      ['m1', 1500],
      ['m2', 1500],
      ['m3', 1500],
      ['hold timed out', 2500],
      ['hold timed out', 3500],
    ]);
    expectSame(fromServer(outcomes), simulated);
  }, 20_000);

  it('an interval poll is answered at once: "nothing new" (304) until a message, then that message', async () => {
    const room = channel();
    const t0 = performance.now();
    const [outcomes] = await Promise.all([
      nchan.poll(room, t0, 500, 2200),
      publishOnSchedule(nchan, room, t0, [{ atMs: 700, body: 'm1' }]),
    ]);
    const simulated = fromSimulation({
      mode: 'polling',
      pollIntervalMs: 500,
      durationMs: 2200,
      messages: { script: [700] },
    });
    expect(simulated.map((s) => [s.said, s.t])).toEqual([
      ['status 304', 0],
      ['status 304', 500],
      ['m1', 1000],
      ['status 304', 1500],
      ['status 304', 2000],
    ]);
    expectSame(fromServer(outcomes), simulated);
  }, 20_000);
});
