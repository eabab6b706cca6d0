/**
 * One run: a pure function of the scenario (its seed and interventions included). `simulate`
 * runs a `World` from start to end; the playground also runs one a piece at a time and resumes
 * it from checkpoints (see world.ts).
 */
import type { Scenario } from './scenario';
import { checkWork } from './work';
import { World, type Run } from './world';

export type { Run } from './world';

export interface SimulateOptions {
  /** Refuse scenarios estimated to make more trace events than this. */
  maxEvents?: number;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): Run {
  checkWork(scenario, options.maxEvents);
  const world = new World(scenario);
  world.runToEnd();
  return world.result();
}
