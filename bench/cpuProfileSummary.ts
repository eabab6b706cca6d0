/**
 * Summarises a V8 CPU profile (.cpuprofile): self time grouped by where the code lives (xstate,
 * the scheduler, the trace, the simulation's environment, GC) and the functions with the most
 * self time. Positions in TypeScript files are mapped back through their source maps when the
 * profiled code was loaded in this process.
 */
import { findSourceMap } from 'node:module';

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** Where a frame's code lives. */
export function area(f: CallFrame): string {
  const u = f.url;
  if (f.functionName === '(garbage collector)') return 'GC';
  if (f.functionName === '(program)' || f.functionName === '(idle)') return f.functionName;
  if (u.includes('/node_modules/xstate/')) return 'xstate';
  const sim = /\/src\/sim\/(\w+)\.ts/.exec(u);
  if (sim) return `sim/${sim[1]}`;
  if (u.includes('/bench/')) return 'bench';
  if (u === '') return 'native';
  if (u.startsWith('node:')) return 'node';
  return 'other';
}

/** `file:line` in the original source where possible. */
function position(f: CallFrame): string {
  const file = f.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/');
  try {
    const entry = findSourceMap(f.url)?.findEntry(f.lineNumber, f.columnNumber);
    if (entry && 'originalLine' in entry) return `${file}:${entry.originalLine + 1}`;
  } catch {
    // No source map: fall back to the generated position.
  }
  return `${file}:${f.lineNumber + 1}`;
}

const label = (f: CallFrame) => `${f.functionName || '(anonymous)'}  ${f.url ? position(f) : ''}`;

export function summariseProfile(profile: CpuProfile, top = 25): string {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, k) => {
    const us = profile.timeDeltas[k] ?? 0;
    const f = frames.get(id)!;
    const key = label(f);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byArea.set(area(f), (byArea.get(area(f)) ?? 0) + us);
    totalUs += us;
    const onStack = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      onStack.add(label(frames.get(n)!));
    }
    for (const s of onStack) inclusive.set(s, (inclusive.get(s) ?? 0) + us);
  });
  const row = (us: number, label: string) =>
    `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${label}`;
  const sorted = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1]);
  return [
    `sampled ${(totalUs / 1000).toFixed(0)} ms`,
    '',
    'self time by area',
    ...sorted(byArea).map(([a, us]) => row(us, a)),
    '',
    `top ${top} functions by self time`,
    ...sorted(byFunction)
      .slice(0, top)
      .map(([key, us]) => row(us, key)),
    '',
    `top ${top} functions by total time (self and callees)`,
    ...sorted(inclusive)
      .filter(([key]) => !key.startsWith('(root)'))
      .slice(0, top)
      .map(([key, us]) => row(us, key)),
  ].join('\n');
}
