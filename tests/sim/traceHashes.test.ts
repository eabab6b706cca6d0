/**
 * Behaviour kept: a hash of the whole trace of every example scenario and of every lesson step's
 * run, recorded before the world was restructured. A change that is meant to alter runs lists
 * each altered trace in `CHANGED` with the reason, so the test says which traces changed and why.
 *
 * To record new hashes after an intended change: `UPDATE_TRACE_HASHES=1 npx vitest run
 * tests/sim/traceHashes.test.ts`, then explain every changed name in `CHANGED`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../src/lessons';
import { parseScenario, simulate, type Scenario } from '../../src/sim';
import { lessonSources, root, scenarioFiles } from '../lessons/loadLessons';

const HASHES_FILE = path.join(root, 'tests/sim/traceHashes.json');

/** Traces an intended change altered: name → the hash before, the hash now, and why. */
const BURST_ATOMIC =
  'a burst is atomic: a message published in the same millisecond as an arrival now enters the ' +
  'log before the arrival is seen (publications run before arrivals at one instant), so a ' +
  're-request or a response that arrives in the instant of a publication sees it';
const CHANGED: Record<string, { before: string; now: string; why: string }> = {
  'scenario collaborative-document': {
    before: '102797:81bec5a1ce31af1d',
    now: '102772:33500d2ca8680ab1',
    why: BURST_ATOMIC,
  },
  'lesson 09-applications step 2': {
    before: '22656:a5d923a62e63119f',
    now: '22656:a97ae577d0dedefb',
    why: BURST_ATOMIC,
  },
  'lesson 09-applications step 5': {
    before: '20404:6d6e401044f33b21',
    now: '20404:b7022217011d5dcc',
    why: BURST_ATOMIC,
  },
  'lesson 11-the-activity step 3': {
    before: '2679:ce95d660294d1839',
    now: '2679:055a6fb3c6105de1',
    why: BURST_ATOMIC,
  },
};

function traceHash(scenario: Scenario): string {
  const { trace } = simulate(scenario);
  const h = createHash('sha256');
  const n = trace.length;
  for (const column of [
    trace.time,
    trace.kind,
    trace.status,
    trace.client,
    trace.request,
    trace.a,
    trace.b,
  ]) {
    h.update(new Uint8Array(column.buffer, 0, n * column.BYTES_PER_ELEMENT));
  }
  return `${n}:${h.digest('hex').slice(0, 16)}`;
}

function runsToHash(): [string, Scenario][] {
  const scenarios = scenarioFiles();
  const runs: [string, Scenario][] = [];
  for (const [name, json] of Object.entries(scenarios)) {
    const parsed = parseScenario(json);
    if (!parsed.ok) throw new Error(`scenario ${name}: ${parsed.message}`);
    runs.push([`scenario ${name}`, parsed.scenario]);
  }
  for (const { id, source } of lessonSources()) {
    const lesson = parseLesson(id, source, scenarios);
    for (const step of lesson.steps) runs.push([`lesson ${id} step ${step.number}`, step.scenario]);
  }
  return runs;
}

describe('behaviour kept: every example and lesson run has the trace it had', () => {
  const runs = runsToHash();
  const recorded: Record<string, string> = existsSync(HASHES_FILE)
    ? JSON.parse(readFileSync(HASHES_FILE, 'utf8'))
    : {};
  const now: Record<string, string> = {};

  it('every run is recorded, and nothing recorded has gone', () => {
    expect(Object.keys(recorded).sort()).toEqual(runs.map(([name]) => name).sort());
  });

  for (const [name, scenario] of runs) {
    it(name, { timeout: 60_000 }, () => {
      now[name] = traceHash(scenario);
      const changed = CHANGED[name];
      if (changed) {
        expect(recorded[name], `${name}: the hash before the change`).toBe(changed.before);
        expect(now[name], `${name}: changed on purpose (${changed.why})`).toBe(changed.now);
      } else {
        expect(now[name], `${name}: the trace changed`).toBe(recorded[name]);
      }
    });
  }

  if (process.env.UPDATE_TRACE_HASHES) {
    it('records the hashes', () => {
      // A change named in CHANGED keeps its hash from before, which the test checks it against.
      const kept = Object.fromEntries(
        Object.entries(now).map(([name, hash]) => [name, CHANGED[name]?.before ?? hash]),
      );
      writeFileSync(HASHES_FILE, JSON.stringify(kept, null, 2) + '\n');
    });
  }
});
