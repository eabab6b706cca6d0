/**
 * The client side of a mode: what its requests ask for and when the next one goes. The client
 * machine (clientMachine.ts), the server's rules and the work estimate (work.ts) ask the mode in
 * force, never test its name, so a new mode is one module here, registered in `index.ts`.
 */
import type { Scenario } from '../scenario';

export interface ClientMode {
  /**
   * Whether its requests are long polls: the server holds one until it has something new or the
   * hold ends (so the hold's cap and the proxy's idle timeout concern it), rather than answering
   * at once.
   */
  readonly longPoll: boolean;
  /** Whether a fixed timer sends the requests (one each tick), rather than each answer's end. */
  fixedTimer(c: Scenario): boolean;
  /** Whether the next request goes the moment an answer arrives. */
  repollsAtOnce(c: Scenario): boolean;
  /** How long the client waits for an answer before it gives up. */
  requestTimeoutMs(c: Scenario): number;
  /** The wait from an answer to the next request. */
  nextRequestMs(c: Scenario): number;
  /** For the work estimate: at most how many requests a client sends in a run without failures. */
  usualRequests(c: Scenario, durationMs: number, messages: number): number;
  /** For the work estimate: at most how many trace events one request makes. */
  readonly eventsPerRequest: number;
}
