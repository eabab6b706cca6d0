/** Every mode a client can be in, by its name in a scenario. */
import type { Mode, Scenario } from '../scenario';
import { longPolling } from './longPolling';
import type { ClientMode } from './mode';
import { polling } from './polling';
import { sse } from './sse';
import { websocket } from './websocket';

export type { ClientMode, StreamMode } from './mode';

export const CLIENT_MODES: Record<Mode, ClientMode> = {
  polling,
  'long-polling': longPolling,
  sse,
  websocket,
};

/** The mode in force in a configuration. */
export const modeOf = (c: Scenario): ClientMode => CLIENT_MODES[c.mode];
