import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli';
import {
  computeMetrics,
  longPollingTheory,
  parseScenario,
  simulate,
  type Metrics,
  type Run,
  type Scenario,
} from '../src/sim/index';

const dir = resolve(import.meta.dirname, '../scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** The metrics the command prints for a scenario file, and its exit code. */
async function runFile(file: string): Promise<{ code: number; metrics: Metrics; s: Scenario }> {
  let stdout = '';
  let stderr = '';
  const code = await main([join(dir, file), '--json'], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  if (code !== 0) return { code, metrics: undefined as never, s: undefined as never };
  expect(stderr).toBe('');
  const { scenario: s, ...metrics } = JSON.parse(stdout);
  return { code, metrics, s };
}

const backoffEvents = (run: Run) =>
  [...run.trace.events()].filter((e) => e.kind === 'client.backoff');

/**
 * One behaviour a user would notice in each example, asserted on the figures the command prints
 * (and on the trace where a figure alone does not show it).
 */
const behaviours: Record<string, { name: string; check: (m: Metrics, s: Scenario) => void }> = {
  'chat-room.json': {
    name: 'long polling: every message arrives in about one transit, at the rate theory predicts',
    check(m, s) {
      expect(m.messagesDelivered).toBe(m.messagesPublished * s.clients);
      // One transit (50 ms + up to 20 ms of jitter), plus rarely a re-request gap.
      expect(m.latencyMs.mean).toBeGreaterThanOrEqual(50);
      expect(m.latencyMs.mean).toBeLessThan(80);
      expect(m.emptyResponses / m.responses).toBeLessThan(0.15);
      const theory = longPollingTheory({
        ratePerMs: s.messages.poisson!.ratePerMin / 60_000,
        latencyMs: s.network.latencyMs + s.network.jitterMs / 2,
        holdMs: s.longPollTimeoutMs,
        repollDelayMs: s.repollDelayMs,
      });
      const expected = (theory.requestsPerMin * s.durationMs * s.clients) / 60_000;
      expect(m.requests / expected).toBeGreaterThan(0.8);
      expect(m.requests / expected).toBeLessThan(1.2);
    },
  },
  'idle-channel.json': {
    name: 'long polling: every response is a hold timeout, one per hold',
    check(m, s) {
      expect(m.messagesPublished).toBe(0);
      expect(m.responses).toBeGreaterThan(0);
      expect(m.timeouts).toBe(m.responses);
      expect(m.emptyResponses).toBe(m.responses);
      expect(m.messageResponses).toBe(0);
      // A request every hold plus one round trip, from each client's start.
      const perClient = Math.ceil(
        (s.durationMs - s.clientStartSpreadMs) / (s.longPollTimeoutMs + 2 * s.network.latencyMs),
      );
      expect(m.requests).toBe(perClient * s.clients);
    },
  },
  'multiplayer-game.json': {
    name: 'long polling at 20 updates a second: a whole request per update, headers dwarf data',
    check(m, s) {
      const perClient = m.requests / s.clients;
      expect(perClient / m.messagesPublished).toBeGreaterThan(0.95);
      expect(perClient / m.messagesPublished).toBeLessThan(1.05);
      expect(m.messageResponses).toBe(m.messagesDelivered);
      const headerBytes =
        m.requests * s.sizes.requestHeaderBytes + m.responses * s.sizes.responseHeaderBytes;
      const payloadBytes = m.messagesDelivered * s.sizes.messageBytes;
      expect(headerBytes).toBeGreaterThan(10 * payloadBytes);
    },
  },
  'collaborative-document.json': {
    name: '50 clients: bursts of edits are batched, several edits a response',
    check(m, s) {
      expect(s.clients).toBe(50);
      expect(m.messagesDelivered).toBe(m.messagesPublished * s.clients);
      expect(m.messagesDelivered / m.messageResponses).toBeGreaterThan(1.5);
      expect(m.server.peakHeldRequests).toBe(s.clients);
    },
  },
  'proxy-cuts-60s-holds.json': {
    name: 'a 90 s hold behind a 60 s proxy: cut as errors, never a clean timeout',
    check(m, s) {
      expect(s.longPollTimeoutMs).toBeGreaterThan(s.proxy!.idleTimeoutMs);
      expect(m.proxyCuts).toBeGreaterThan(0);
      expect(m.errors).toBeGreaterThan(0);
      expect(m.errors).toBe(m.proxyCuts);
      expect(m.timeouts).toBe(0);
      expect(backoffEvents(simulate(s)).length).toBeGreaterThan(0);
    },
  },
  'server-restart-1000-clients.json': {
    name: '1,000 clients and a restart: every client errs and backs off, with jitter',
    check(m, s) {
      expect(m.server.peakHeldRequests).toBe(s.clients);
      expect(m.errors).toBeGreaterThanOrEqual(s.clients);
      const backoffs = backoffEvents(simulate(s));
      expect(new Set(backoffs.map((e) => e.client)).size).toBe(s.clients);
      // Jitter spreads the first retries across the whole ±50 % band instead of one instant.
      const firstWaits = backoffs.filter((e) => e.attempt === 1).map((e) => e.waitMs!);
      expect(Math.min(...firstWaits)).toBeLessThan(600);
      expect(Math.max(...firstWaits)).toBeGreaterThan(1400);
      // Nothing is lost: the log keeps messages published while the server was down.
      expect(m.messagesDelivered).toBe(m.messagesPublished * s.clients);
    },
  },
  'rate-limit-fast-pollers.json': {
    name: 'polling twice as often as the rate limit allows: about half the requests get 429',
    check(m, s) {
      const limit = s.server.rateLimit!;
      // Each client may make its burst, then one request per 60 s / requestsPerMin.
      const allowedPerClient = limit.burst + (s.durationMs * limit.requestsPerMin) / 60_000;
      const refusedPerClient = m.server.rateLimited / s.clients;
      expect(m.requests / s.clients - refusedPerClient).toBeLessThanOrEqual(allowedPerClient);
      expect(m.server.rateLimited / m.requests).toBeGreaterThan(0.45);
      expect(m.server.rateLimited / m.requests).toBeLessThan(0.5);
      expect(m.errors).toBe(m.server.rateLimited);
      // Every message still arrives, a poll later on average than without the limit.
      expect(m.messagesDelivered).toBe(m.messagesPublished * s.clients);
      const free = computeMetrics(
        simulate({ ...s, server: { ...s.server, rateLimit: undefined } }),
      );
      expect(m.latencyMs.mean).toBeGreaterThan(free.latencyMs.mean + 200);
    },
  },
  'held-request-cap.json': {
    name: 'a cap on held requests: never more held than the cap; the refused wait, the held do not',
    check(m, s) {
      expect(m.server.peakHeldRequests).toBe(s.server.maxHeldRequests);
      expect(m.server.overCapacity).toBeGreaterThanOrEqual(s.clients - s.server.maxHeldRequests!);
      // Half the clients are held and hear at once; the other half hear only after a backoff.
      expect(m.latencyMs.p50).toBeLessThan(s.network.latencyMs + s.network.jitterMs + 1);
      expect(m.latencyMs.p95).toBeGreaterThan(5000);
    },
  },
  'polling-vs-long-polling.json': {
    name: 'polling a quiet chat every 2 s: most round trips are wasted, long polling makes few',
    check(m, s) {
      expect(s.mode).toBe('polling');
      // Theory: e^(−λP) = e^(−0.2) ≈ 0.82 of the responses are empty.
      expect(m.emptyResponses / m.responses).toBeGreaterThan(0.75);
      expect(m.emptyResponses / m.responses).toBeLessThan(0.89);
      const longPolling = simulate({ ...s, mode: 'long-polling' });
      expect(longPolling.requestClient.length).toBeLessThan(m.requests / 3);
    },
  },
};

describe('scenarios/', () => {
  it('holds the named examples, each with a behaviour test', () => {
    expect(files).toEqual(Object.keys(behaviours).sort());
  });

  for (const file of files) {
    it(`${file}: valid, with a name`, () => {
      const input = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const parsed = parseScenario(input);
      expect(parsed.ok ? '' : parsed.message).toBe('');
      expect(typeof input.name).toBe('string');
      expect(input.name.length).toBeGreaterThan(0);
    });

    const behaviour = behaviours[file];
    if (!behaviour) continue;
    it(`${file}: ${behaviour.name}`, { timeout: 60_000 }, async () => {
      const { code, metrics, s } = await runFile(file);
      expect(code).toBe(0);
      expect(metrics.requests).toBeGreaterThan(0);
      behaviour.check(metrics, s);
    });
  }
});
