import { describe, expect, it } from 'vitest';
import { EMPTY_REMOVES, getPath, leafPaths, scenario } from '../../src/sim';
import {
  boxHint,
  FIELDS,
  fieldLabel,
  rangeHint,
  readField,
  schemaRange,
  shownValue,
} from '../../src/views/fields';

describe('fields: one label and unit per scenario field', () => {
  const labels: Record<string, string> = {
    longPollTimeoutMs: 'Long-poll timeout (s)',
    pollIntervalMs: 'Poll interval (s)',
    repollDelayMs: 'Re-poll delay (ms)',
    'network.lossRate': 'Loss (%)',
    'backoff.jitter': 'Backoff jitter (%)',
    'server.bufferLimit': 'Buffer limit (messages)',
    'sizes.messageBytes': 'Message size (bytes)',
    'server.batch': 'Server batching',
    mode: 'Mode',
    'sse.retryMs': 'Reconnect wait (s)',
    'sse.heartbeatMs': 'Heartbeat every (s)',
    'websocket.pingIntervalMs': 'Ping every (s)',
    'websocket.resume': 'Resume after a reconnect',
    // A field the table lacks still shows, as its path.
    'no.such.field': 'no.such.field',
  };
  it.each(Object.entries(labels))('%s → "%s"', (path, expected) => {
    expect(fieldLabel(path)).toBe(expected);
  });

  it('every field of a scenario has a label, and every label names a field of the schema', () => {
    const every = scenario({ proxy: {}, server: { bufferLimit: 10 } });
    // Lists such as faults are not fields.
    const paths = leafPaths(every).filter((p) => p !== 'name' && !Array.isArray(getPath(every, p)));
    expect(paths.filter((p) => !Object.hasOwn(FIELDS, p))).toEqual([]);
    for (const path of Object.keys(FIELDS)) expect(() => schemaRange(path), path).not.toThrow();
  });

  it('a field says what its empty box means exactly when an empty one removes a setting', () => {
    const saysEmpty = Object.entries(FIELDS).filter(([, f]) => 'empty' in f && f.empty);
    expect(saysEmpty.map(([path]) => path).sort()).toEqual(Object.keys(EMPTY_REMOVES).sort());
  });

  it('the mode has four choices, named as the switch shows them', () => {
    expect((FIELDS.mode.options ?? []).map((o) => o.label)).toEqual([
      'Polling',
      'Long polling',
      'Server-Sent Events',
      'WebSocket',
    ]);
  });

  it('a box hint leads with what the field does, then its range; a field without one shows the range', () => {
    expect(boxHint('sse.retryMs')).toBe(
      "the EventSource's retry time: Chromium 3 s, Firefox 5 s; 0–86,400 s",
    );
    expect(boxHint('pollIntervalMs')).toBe(rangeHint('pollIntervalMs'));
  });

  it.each([
    { path: 'longPollTimeoutMs', text: '45', stored: 45_000 },
    { path: 'longPollTimeoutMs', text: ' 0.5 ', stored: 500 },
    { path: 'backoff.jitter', text: '50', stored: 0.5 },
    { path: 'sizes.requestHeaderBytes', text: '100', stored: 100 },
  ])('reads "$text" for $path as $stored', ({ path, text, stored }) => {
    expect(readField(path, text)).toEqual({ ok: true, stored });
    expect(shownValue(path, stored)).toBe(text.trim());
  });

  it.each([
    {
      path: 'longPollTimeoutMs',
      text: '0',
      message: 'Long-poll timeout must be at least 0.001 s (allowed: 0.001–86,400 s)',
    },
    {
      path: 'server.bufferLimit',
      text: '2.5',
      message:
        'Buffer limit must be a whole number (allowed: 1–10,000,000 messages, or empty for unlimited)',
    },
    {
      path: 'backoff.factor',
      text: 'twice',
      message: 'Backoff factor must be a number (allowed: 1–10)',
    },
  ])('refuses "$text" for $path, naming the field and its range', ({ path, text, message }) => {
    expect(readField(path, text)).toEqual({ ok: false, message });
  });
});
