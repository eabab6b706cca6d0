/**
 * Profiles one benchmark case in this process, after a warm-up, so that only the simulation is
 * sampled (not tsx's start-up):
 * `node --import tsx bench/profile.ts [clients] [minutes] [out.cpuprofile]`.
 * Defaults to case (b), 1,000 clients polling every 5 s for 10 minutes. Prints a summary, and
 * keeps the full profile for Chrome DevTools or speedscope.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { simulate } from '../src/sim/index.ts';
import { pollingCrowd } from './cases.ts';
import { summariseProfile, type CpuProfile } from './cpuProfileSummary.ts';

const clients = Number(process.argv[2] ?? 1000);
const minutes = Number(process.argv[3] ?? 10);
const out = process.argv[4] ?? '.tmp/sim.cpuprofile';

simulate(pollingCrowd(100, 2));

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const t0 = performance.now();
const run = simulate(pollingCrowd(clients, minutes));
const wallMs = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
session.disconnect();

writeFileSync(out, JSON.stringify(profile));
console.log(
  `${clients} clients × ${minutes} min: ${run.trace.length.toLocaleString('en-US')} events in ` +
    `${(wallMs / 1000).toFixed(1)} s (profiled); profile written to ${out}\n`,
);
console.log(summariseProfile(profile as CpuProfile, 30));
