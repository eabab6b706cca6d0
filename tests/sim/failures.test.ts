import { describe, expect, it } from 'vitest';
import { computeMetrics, type ScenarioInput } from '../../src/sim';
import { clientGivesUp, events, idleLongPoll, metricsOf, run } from './helpers';

/** Idle long polling with the server restarting at 1 s and down for `downMs`. */
const downFrom1s = (downMs: number): ScenarioInput => ({
  ...idleLongPoll,
  faults: [{ atMs: 1000, kind: 'server-restart', downMs }],
});

describe('proxies, restarts, loss and backoff', () => {
  it('proxy: a hold longer than the proxy limit ends in a 504, not "no new data" (hold=90s, proxy=60s)', () => {
    const es = events({
      ...idleLongPoll,
      longPollTimeoutMs: 90_000,
      durationMs: 100_000,
      proxy: { idleTimeoutMs: 60_000 },
    });
    const cut = es.find((e) => e.kind === 'proxy.cut');
    expect(cut?.t).toBe(60_050);
    const arrived = es.filter((e) => e.kind === 'response.arrived');
    expect(arrived[0]).toMatchObject({ t: 60_100, status: 'proxy-timeout' });
    expect(es.some((e) => e.kind === 'hold.timeout')).toBe(false);
    // After the error the client backs off before asking again.
    expect(es.find((e) => e.kind === 'client.backoff')).toMatchObject({ t: 60_100, attempt: 1 });
  });

  it('proxy: a hold below the proxy limit times out cleanly (hold=30s, proxy=60s)', () => {
    const m = metricsOf({ ...idleLongPoll, durationMs: 100_000, proxy: { idleTimeoutMs: 60_000 } });
    expect(m.proxyCuts).toBe(0);
    expect(m.timeouts).toBe(m.requests);
  });

  it('server restart: held requests fail, requests while down are refused, clients back off', () => {
    const es = events({
      ...downFrom1s(3000),
      clients: 5,
      durationMs: 20_000,
      backoff: { initialMs: 1000, jitter: 0 },
    });
    expect(es.find((e) => e.kind === 'server.down')).toMatchObject({ t: 1000, downMs: 3000 });
    expect(es.find((e) => e.kind === 'server.up')?.t).toBe(4000);
    const errors = es.filter((e) => e.kind === 'response.arrived' && e.status === 'server-error');
    // Five held requests are reset at 1000; their retries at 2050 are refused; the next at
    // 4100 (after 2 s of backoff) find the server up again.
    expect(errors.map((e) => e.t)).toEqual([
      1050, 1050, 1050, 1050, 1050, 2150, 2150, 2150, 2150, 2150,
    ]);
    const backoffs = es.filter((e) => e.kind === 'client.backoff' && e.client === 0);
    expect(backoffs.map((e) => [e.t, e.waitMs])).toEqual([
      [1050, 1000],
      [2150, 2000],
    ]);
    const held = es.filter((e) => e.kind === 'request.held' && e.t > 4000);
    expect(held).toHaveLength(5);
  });

  it.each(['polling', 'long-polling'] as const)(
    'a success ends the run of failures: the next outage backs off from 1 s again (%s)',
    (mode) => {
      const es = events({
        mode,
        pollTimer: 'after-response',
        pollIntervalMs: 1000,
        longPollTimeoutMs: 5000,
        durationMs: 40_000,
        // Two outages. In the first, the retries at about 2 s and 4 s fail and the one at 8 s
        // succeeds (a long poll, once its 5 s hold runs out with "no new data").
        faults: [
          { atMs: 1000, kind: 'server-restart', downMs: 5000 },
          { atMs: 20_000, kind: 'server-restart', downMs: 5000 },
        ],
        backoff: { initialMs: 1000, jitter: 0 },
        messages: { script: [] },
      });
      const backoffs = es.filter((e) => e.kind === 'client.backoff');
      const firstOutage = backoffs.filter((e) => e.t < 20_000);
      const secondOutage = backoffs.filter((e) => e.t >= 20_000);
      expect(firstOutage.map((e) => [e.attempt, e.waitMs])).toEqual([
        [1, 1000],
        [2, 2000],
        [3, 4000],
      ]);
      expect(secondOutage.map((e) => e.attempt)[0]).toBe(1);
      expect(secondOutage[0].waitMs).toBe(1000);
      // After each recovery the client is back to its normal rhythm: a success, then its next
      // request a poll interval later (at once, when long polling).
      const recovered = es.find(
        (e) => e.kind === 'response.arrived' && e.t > 6000 && e.status !== 'server-error',
      );
      const next = es.find((e) => e.kind === 'request.sent' && e.t >= recovered!.t);
      expect(next!.t - recovered!.t).toBe(mode === 'polling' ? 1000 : 0);
    },
  );

  it('backoff jitter spreads the retries of 100 clients after a restart (jitter=0.5)', () => {
    const es = events({
      ...downFrom1s(500),
      clients: 100,
      durationMs: 10_000,
    });
    const waits = es
      .filter((e) => e.kind === 'client.backoff' && e.attempt === 1)
      .map((e) => e.waitMs!);
    expect(waits).toHaveLength(100);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1500);
    expect(new Set(waits).size).toBeGreaterThan(50);
  });

  it('backoff from 0 ms: a long outage retries every millisecond plus the round trip, and the run ends', () => {
    // 0 × 2^attempt stays 0 however many attempts (2^1024 is Infinity, and 0 × Infinity is NaN).
    const es = events({
      ...downFrom1s(200_000),
      durationMs: 300_000,
      backoff: { initialMs: 0 },
    });
    const waits = es.filter((e) => e.kind === 'client.backoff');
    expect(waits.length).toBeGreaterThan(1024);
    expect(waits.every((e) => e.waitMs === 1)).toBe(true);
    // Back at the server the moment it is up: the first request after 201 s is held.
    expect(es.find((e) => e.kind === 'request.held' && e.t >= 201_000)?.t).toBeLessThan(201_200);
  });

  it('a client that gives up closes its connection, and the server stops holding the request', () => {
    // The client gives up at 30 + 10 s, and its close reaches the server a second later.
    const r = run(clientGivesUp);
    const es = [...r.trace.events()];
    expect(es.find((e) => e.kind === 'client.timeout')).toMatchObject({ t: 40_000, request: 0 });
    expect(es.find((e) => e.kind === 'request.aborted')).toMatchObject({ t: 41_000, request: 0 });
    // Never answered, so never a late response; and never two held for one client.
    expect(es.filter((e) => e.request === 0 && e.kind.startsWith('response'))).toEqual([]);
    expect(computeMetrics(r).server.peakHeldRequests).toBe(1);
  });

  it('loss: a lost request ends in a client timeout, and the client tries again', () => {
    const r = run({
      mode: 'long-polling',
      durationMs: 600_000,
      network: { lossRate: 0.3 },
      messages: { everyMs: 5000 },
      seed: 7,
    });
    const m = computeMetrics(r);
    expect(m.requestsLost + m.responsesLost).toBeGreaterThan(0);
    expect(m.clientTimeouts).toBe(m.requestsLost + m.responsesLost);
    // The cursor makes the retry fetch what the lost response carried: nothing is lost for good
    // except what is still waiting at the end.
    expect(m.messagesLost).toBe(0);
    expect(m.duplicates).toBe(0);
    expect(m.messagesDelivered).toBeGreaterThan(0.9 * m.messagesPublished);
  });

  it('no buffer: a message published in the re-request gap is lost (buffer=none)', () => {
    const es = events({
      mode: 'long-polling',
      durationMs: 5000,
      server: { buffer: 'none' },
      messages: { script: [1000, 1010] },
    });
    expect(es.filter((e) => e.kind === 'message.delivered').map((e) => e.message)).toEqual([1]);
    expect(es.filter((e) => e.kind === 'message.lost')).toMatchObject([
      { t: 1010, message: 2, client: 0 },
    ]);
  });

  it('buffer limit: a client away too long misses what the log no longer holds (limit=10)', () => {
    const m = metricsOf({
      mode: 'polling',
      pollIntervalMs: 10_000,
      durationMs: 20_000,
      server: { bufferLimit: 10 },
      messages: { script: Array.from({ length: 25 }, () => 5000) },
    });
    // 25 messages at 5 s; the poll at 10 s finds only the last 10 in the log.
    expect(m.messagesPublished).toBe(25);
    expect(m.messagesDelivered).toBe(10);
    expect(m.messagesLost).toBe(15);
  });

  it('client timeout: a request that never returns is abandoned after the hold plus the margin', () => {
    const es = events({
      ...idleLongPoll,
      durationMs: 1000,
      network: { lossRate: 0.999999 },
    });
    expect(es.find((e) => e.kind === 'client.timeout')?.t).toBe(40_000);
  });
});

