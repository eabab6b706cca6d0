import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioSchema } from '../src/sim/index';

/** docs/scenarios.md's "Fields" table, one row per field: field → [unit, range, default]. */
function tableRows(): Map<string, string[]> {
  const page = readFileSync(resolve(import.meta.dirname, '../docs/scenarios.md'), 'utf8');
  const section = page.split('\n## Fields\n')[1]?.split('\n## ')[0];
  if (section === undefined) throw new Error('docs/scenarios.md has no "## Fields" section');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  // A field listed twice would hide one of its rows from the checks below.
  const fieldNames = rows.map(([, field]) => field);
  const repeated = fieldNames.filter((f, i) => fieldNames.indexOf(f) !== i);
  if (repeated.length > 0) throw new Error(`docs/scenarios.md lists twice: ${repeated.join(', ')}`);
  return new Map(
    rows.map(([, field, unit, range, dflt]) => [field.replaceAll('`', ''), [unit, range, dflt]]),
  );
}

/** Just enough of valibot's schema objects to walk them. */
interface Node {
  kind: string;
  type: string;
  wrapped?: Node;
  pipe?: Node[];
  entries?: Record<string, Node>;
  item?: Node;
  options?: unknown[];
}

/** The schema under optional, nullable and pipe wrappers. */
function inner(s: Node): Node {
  if (s.wrapped) return inner(s.wrapped);
  if (s.pipe) return inner(s.pipe.findLast((a) => a.kind === 'schema')!);
  return s;
}

/** Its fields are the top-level ones, listed in the prose below the table. */
const listedInProse = new Set(['interventions[].set']);

/** Every field the schema accepts, at any depth: `network.latencyMs`, `faults[].atMs`. */
function fields(s: Node, prefix = ''): { path: string; schema: Node; leaf: boolean }[] {
  return Object.entries(inner(s).entries!).flatMap(([key, schema]) => {
    const path = prefix + key;
    const x = inner(schema);
    const element = x.type === 'array' && inner(x.item!).entries ? '[]' : '';
    const children = listedInProse.has(path) ? undefined : element ? x.item : x.entries && x;
    const here = { path, schema, leaf: !children };
    return children ? [here, ...fields(children, `${path}${element}.`)] : [here];
  });
}

const schemaFields = fields(ScenarioSchema as unknown as Node);
const rows = tableRows();

/** Values a field needs beside it: a fault without a kind is refused whatever its atMs. */
const around: Record<string, object> = {
  'server.rateLimit': { requestsPerMin: 60 },
  'faults[]': { atMs: 0, kind: 'server-restart' },
  'messages.bursts': { everyMs: 1000, size: 5 },
  'interventions[]': { atMs: 0, set: {} },
};

/** A scenario with `value` at `path` (`faults[].atMs` → `{ faults: [{ atMs: value, … }] }`). */
function withValue(path: string, value: unknown): unknown {
  const keys = path.split('.');
  let result = value;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i].replace('[]', '');
    result = {
      ...around[keys.slice(0, i).join('.')],
      [key]: keys[i].endsWith('[]') ? [result] : result,
    };
  }
  return result;
}

const number = (s: string) => Number(s.replaceAll(',', ''));
/** "1 – 86,400,000 (24 h)", "0 ≤ x < 1", or a bound set by another field: "0 – `maxMs`". */
const rangePattern = /^(?:([\d,.]+)|`\w+`) (–|≤ x <) (?:([\d,.]+)|`\w+`)/;

describe('docs/scenarios.md: the field table agrees with the schema in src/sim/scenario.ts', () => {
  it('has a row for every field the schema accepts, and no row for a field it does not', () => {
    const leaves = schemaFields.filter((f) => f.leaf).map((f) => f.path);
    expect(leaves.filter((path) => !rows.has(path))).toEqual([]);
    const known = new Set(schemaFields.map((f) => f.path));
    expect([...rows.keys()].filter((field) => !known.has(field))).toEqual([]);
  });

  for (const { path, schema, leaf } of schemaFields.filter((f) => rows.has(f.path))) {
    const [, range, dflt] = rows.get(path)!;

    it(`${path}: the default is the schema's (${dflt})`, () => {
      const literal = dflt.match(/^`([^`]+)`/)?.[1];
      expect(literal === undefined ? undefined : JSON.parse(literal)).toEqual(
        v.getDefault(schema as unknown as v.GenericSchema),
      );
    });

    const x = inner(schema);
    const isList = x.type === 'array';
    const type = inner(isList ? x.item! : x).type;
    if (!leaf || (type !== 'number' && type !== 'picklist')) continue;

    it(`${path}: the range is what the schema accepts (${range})`, () => {
      const accepts = (value: unknown) =>
        parseScenario(withValue(path, isList ? [value] : value)).ok;
      if (type === 'picklist') {
        const listed = [...range.matchAll(/`([^`]+)`/g)].map((m) => JSON.parse(m[1]));
        expect(listed).toEqual(inner(isList ? x.item! : x).options);
        return;
      }
      const match = range.match(rangePattern);
      expect(match, 'a range "a – b" or "a ≤ x < b"').not.toBeNull();
      const [, low, op, high] = match!;
      // Both steps: an integer field refuses a fraction anyway, a fraction field only the tiny step.
      for (const step of [1, 0.001]) {
        if (low !== undefined) {
          expect(accepts(number(low))).toBe(true);
          expect(accepts(number(low) - step)).toBe(false);
        }
        if (high === undefined) continue;
        if (op === '–') {
          expect(accepts(number(high))).toBe(true);
          expect(accepts(number(high) + step)).toBe(false);
        } else {
          expect(accepts(number(high) - 0.001)).toBe(true);
          expect(accepts(number(high))).toBe(false);
        }
      }
    });
  }
});
