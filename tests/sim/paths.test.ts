/**
 * Dotted paths (read, set, merge, the leaves and the difference of a patch) and the walk over the
 * scenario's schema (fields, defaults, ranges, null), as interventions, lesson patches, exercise
 * fields and the controls use them.
 */
import { describe, expect, it } from 'vitest';
import {
  applySet,
  changeAt,
  defaultAt,
  diffPatch,
  fieldsAt,
  getPath,
  leafPaths,
  mergePatch,
  mergeScenario,
  nullableAt,
  patchAt,
  rangeAt,
  replacedWhole,
  scenario,
  ScenarioSchema,
  schemaAt,
  setPath,
  valueInForce,
} from '../../src/sim';

const config = {
  mode: 'polling',
  server: { batch: false, rateLimit: { requestsPerMin: 30, burst: 1 }, maxHeldRequests: null },
  messages: { bursts: { everyMs: 4000, size: 3, spreadMs: 100 } },
  faults: [{ atMs: 1000, kind: 'server-restart', downMs: 5000 }],
};

describe('paths: getPath reads a dotted path, and undefined where it leads through nothing', () => {
  const reads: [path: string, expected: unknown][] = [
    ['mode', 'polling'],
    ['server.rateLimit.burst', 1],
    ['faults.0.downMs', 5000],
    ['server.maxHeldRequests', null],
    ['server.maxHeldRequests.x', undefined],
    ['proxy.idleTimeoutMs', undefined],
    ['mode.length.x', undefined],
    ['', config],
  ];
  it.each(reads)('%s → %j', (path, expected) => {
    expect(getPath(config, path)).toEqual(expected);
  });
});

describe('paths: setPath copies what it changes and creates what is missing', () => {
  it.each([
    { path: 'mode', x: 'long-polling', changed: { mode: 'long-polling' } },
    {
      path: 'server.rateLimit.burst',
      x: 7,
      changed: { server: { ...config.server, rateLimit: { requestsPerMin: 30, burst: 7 } } },
    },
    { path: 'proxy.idleTimeoutMs', x: 30_000, changed: { proxy: { idleTimeoutMs: 30_000 } } },
    {
      path: 'server.maxHeldRequests.cap',
      x: 4,
      changed: { server: { ...config.server, maxHeldRequests: { cap: 4 } } },
    },
    {
      path: 'faults.0.downMs',
      x: 100,
      changed: { faults: [{ atMs: 1000, kind: 'server-restart', downMs: 100 }] },
    },
  ])('$path = $x', ({ path, x, changed }) => {
    const before = structuredClone(config);
    const out = setPath(config, path, x);
    expect(out).toEqual({ ...before, ...changed });
    expect(Array.isArray(out.faults)).toBe(true);
    expect(config).toEqual(before);
  });

  it('setting into an empty patch builds the nested change', () => {
    expect(setPath({}, 'network.latencyMs', 120)).toEqual({ network: { latencyMs: 120 } });
  });
});

describe('paths: merging by the scenario rules: objects merge at every depth; lists, the workload and null replace', () => {
  it.each([
    {
      name: 'one field of the rate limit keeps the other',
      patch: { server: { rateLimit: { requestsPerMin: 60 } } },
      changed: { server: { ...config.server, rateLimit: { requestsPerMin: 60, burst: 1 } } },
    },
    {
      name: 'null removes the rate limit and keeps the rest of the server',
      patch: { server: { rateLimit: null } },
      changed: { server: { ...config.server, rateLimit: null } },
    },
    {
      name: 'a setting where there was none (null) is set whole',
      patch: { server: { maxHeldRequests: 4 } },
      changed: { server: { ...config.server, maxHeldRequests: 4 } },
    },
    {
      name: 'the workload is replaced whole',
      patch: { messages: { bursts: { size: 8 } } },
      changed: { messages: { bursts: { size: 8 } } },
    },
    {
      name: 'a list is replaced whole',
      patch: { faults: [] },
      changed: { faults: [] },
    },
    {
      // Built in code, `{ server: undefined }` must not wipe the server (a property test found it).
      name: 'a field left undefined changes nothing',
      patch: { mode: undefined, server: undefined },
      changed: {},
    },
    {
      name: 'an object where there was none is taken as given',
      patch: { proxy: { idleTimeoutMs: 1 } },
      changed: { proxy: { idleTimeoutMs: 1 } },
    },
  ])('$name', ({ patch, changed }) => {
    const before = structuredClone(config);
    expect(mergeScenario(config, patch)).toEqual({ ...before, ...changed });
    expect(config).toEqual(before);
  });

  it('an intervention that leaves a field undefined changes nothing there', () => {
    // Built in code, `{ server: undefined }` must not wipe the server (a property test found it).
    const s = scenario({ clients: 2 });
    const set = { mode: undefined, server: undefined, network: { latencyMs: undefined } };
    expect(applySet(s, set as never)).toEqual(s);
    expect(applySet(s, set as never).server.buffer).toBe(s.server.buffer);
  });

  it('without a rule, every object merges, the workload too', () => {
    const patch = { messages: { bursts: { size: 8 } } };
    expect(mergePatch(config, patch).messages).toEqual({
      bursts: { everyMs: 4000, size: 8, spreadMs: 100 },
    });
  });
});

