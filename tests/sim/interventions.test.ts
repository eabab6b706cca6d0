import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../src/sim';
import { events, metricsOf } from './helpers';

const base: ScenarioInput = {
  mode: 'polling',
  clients: 3,
  durationMs: 60_000,
  network: { latencyMs: 50, jitterMs: 20 },
  messages: { poisson: { ratePerMin: 12 } },
  seed: 4,
};

/** Events strictly before a time, as plain objects, to compare two runs' pasts. */
const pastOf = (input: ScenarioInput, beforeMs: number) =>
  events(input).filter((e) => e.t < beforeMs);

describe('interventions: a live change keeps the past and changes the future', () => {
  const switched: ScenarioInput = {
    ...base,
    interventions: [{ atMs: 20_000, set: { mode: 'long-polling' } }],
  };

  it('polling → long polling at 20s: the past is identical to the run without the change', () => {
    expect(pastOf(switched, 20_000)).toEqual(pastOf(base, 20_000));
  });

  it('polling → long polling at 20s: the future differs and is marked by an intervention', () => {
    const es = events(switched);
    const mark = es.find((e) => e.kind === 'intervention');
    expect(mark).toMatchObject({ t: 20_000, index: 0 });
    const after = es.filter((e) => e.kind === 'request.sent' && e.t > 20_000);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => e.longPoll)).toBe(true);
    const before = es.filter((e) => e.kind === 'request.sent' && e.t < 20_000);
    expect(before.every((e) => !e.longPoll)).toBe(true);
    const plain = metricsOf(base);
    const live = metricsOf(switched);
    expect(live.requests).toBeLessThan(plain.requests);
    expect(live.messagesPublished).toBe(plain.messagesPublished);
  });

  it('long polling → polling: a held request finishes as a long poll, then polling starts', () => {
    const es = events({
      mode: 'long-polling',
      durationMs: 50_000,
      messages: { script: [] },
      interventions: [{ atMs: 10_000, set: { mode: 'polling', pollIntervalMs: 5000 } }],
    });
    // The request held since 50 ms still times out at 30 050 ms. The poll timer started at the
    // switch, so its ticks at 15, 20, 25 and 30 s find that request out; polling begins at 35 s.
    expect(es.find((e) => e.kind === 'hold.timeout')?.t).toBe(30_050);
    const sent = es.filter((e) => e.kind === 'request.sent').map((e) => [e.t, e.longPoll]);
    expect(sent).toEqual([
      [0, true],
      [35_000, false],
      [40_000, false],
      [45_000, false],
    ]);
    expect(es.filter((e) => e.kind === 'tick.skipped')).toHaveLength(4);
  });

  it('a long poll behind a message the new log never had is held, not answered "no new data" at once', () => {
    // Published at 1 s while no request was held and nothing was kept: lost. At 2 s the server
    // keeps a log and the client long-polls with no network delay. An empty answer at once would
    // bring the same request back in the same instant, forever.
    const es = events({
      pollIntervalMs: 5000,
      durationMs: 10_000,
      network: { latencyMs: 0 },
      server: { buffer: 'none' },
      messages: { script: [1000] },
      interventions: [{ atMs: 2000, set: { mode: 'long-polling', server: { buffer: 'log' } } }],
    });
    expect(es.find((e) => e.kind === 'message.lost')).toMatchObject({ t: 1000, message: 1 });
    expect(es.filter((e) => e.t === 2000).map((e) => e.kind)).toEqual([
      'intervention',
      'request.sent',
      'request.arrived',
      'request.held',
    ]);
    expect(es.find((e) => e.kind === 'hold.timeout')?.t).toBe(32_000);
  });

  it('changing the poll interval at 30s changes the request rate from then on', () => {
    const es = events({
      mode: 'polling',
      pollIntervalMs: 1000,
      durationMs: 60_000,
      messages: { script: [] },
      interventions: [{ atMs: 30_000, set: { pollIntervalMs: 5000 } }],
    });
    const sent = es.filter((e) => e.kind === 'request.sent');
    expect(sent.filter((e) => e.t < 30_000)).toHaveLength(30);
    // The change restarts the timer at 30 s: ticks at 35, 40, 45, 50 and 55 s.
    expect(sent.filter((e) => e.t >= 30_000).map((e) => e.t)).toEqual([
      35_000, 40_000, 45_000, 50_000, 55_000,
    ]);
  });

  it('changing the workload at 10s publishes on the new schedule from then on', () => {
    const es = events({
      durationMs: 30_000,
      messages: { everyMs: 1000 },
      interventions: [{ atMs: 10_500, set: { messages: { everyMs: 5000 } } }],
    });
    const published = es.filter((e) => e.kind === 'message.published').map((e) => e.t);
    expect(published).toEqual([
      1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 15_500, 20_500, 25_500,
    ]);
  });
});
