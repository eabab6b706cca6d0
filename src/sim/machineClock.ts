/**
 * The seam between xstate and the simulation's clock. Every machine of a run joins one actor
 * system (the server is its root, each client its child), and that system's scheduler of delayed
 * events is this one: an `after` delay or a delayed `raise` becomes a task in the world's
 * scheduler, in virtual milliseconds, described as plain data (which machine, which event, its
 * id), so a checkpoint can copy it and a resumed world can run it.
 *
 * xstate's own scheduler keeps every machine's pending events in two system-wide objects keyed
 * by a string it builds per event, and notes each one's wall-clock start: with a thousand clients
 * those are hash tables of thousands of entries, touched three times per request. This one keeps
 * each machine's pending events by id (`MachineTimers`). What it does is xstate's: an event fires
 * once, unless cancelled first; a stopped machine's events are cancelled.
 */
import type { AnyActorRef } from 'xstate';
import { MachineTimers } from './machineTimers';
import { Priority, type Scheduler } from './scheduler';
import { TaskKind, type Task, type TimerTask } from './worldState';

type SystemScheduler = AnyActorRef['system']['scheduler'];

/**
 * The clock xstate is given. Nothing should use it, since the system's scheduler is replaced
 * before any machine starts: if xstate ever did, the run would silently depend on real time.
 */
export const refusingClock = {
  setTimeout(): never {
    throw new Error('world: xstate used its clock directly, not the simulation scheduler');
  },
  clearTimeout(): never {
    throw new Error('world: xstate used its clock directly, not the simulation scheduler');
  },
};

export class MachineClock {
  private timers: MachineTimers;
  /** Each machine's index: a client's, or -1 for the server. */
  private indexOf = new Map<AnyActorRef, number>();

  constructor(
    private readonly sched: Scheduler<Task>,
    clients: number,
    /** The machine at an index (a client's, or -1 for the server). */
    private readonly machine: (index: number) => AnyActorRef,
  ) {
    this.timers = new MachineTimers(clients);
  }

  /** Makes an actor known by its index, and the root's system schedule on the simulation clock. */
  register(actor: AnyActorRef, index: number): void {
    this.indexOf.set(actor, index);
    if (index < 0) actor.system.scheduler = this.scheduler();
  }

  /** Runs a machine's delayed event that is due: it goes to its machine, no longer pending. */
  fire(t: TimerTask): void {
    this.timers.delete(t.actor, t.id);
    this.machine(t.actor).send(t.event);
  }

  /**
   * After a world is restored from a checkpoint, its queue already holds the machines' delayed
   * events (as data); this notes each one as pending again, so a machine can still cancel it.
   */
  restore(): void {
    this.sched.forEachPending((_slot, _timeMs, handle, t) => {
      if (t.kind === TaskKind.timer) this.timers.set(t.actor, t.id, handle);
    });
  }

  private scheduler(): SystemScheduler {
    const timers = this.timers;
    const index = (actor: AnyActorRef) => this.indexOf.get(actor) ?? -1;
    return {
      schedule: (source, target, event, delay, id) => {
        // Every delayed event the machines raise is named (an `after` is named by xstate).
        if (id === undefined) throw new Error(`world: the delayed event ${event.type} has no id`);
        // Only a machine's own delayed events (`after`, and `raise` with a delay) are supported.
        if (source !== target) throw new Error(`world: ${event.type} is sent to another actor`);
        const actor = index(source);
        const t: TimerTask = { kind: TaskKind.timer, actor, event, id };
        timers.set(actor, id, this.sched.after(delay, t, Priority.timer));
      },
      cancel: (source, id) => {
        const actor = index(source);
        const handle = timers.get(actor, id);
        if (handle === undefined) return;
        timers.delete(actor, id);
        this.sched.cancel(handle);
      },
      cancelAll: (source) => {
        for (const handle of timers.clear(index(source))) this.sched.cancel(handle);
      },
    };
  }
}
