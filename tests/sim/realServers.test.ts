/**
 * The simulation against documented behaviour of real servers (../shared/PRODUCT.md): Nchan's
 * one message per long-poll response and its interval-poll answer, CometD's 30 s hold with an
 * immediate re-poll, a bounded message buffer like Nchan's 10 messages.
 */
import { describe, expect, it } from 'vitest';
import { events, idle, idleLongPoll, metricsOf } from './helpers';

describe('agreement with real servers', () => {
  it('Nchan: without batching a burst of 5 comes one message per response, a round trip apart (d=50ms)', () => {
    const es = events({
      mode: 'long-polling',
      durationMs: 5000,
      network: { latencyMs: 50 },
      server: { batch: false },
      messages: { script: [1000, 1000, 1000, 1000, 1000] },
    });
    const delivered = es.filter((e) => e.kind === 'message.delivered');
    expect(delivered.map((e) => [e.message, e.t])).toEqual([
      [1, 1050],
      [2, 1150],
      [3, 1250],
      [4, 1350],
      [5, 1450],
    ]);
    const withMessages = es.filter((e) => e.kind === 'response.sent' && e.messages!.length > 0);
    expect(withMessages.every((e) => e.messages!.length === 1)).toBe(true);
  });

  it('batching: the same burst arrives in one response (d=50ms)', () => {
    const es = events({
      mode: 'long-polling',
      durationMs: 5000,
      messages: { script: [1000, 1000, 1000, 1000, 1000] },
    });
    const responses = es.filter((e) => e.kind === 'response.arrived' && e.messages!.length > 0);
    // The first message releases the held request at once; the other four follow in one batch.
    expect(responses.map((e) => e.messages)).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('Nchan interval poll: with nothing new the answer is empty and immediate (d=50ms)', () => {
    const es = events({ ...idle, mode: 'polling', durationMs: 1000 });
    const arrived = es.find((e) => e.kind === 'request.arrived');
    const sent = es.find((e) => e.kind === 'response.sent');
    expect(sent).toMatchObject({ t: arrived!.t, messages: [], status: 'ok' });
  });

  it('CometD: a 30 s hold and an immediate re-poll make 2 requests a minute on an idle channel', () => {
    const m = metricsOf({ ...idleLongPoll, durationMs: 600_000, network: { latencyMs: 0 } });
    expect(m.requests).toBe(20);
    expect(m.timeouts).toBe(20);
  });

  it('Nchan buffer of 10 messages: a client that was away gets the last 10 and misses the rest', () => {
    const es = events({
      mode: 'long-polling',
      durationMs: 70_000,
      server: { bufferLimit: 10 },
      messages: { script: Array.from({ length: 12 }, (_, k) => 100 + k) },
      network: { latencyMs: 1000 },
    });
    // The first request reaches the server at 1000 ms, after all 12 messages: 1 and 2 are gone.
    expect(es.filter((e) => e.kind === 'message.lost').map((e) => e.message)).toEqual([1, 2]);
    expect(es.filter((e) => e.kind === 'message.delivered').map((e) => e.message)).toEqual([
      3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
  });
});
