/**
 * Runs one polling crowd in a process of its own, so that its peak resident memory is its own:
 * `node --expose-gc --import tsx bench/peakMemory.ts <clients> [minutes]`. Prints one JSON line
 * (`MemoryReport`) on stdout.
 */
import { getHeapStatistics } from 'node:v8';
import { simulate } from '../src/sim/index.ts';
import { pollingCrowd } from './cases.ts';

export interface MemoryReport {
  clients: number;
  minutes: number;
  events: number;
  wallMs: number;
  traceBytes: number;
  /** Peak resident set size of the process (ru_maxrss). */
  maxRssBytes: number;
  /** V8's committed heap when the run ends; V8 rarely gives pages back mid-run, so about its peak. */
  heapTotalBytes: number;
  heapUsedBytes: number;
  /** Typed-array memory (the trace's columns live here, outside the V8 heap). */
  arrayBuffersBytes: number;
  /** Heap still used after a full GC with the run's result alive. */
  retainedHeapBytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const clients = Number(process.argv[2] ?? 10_000);
const minutes = Number(process.argv[3] ?? 10);

// Warm up the JIT on a small crowd so the timed run is comparable with in-process runs.
simulate(pollingCrowd(100, 2));
gc();

const t0 = performance.now();
const run = simulate(pollingCrowd(clients, minutes));
const wallMs = performance.now() - t0;
const mem = process.memoryUsage();
const heapTotalBytes = getHeapStatistics().total_heap_size;
gc();
const report: MemoryReport = {
  clients,
  minutes,
  events: run.trace.length,
  wallMs,
  traceBytes: run.trace.byteLength,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  heapTotalBytes,
  heapUsedBytes: mem.heapUsed,
  arrayBuffersBytes: mem.arrayBuffers,
  retainedHeapBytes: process.memoryUsage().heapUsed,
};
process.stdout.write(JSON.stringify(report) + '\n');
