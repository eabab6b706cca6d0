/**
 * The lesson engine's checking of "tune" answers on nested settings: the rate limit
 * (`server.rateLimit.requestsPerMin`, `.burst`), the cap on held requests, a field left empty for
 * "no limit", and targets measured with other clients. Patches merge by the scenario's rules,
 * which tests/sim/paths.test.ts covers.
 */
import { describe, expect, it } from 'vitest';
import { checkExercise, METRIC_NAMES, parseLesson, type CheckResult } from '../../src/lessons';
import { computeMetrics, simulate, scenario } from '../../src/sim';

/** A one-step lesson whose exercise is a tune with these fields and targets. */
function tuneStep(fields: string[], targets: string) {
  const source = `---
title: T
summary: S
scenario:
  mode: polling
  pollIntervalMs: 1000
  durationMs: 20000
  messages: { script: [] }
  server: { rateLimit: { requestsPerMin: 30, burst: 1 } }
---
## One
\`\`\`step
exercise:
  type: tune
  id: t
  question: Q?
  fields: [${fields.join(', ')}]
  targets:
${targets}
  reference: { server: { rateLimit: null } }
  wrong: [{ server: { rateLimit: { requestsPerMin: 30 } } }]
\`\`\`
`;
  const step = parseLesson('01-t', source, {}).steps[0];
  const check = (answer: Record<string, unknown>) =>
    checkExercise(step, step.exercise!, answer) as Extract<CheckResult, { kind: 'tune' }>;
  return { step, check };
}

describe('tune: the rate limit and the cap, by their nested fields', () => {
  const rate = ['server.rateLimit.requestsPerMin', 'server.rateLimit.burst'];
  const noneRefused = '    - { metric: server.rateLimited, op: "=", value: 0 }';

  it('setting only the requests per minute keeps the step’s burst', () => {
    const { check } = tuneStep(rate, noneRefused);
    const r = check({ server: { rateLimit: { requestsPerMin: 60 } } });
    expect(r.scenario.server.rateLimit).toEqual({ requestsPerMin: 60, burst: 1 });
    // One poll a second against 60 a minute: none refused.
    expect(r.correct).toBe(true);
  });

  it('both fields, as the exercise form sends them', () => {
    const { check } = tuneStep(rate, noneRefused);
    const r = check({ server: { rateLimit: { requestsPerMin: 30, burst: 1 } } });
    // One poll a second against 30 a minute with no burst: every other one is refused.
    expect(r.targets[0].actual).toBe(10);
    expect(r.correct).toBe(false);
  });

  it.each([
    ['requests per minute left empty', { server: { rateLimit: { requestsPerMin: undefined } } }],
    ['requests per minute null', { server: { rateLimit: { requestsPerMin: null, burst: 5 } } }],
    [
      'both fields left empty',
      { server: { rateLimit: { requestsPerMin: undefined, burst: undefined } } },
    ],
    ['the rate limit removed', { server: { rateLimit: null } }],
  ])('%s means no rate limit', (_, answer) => {
    const { check } = tuneStep(rate, noneRefused);
    const r = check(answer);
    expect(r.scenario.server.rateLimit).toBeUndefined();
    expect(r.targets[0].actual).toBe(0);
    expect(r.correct).toBe(true);
  });

  it('a burst with no value, under a rate limit, is refused with the field named', () => {
    const { check } = tuneStep(rate, noneRefused);
    expect(() =>
      check({ server: { rateLimit: { requestsPerMin: 30, burst: undefined } } }),
    ).toThrow(/server\.rateLimit\.burst needs a value/);
  });

  it('a field the exercise does not offer is refused, and so is removing a setting it does not offer', () => {
    const { check } = tuneStep(['server.rateLimit.burst'], noneRefused);
    expect(() => check({ server: { maxHeldRequests: 3 } })).toThrow(
      /does not let you set server\.maxHeldRequests/,
    );
    expect(() => check({ server: { rateLimit: null } })).toThrow(
      /does not let you set server\.rateLimit/,
    );
  });

  it('the cap on held requests: a number caps, an empty field means no cap', () => {
    const { check } = tuneStep(
      ['server.maxHeldRequests'],
      '    - { metric: server.peakHeldRequests, op: "<=", value: 1 }',
    );
    // The cap is read on long polls; this step polls, so check that the value reaches the run.
    expect(check({ server: { maxHeldRequests: 2 } }).scenario.server.maxHeldRequests).toBe(2);
    expect(check({ server: { maxHeldRequests: null } }).scenario.server.maxHeldRequests).toBe(
      undefined,
    );
  });
});

describe('tune: a target measured with other clients against the same server', () => {
  const targets = [
    '    - { metric: server.rateLimited, op: "=", value: 0, label: "one poll a second: none refused" }',
    '    - { metric: server.rateLimited, op: ">=", value: 100, label: "ten a second: at least 100 refused", scenario: { pollIntervalMs: 100 } }',
  ].join('\n');

  it('runs the tuned server settings with the target’s clients', () => {
    const { check } = tuneStep(
      ['server.rateLimit.requestsPerMin', 'server.rateLimit.burst'],
      targets,
    );
    const r = check({ server: { rateLimit: { requestsPerMin: 60, burst: 5 } } });
    const fast = computeMetrics(
      simulate(
        scenario({
          ...r.scenario,
          pollIntervalMs: 100,
        }),
      ),
    );
    expect(r.targets.map((t) => t.actual)).toEqual([0, fast.server.rateLimited]);
    // 200 requests in 20 s, about 20 allowed at one a second plus the burst of 5.
    expect(fast.server.rateLimited).toBeGreaterThan(150);
    expect(r.correct).toBe(true);
    expect(r.feedback).toContain('ten a second: at least 100 refused');
  });

  it('a limit loose enough for the fast client misses that target only', () => {
    const { check } = tuneStep(
      ['server.rateLimit.requestsPerMin', 'server.rateLimit.burst'],
      targets,
    );
    const r = check({ server: { rateLimit: { requestsPerMin: 600, burst: 5 } } });
    expect(r.targets.map((t) => t.met)).toEqual([true, false]);
  });
});

describe('metric names', () => {
  it('lessons can name the refusals of the rate limit and of the cap', () => {
    expect(METRIC_NAMES).toEqual(
      expect.arrayContaining(['server.rateLimited', 'server.overCapacity']),
    );
  });
});
