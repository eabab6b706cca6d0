/** The simulation's public face: pure TypeScript, the same in Node and in the browser. */
export {
  parseScenario,
  scenario,
  defaultScenario,
  applySet,
  configAt,
  mergeScenario,
  changeAt,
  valueInForce,
  replacedWhole,
  EMPTY_REMOVES,
  DEFAULT_RATE_BURST,
  type InterventionSet,
  ScenarioSchema,
  type Scenario,
  type ScenarioInput,
  type ParseResult,
  type Mode,
} from './scenario';
export { getPath, setPath, mergePatch, leafPaths, diffPatch, patchAt, isRecord } from './paths';
export { schemaAt, fieldsAt, defaultAt, nullableAt, rangeAt, type Range } from './schemaWalk';
export { simulate, type Run, type SimulateOptions } from './simulate';
export { World, resumeProblem, type Checkpoint } from './world';
export { Workload } from './workload';
export {
  computeMetrics,
  metricsAt,
  MetricsAccumulator,
  type Metrics,
  type LatencySummary,
} from './metrics';
export {
  METRICS,
  METRIC_GROUPS,
  METRIC_NAMES,
  UNIT_FORMAT,
  metricDef,
  metricValue,
  formatMetric,
  labelInGroup,
  type MetricDef,
  type MetricGroup,
  type Unit,
} from './catalogue';
export {
  binTrace,
  chooseBinMs,
  heldAfter,
  isWastedRoundTrip,
  perSecondOver,
  type TraceBins,
} from './bins';
export {
  Trace,
  EventKind,
  EVENT_NAMES,
  ResponseStatus,
  STATUS_NAMES,
  isOkStatus,
  endsHold,
  type TraceEvent,
  type EventName,
} from './trace';
export { estimateEvents, checkWork, WorkTooLargeError, MAX_TRACE_EVENTS } from './work';
export { Rng } from './rng';
export {
  pollingTheory,
  longPollingTheory,
  crossoverRatePerMin,
  streamTheory,
  streamTheoryInput,
  meanMessageFrameBytes,
  modesTheory,
  type PollingTheory,
  type LongPollingTheory,
  type StreamTheory,
  type StreamTheoryInput,
  type ModeTheory,
} from './theory';
