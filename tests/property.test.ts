import { describe, expect, it } from 'vitest';
import { CI_PROPERTY_SEED, propertySeedFrom, propertyTimeLimitMs } from './property';

describe('property tests: the seed a run starts from', () => {
  it.each([
    { env: { PROPERTY_SEED: '123' }, expected: { seed: 123, source: 'PROPERTY_SEED' } },
    { env: { PROPERTY_SEED: '-7', CI: 'true' }, expected: { seed: -7, source: 'PROPERTY_SEED' } },
    { env: { CI: 'true' }, expected: { seed: CI_PROPERTY_SEED, source: 'fixed, as CI is set' } },
    {
      env: { CI: '1', PROPERTY_SEED: ' ' },
      expected: { seed: CI_PROPERTY_SEED, source: 'fixed, as CI is set' },
    },
  ])('$env gives seed $expected.seed', ({ env, expected }) => {
    expect(propertySeedFrom(env)).toEqual(expected);
  });

  it.each(['abc', '1.5', '2147483648', '12e3'])(
    'PROPERTY_SEED=%s is refused, naming the value',
    (given) => {
      expect(() => propertySeedFrom({ PROPERTY_SEED: given })).toThrow(
        `PROPERTY_SEED must be a 32-bit integer, got "${given}"`,
      );
    },
  );

  it('outside CI with no seed given, each run draws its own 32-bit seed', () => {
    const seeds = Array.from({ length: 20 }, () => propertySeedFrom({ CI: 'false' }));
    for (const { seed, source } of seeds) {
      expect(Number.isInteger(seed) && seed >= -(2 ** 31) && seed < 2 ** 31).toBe(true);
      expect(source).toBe('drawn for this run');
    }
    expect(new Set(seeds.map((s) => s.seed)).size).toBeGreaterThan(1);
  });
});

describe('property tests: the time a property may take', () => {
  it('grows with the runs and with the simulations each run makes', () => {
    const one = propertyTimeLimitMs({ numRuns: 10 });
    expect(propertyTimeLimitMs({ numRuns: 20 })).toBe(2 * one);
    expect(propertyTimeLimitMs({ numRuns: 10, simulationsPerRun: 3 })).toBe(3 * one);
    // Never the 5 s default that a heavy scenario on a busy machine could overrun.
    expect(propertyTimeLimitMs({ numRuns: 30 })).toBeGreaterThan(5000);
  });
});
