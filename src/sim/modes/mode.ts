/**
 * The client side of a mode: what its requests ask for and when the next one goes. The client
 * machine (clientMachine.ts), the server's rules and the work estimate (work.ts) ask the mode in
 * force, never test its name, so a new mode is one module here, registered in `index.ts`.
 */
import type { Scenario } from '../scenario';
import type { RequestKind } from '../trace';

export interface ClientMode {
  /**
   * Whether its requests are long polls: the server holds one until it has something new or the
   * hold ends (so the hold's cap and the proxy's idle timeout concern it), rather than answering
   * at once.
   */
  readonly longPoll: boolean;
  /** What its requests ask for (`RequestKind`). */
  readonly requestKind: RequestKind;
  /** Its stream or socket, when its request opens one that stays open (SSE, WebSocket). */
  readonly stream?: StreamMode;
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
  /** For the work estimate: at most how many trace events one message makes for one client. */
  readonly eventsPerMessage: number;
  /** For the work estimate: events a client makes besides requests and messages (heartbeats). */
  otherEvents(c: Scenario, durationMs: number): number;
}

/** How a mode's stream or socket behaves. */
export interface StreamMode {
  /** The wait after the stream ends before the client opens another; undefined: it backs off. */
  retryMs(c: Scenario): number | undefined;
  /**
   * After an error answer to its opening request: undefined, it backs off and tries again; null,
   * it never does (an EventSource closes for good); a number, it waits that long first.
   */
  reopenAfterErrorMs(c: Scenario): number | null | undefined;
  /** How often the server sends a heartbeat on it (0: never). */
  heartbeatMs(c: Scenario): number;
  /** Whether a new stream starts from the client's cursor (the server replays from its log). */
  resumes(c: Scenario): boolean;
}