describe('paths: the fields a patch sets, and the patch that changes one field', () => {
  it.each([
    {
      patch: { network: { latencyMs: 1, jitterMs: 2 } },
      expected: ['network.latencyMs', 'network.jitterMs'],
    },
    { patch: { server: { rateLimit: null } }, expected: ['server.rateLimit'] },
    { patch: { messages: { poisson: { ratePerMin: 3 } } }, expected: ['messages'] },
    { patch: { faults: [], mode: 'polling' }, expected: ['faults', 'mode'] },
  ])('leafPaths($patch) → $expected', ({ patch, expected }) => {
    expect(leafPaths(patch, replacedWhole)).toEqual(expected);
  });

  it.each([
    { path: 'network.latencyMs', x: 120, expected: { network: { latencyMs: 120 } } },
    {
      path: 'messages.bursts.size',
      x: 8,
      expected: { messages: { bursts: { everyMs: 4000, size: 8, spreadMs: 100 } } },
    },
    { path: 'server.rateLimit', x: null, expected: { server: { rateLimit: null } } },
  ])('patchAt($path, $x) → $expected', ({ path, x, expected }) => {
    expect(patchAt(config, path, x, replacedWhole)).toEqual(expected);
  });

  it('changeAt: a field of the workload in force carries the whole workload', () => {
    const s = scenario({ messages: { everyMs: 500 } });
    expect(changeAt(s, 'messages.everyMs', 250)).toEqual({ messages: { everyMs: 250 } });
    expect(changeAt(s, 'backoff.factor', 3)).toEqual({ backoff: { factor: 3 } });
  });
});

describe('paths: diffPatch gives the fields that differ, and merging it back gives them again', () => {
  const base = { a: 1, o: { x: 1, y: 2 }, messages: { poisson: { ratePerMin: 6 } }, list: [1] };
  it.each([
    { value: { a: 1, o: { x: 1, y: 2 } }, expected: {} },
    { value: { a: 2, o: { x: 1, y: 3 } }, expected: { a: 2, o: { y: 3 } } },
    {
      value: { messages: { poisson: { ratePerMin: 7 } } },
      expected: { messages: { poisson: { ratePerMin: 7 } } },
    },
    { value: { list: [1, 2], extra: null }, expected: { list: [1, 2], extra: null } },
    { value: { a: undefined, o: { x: 1, y: undefined } }, expected: {} },
  ])('$value → $expected', ({ value, expected }) => {
    const patch = diffPatch(base, value, replacedWhole);
    expect(patch).toEqual(expected);
    const merged = mergeScenario(base, patch);
    for (const [key, x] of Object.entries(value)) {
      if (x !== undefined && key !== 'o') expect(merged[key as keyof typeof merged]).toEqual(x);
    }
  });
});

describe('schema walk: what the scenario schema says about a field', () => {
  it.each([
    { path: 'proxy.idleTimeoutMs', expected: 60_000 },
    { path: 'server.rateLimit.burst', expected: 5 },
    { path: 'faults.0.downMs', expected: 5000 },
    { path: 'messages', expected: { poisson: { ratePerMin: 6 } } },
    { path: 'pollIntervalMs', expected: 2000 },
    { path: 'server.maxHeldRequests', expected: undefined },
    { path: 'messages.bursts.everyMs', expected: undefined },
  ])('the default of $path is $expected', ({ path, expected }) => {
    expect(defaultAt(ScenarioSchema, path)).toEqual(expected);
  });

  it.each([
    { path: '', includes: ['mode', 'messages', 'interventions'] },
    { path: 'server.rateLimit', includes: ['requestsPerMin', 'burst'] },
    { path: 'messages', includes: ['script', 'everyMs', 'poisson', 'bursts'] },
    { path: 'interventions.0.set', includes: ['proxy', 'server'] },
    { path: 'faults.3', includes: ['atMs', 'kind', 'downMs'] },
    { path: 'mode', includes: [] },
    { path: 'no.such', includes: [] },
  ])('the fields at "$path" include $includes', ({ path, includes }) => {
    const fields = fieldsAt(ScenarioSchema, path);
    expect(fields).toEqual(expect.arrayContaining(includes));
    if (includes.length === 0) expect(fields).toEqual([]);
  });

  it.each([
    {
      path: 'network.latencyMs',
      expected: { min: 0, max: 60_000, maxExclusive: false, integer: true },
    },
    { path: 'network.lossRate', expected: { min: 0, max: 1, maxExclusive: true, integer: false } },
    { path: 'backoff.factor', expected: { min: 1, max: 10, maxExclusive: false, integer: false } },
    {
      path: 'server.bufferLimit',
      expected: { min: 1, max: 10_000_000, maxExclusive: false, integer: true },
    },
  ])('the range of $path', ({ path, expected }) => {
    expect(rangeAt(ScenarioSchema, path)).toEqual(expected);
  });

  it('null is allowed where it removes a setting (a rate limit, a cap, the proxy in a change), and nowhere else', () => {
    const nullable = ['server.rateLimit', 'server.maxHeldRequests', 'interventions.0.set.proxy'];
    const notNullable = ['server.bufferLimit', 'proxy', 'server.rateLimit.burst', 'mode'];
    expect(nullable.filter((path) => !nullableAt(ScenarioSchema, path))).toEqual([]);
    expect(notNullable.filter((path) => nullableAt(ScenarioSchema, path))).toEqual([]);
  });

  it('a field the schema lacks is named in the error, and has no schema', () => {
    expect(schemaAt(ScenarioSchema, 'network.latency')).toBeUndefined();
    expect(() => rangeAt(ScenarioSchema, 'network.latency')).toThrow(
      'the scenario schema has no field network.latency',
    );
  });

  it('valueInForce: the value in force, or the default the schema fills in where it is absent', () => {
    const s = scenario({ server: { maxHeldRequests: null } });
    expect(valueInForce(s, 'proxy.idleTimeoutMs')).toBe(60_000);
    expect(valueInForce(scenario({ proxy: { idleTimeoutMs: 5 } }), 'proxy.idleTimeoutMs')).toBe(5);
    expect(valueInForce(s, 'server.rateLimit.burst')).toBe(5);
    expect(valueInForce(s, 'server.maxHeldRequests')).toBeUndefined();
  });
});
