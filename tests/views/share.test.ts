import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { parseScenario, scenario, type ScenarioInput } from '../../src/sim';
import {
  decodeShare,
  encodeShare,
  MAX_SHARE_PARAM_CHARS,
  readShareFromUrl,
  shareUrl,
} from '../../src/views/share';

const pack = (x: unknown) => LZString.compressToEncodedURIComponent(JSON.stringify(x));

const roundTrips: { name: string; input: ScenarioInput }[] = [
  { name: 'all defaults', input: {} },
  { name: 'named chat room', input: { name: 'Chat room' } },
  {
    name: 'long polling with changed network, server and proxy',
    input: {
      mode: 'long-polling',
      longPollTimeoutMs: 55_000,
      network: { latencyMs: 120, lossRate: 0.05 },
      server: { batch: false, bufferLimit: 10 },
      proxy: { idleTimeoutMs: 30_000 },
    },
  },
  {
    name: 'another workload, faults and interventions',
    input: {
      clients: 50,
      seed: 7,
      messages: { bursts: { everyMs: 5000, size: 10, spreadMs: 200 } },
      faults: [{ atMs: 20_000, kind: 'server-restart' }],
      interventions: [{ atMs: 10_000, set: { mode: 'long-polling', network: { jitterMs: 30 } } }],
    },
  },
  { name: 'a scripted workload', input: { messages: { script: [100, 2000, 2500] } } },
  {
    name: 'server limits: a rate limit with its default burst, a cap removed by null',
    input: { server: { rateLimit: { requestsPerMin: 30 }, maxHeldRequests: null } },
  },
  { name: 'a regular workload in place of the default', input: { messages: { everyMs: 750 } } },
];

describe('share links', () => {
  it.each(roundTrips)('share: round trip keeps the scenario ($name)', ({ input }) => {
    const original = scenario(input);
    const expected = structuredClone(original);

    const decoded = decodeShare(encodeShare(original));

    expect(decoded).toEqual({ ok: true, scenario: expected });
  });

  it('share: only fields that differ from the defaults travel', () => {
    const encoded = encodeShare(scenario({ network: { latencyMs: 120 }, mode: 'long-polling' }));

    expect(JSON.parse(LZString.decompressFromEncodedURIComponent(encoded))).toEqual({
      mode: 'long-polling',
      network: { latencyMs: 120 },
    });
  });

  it('share: the default scenario makes a short link', () => {
    expect(encodeShare(scenario({})).length).toBeLessThan(10);
  });

  const good = encodeShare(scenario({ mode: 'long-polling', network: { latencyMs: 120 } }));
  const refusals: { name: string; param: string; message: RegExp }[] = [
    { name: 'empty', param: '', message: /could not be decompressed/ },
    { name: 'not lz-string at all', param: '%%%', message: /damaged/ },
    { name: 'truncated to half', param: good.slice(0, good.length / 2), message: /damaged/ },
    { name: 'first character flipped', param: 'A' + good.slice(1), message: /damaged|invalid/ },
    {
      name: 'last characters flipped',
      param: good.slice(0, -2) + (good.endsWith('zz') ? 'yy' : 'zz'),
      message: /damaged|invalid/,
    },
    {
      name: 'oversized parameter',
      param: 'A'.repeat(MAX_SHARE_PARAM_CHARS + 1),
      message: /too long \(8,193 characters; the limit is 8,192\)/,
    },
    {
      name: 'decompresses to more than 64 KB',
      param: pack({ name: 'x'.repeat(70_000) }),
      message: /holds too much/,
    },
    {
      name: 'not JSON',
      param: LZString.compressToEncodedURIComponent('{mode:'),
      message: /not valid JSON/,
    },
    { name: 'a list', param: pack([1, 2]), message: /invalid: scenario: expected a JSON object/ },
    {
      name: 'an unknown field',
      param: pack({ pollIntervalSeconds: 2 }),
      message: /invalid: unknown field "pollIntervalSeconds"/,
    },
    {
      name: 'a value out of range',
      param: pack({ network: { latencyMs: -5 } }),
      message: /network\.latencyMs: expected at least 0 \(milliseconds\) \(got -5\)/,
    },
    {
      name: 'too much work for a browser',
      param: pack({ clients: 10_000, pollIntervalMs: 1, durationMs: 3_600_000 }),
      message: /too large for a browser: this scenario would make about/,
    },
  ];

  it.each(refusals)('share: refuses a parameter that is $name', ({ param, message }) => {
    const result = decodeShare(param);

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('share: no single flipped character makes decoding throw or yield an invalid scenario', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
    for (let i = 0; i < good.length; i++) {
      const other = alphabet[(alphabet.indexOf(good[i]) + 17) % alphabet.length];
      const result = decodeShare(good.slice(0, i) + other + good.slice(i + 1));
      if (result.ok) expect(parseScenario(result.scenario).ok).toBe(true);
      else expect(result.message).toMatch(/^The (share link|shared scenario) /);
    }
  });

  it('share: a link keeps its other parameters and reads back', () => {
    const original = scenario({ mode: 'long-polling', clients: 3 });
    const url = shareUrl('https://example.org/play/?lesson=2#top', original);

    expect(url).toMatch(/^https:\/\/example\.org\/play\/\?lesson=2&s=[^#]+#top$/);
    expect(readShareFromUrl(url)).toEqual({ ok: true, scenario: structuredClone(original) });
  });

  it.each([
    { url: 'https://example.org/', expected: null },
    { url: 'https://example.org/?lesson=2', expected: null },
  ])('share: an address without ?s= shares nothing ($url)', ({ url, expected }) => {
    expect(readShareFromUrl(url)).toBe(expected);
  });

  it('share: a "+" turned into a space by a mail client still decodes', () => {
    const original = scenario({ name: 'a', messages: { everyMs: 1234 } });
    const encoded = encodeShare(original);
    expect(encoded).toContain('+');
    const spaced = encoded.replaceAll('+', ' ');

    expect(decodeShare(spaced)).toEqual({ ok: true, scenario: structuredClone(original) });
  });
});
