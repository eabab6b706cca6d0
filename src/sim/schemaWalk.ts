/**
 * A walk over a valibot schema by dotted path, for what the schema says about one field: the
 * fields an object accepts ("did you mean"), a number's range, its default, whether `null` is
 * allowed. Views read defaults and ranges here rather than copying them.
 */
import * as v from 'valibot';
import { pathKeys } from './paths';

/** A schema as valibot builds it, seen only for the parts this walk reads. */
interface SchemaNode {
  kind?: string;
  type?: string;
  wrapped?: SchemaNode;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  pipe?: SchemaNode[];
  requirement?: unknown;
}

const WRAPPERS = new Set(['optional', 'nullable', 'nullish', 'exact_optional', 'undefinedable']);

/** The schema inside optional and nullable wrappers. */
function bare(node: SchemaNode): SchemaNode {
  return node.wrapped && WRAPPERS.has(node.type ?? '') ? bare(node.wrapped) : node;
}

/** The object or list schema inside wrappers and pipes, if there is one. */
function container(node: SchemaNode): SchemaNode | undefined {
  const n = bare(node);
  if (n.entries || n.item) return n;
  for (const step of n.pipe ?? []) {
    const found = step === n || step.kind !== 'schema' ? undefined : container(step);
    if (found) return found;
  }
  return undefined;
}

/**
 * The schema of the field at a path, as the parent declares it (with its optional wrapper and
 * default), or undefined when the schema has no such field. Any key of a list reads its item:
 * "faults.0.downMs".
 */
export function schemaAt(
  root: v.GenericSchema,
  path: string | readonly (string | number)[],
): SchemaNode | undefined {
  let node: SchemaNode | undefined = root as unknown as SchemaNode;
  for (const key of typeof path === 'string' ? pathKeys(path) : path) {
    const c: SchemaNode | undefined = container(node);
    node = c?.item ?? c?.entries?.[String(key)];
    if (!node) return undefined;
  }
  return node;
}

/** The fields the object at a path accepts (none where there is no object). */
export function fieldsAt(
  root: v.GenericSchema,
  path: string | readonly (string | number)[],
): string[] {
  const node = schemaAt(root, path);
  return Object.keys((node && container(node)?.entries) ?? {});
}

function required(root: v.GenericSchema, path: string): SchemaNode {
  const node = schemaAt(root, path);
  if (!node) throw new Error(`the scenario schema has no field ${path}`);
  return node;
}

/**
 * What the schema fills in for a field left out: `proxy.idleTimeoutMs` → 60,000, even where its
 * parent (the proxy) is absent; undefined for a field without a default.
 */
export function defaultAt(root: v.GenericSchema, path: string): unknown {
  return v.getDefault(required(root, path) as unknown as v.GenericSchema);
}

/** Whether a field may be `null` (which removes a setting in a change). */
export function nullableAt(root: v.GenericSchema, path: string): boolean {
  for (let n: SchemaNode | undefined = required(root, path); n; n = n.wrapped) {
    if (n.type === 'nullable' || n.type === 'nullish') return true;
  }
  return false;
}

export interface Range {
  min: number;
  max: number;
  /** The maximum itself is not allowed (a loss rate below 1). */
  maxExclusive: boolean;
  integer: boolean;
}

/** A number field's range as the schema states it: `network.latencyMs` → 0–60,000, whole. */
export function rangeAt(root: v.GenericSchema, path: string): Range {
  const range: Range = { min: -Infinity, max: Infinity, maxExclusive: false, integer: false };
  for (const action of bare(required(root, path)).pipe ?? []) {
    const value = action.requirement as number;
    switch (action.type) {
      case 'min_value':
        range.min = value;
        break;
      case 'max_value':
        range.max = value;
        break;
      case 'lt_value':
        range.max = value;
        range.maxExclusive = true;
        break;
      case 'integer':
        range.integer = true;
        break;
    }
  }
  return range;
}
