/** The benchmark's scenarios, shared by the bench, its memory child process and the profiler. */
import { scenario, type Scenario } from '../src/sim/index.ts';

const MINUTE_MS = 60_000;

/** A chat room: a message every ten seconds on average. */
const chat = { poisson: { ratePerMin: 6 } };

/** (a) One client long-polling a chat room for an hour. */
export const longPollingHour = (): Scenario =>
  scenario({ clients: 1, mode: 'long-polling', durationMs: 60 * MINUTE_MS, messages: chat });

/** (b), (c), (d) Clients polling every 5 s for `minutes`, their starts spread over one interval. */
export const pollingCrowd = (clients: number, minutes = 10): Scenario =>
  scenario({
    clients,
    mode: 'polling',
    durationMs: minutes * MINUTE_MS,
    pollIntervalMs: 5000,
    clientStartSpreadMs: 5000,
    messages: chat,
  });