describe('the thundering herd, measured: peak requests reaching the server in one second', () => {
  it('1,000 clients that start together hit the server at once; spread over 5 s, a fifth of that', () => {
    const together = metricsOf({ clients: 1000, durationMs: 20_000, pollIntervalMs: 5000 });
    expect(together.server.peakRequestsPerSecond).toBe(1000);
    const spread = metricsOf({
      clients: 1000,
      durationMs: 20_000,
      pollIntervalMs: 5000,
      clientStartSpreadMs: 5000,
    });
    // Uniform starts over 5 s: about 200 in any second, a little more where they cluster.
    expect(spread.server.peakRequestsPerSecond).toBeGreaterThan(180);
    expect(spread.server.peakRequestsPerSecond).toBeLessThan(300);
  });

  it('after a restart, backoff without jitter sends every client back at once; jitter spreads them', () => {
    const herd = (jitter: number) =>
      metricsOf({
        ...idleLongPoll,
        clients: 300,
        durationMs: 120_000,
        clientStartSpreadMs: 30_000,
        backoff: { initialMs: 4000, jitter },
        faults: [{ atMs: 60_000, kind: 'server-restart', downMs: 3000 }],
      }).server.peakRequestsPerSecond;
    // Before the restart, starts spread over 30 s keep the load near 10 requests a second.
    expect(herd(0)).toBe(300);
    // Waits of 2–6 s instead of 4 s: the first wave of retries spread over four seconds.
    expect(herd(0.5)).toBeLessThan(150);
  });
});
