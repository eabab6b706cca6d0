/**
 * What every property test shares: the seed it starts from, and the bound on its work.
 *
 * fast-check draws a new seed on every run unless it is given one, and some seeds draw heavy
 * scenarios: a test that passes in a second could take ten on a busy machine and fail by chance.
 * So the seed comes from `PROPERTY_SEED` when it is set, is fixed when `CI` is set, and is drawn
 * once per test file otherwise; it is printed, and a failure names the command that repeats it.
 * Each scenario is priced before it runs (`estimateEvents`) and one over the budget is not drawn,
 * so a test's time is bounded and its timeout follows from that bound.
 */
import fc from 'fast-check';
import { relative } from 'node:path';
import { expect, it } from 'vitest';

/** The seed CI runs with when no `PROPERTY_SEED` is given, so that a CI run repeats exactly. */
export const CI_PROPERTY_SEED = 1;

/** Reads the seed from the environment: `PROPERTY_SEED`, else the CI seed, else a fresh one. */
export function propertySeedFrom(env: Record<string, string | undefined>): {
  seed: number;
  source: string;
} {
  const given = env.PROPERTY_SEED?.trim();
  if (given) {
    const seed = Number(given);
    // fast-check takes a 32-bit integer.
    if (!/^-?\d+$/.test(given) || seed < -(2 ** 31) || seed >= 2 ** 31)
      throw new Error(`PROPERTY_SEED must be a 32-bit integer, got "${given}"`);
    return { seed, source: 'PROPERTY_SEED' };
  }
  if (env.CI && env.CI !== 'false' && env.CI !== '0')
    return { seed: CI_PROPERTY_SEED, source: 'fixed, as CI is set' };
  return { seed: (Math.random() * 2 ** 32) | 0, source: 'drawn for this run' };
}

const { seed, source } = propertySeedFrom(process.env);

/** The seed every `fc.assert` in this test file starts from. */
export const PROPERTY_SEED = seed;

/** The command that runs the current test file again from this seed. */
function repeatCommand(): string {
  const { testPath } = expect.getState();
  const file = testPath ? relative(process.cwd(), testPath) : '<file>';
  return `PROPERTY_SEED=${seed} npx vitest run ${file}`;
}

console.log(`property tests: seed ${seed} (${source}); to repeat: ${repeatCommand()}`);

fc.configureGlobal({
  seed,
  // fast-check's own report (the counterexample, its seed and path), and how to get it back.
  reporter(details) {
    const report = fc.defaultReportMessage(details);
    if (report === undefined) return;
    throw new Error(`${report}\n\nRepeat this run with ${repeatCommand()}`, {
      cause: details.errorInstance,
    });
  },
});

/** Scenarios estimated (by `estimateEvents`) to make more trace events than this are not drawn. */
export const WORK_BUDGET_EVENTS = 10_000;

/**
 * What one simulation of a scenario within the budget may cost at worst, generously: a simulation
 * of a small scenario takes about 5 ms on a 2-core machine with both cores busy, and the estimate
 * is an upper bound that a run's events seldom reach (an estimated event costs at most about
 * 20 µs there).
 */
const SIMULATION_MS = 5;
const ESTIMATED_EVENT_MS = 0.02;

export interface PropertyWork {
  numRuns: number;
  /** Simulations of a budget-sized scenario in each run of the property. */
  simulationsPerRun?: number;
}

/** The most time a property may take: every run at the budget, at the generous cost above. */
export function propertyTimeLimitMs({ numRuns, simulationsPerRun = 1 }: PropertyWork): number {
  const perSimulationMs = SIMULATION_MS + WORK_BUDGET_EVENTS * ESTIMATED_EVENT_MS;
  return Math.ceil(numRuns * simulationsPerRun * perSimulationMs);
}

/**
 * A test that `property` holds for `work.numRuns` random cases. fast-check stops at the time
 * limit and fails with the seed and the case it was on (or shrinking), a little before vitest
 * would stop the test without them.
 */
export function itHolds<Ts>(name: string, work: PropertyWork, property: fc.IProperty<Ts>): void {
  const limitMs = propertyTimeLimitMs(work);
  it(
    name,
    () =>
      fc.assert(property, {
        numRuns: work.numRuns,
        interruptAfterTimeLimit: limitMs,
        markInterruptAsFailure: true,
      }),
    limitMs + 10_000,
  );
}
