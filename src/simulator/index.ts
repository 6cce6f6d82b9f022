/** The DataArts Factory simulator, for tests, benchmarks and local runs. */

export type { BusyOptions } from './busy';
export {
  BUSY_WORKSPACE,
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_PROJECT_ID,
  DEMO_PROJECT_NAME,
  DEMO_SK,
  DEMO_TOKEN,
  DEMO_WORKSPACE,
} from './demo';
export type { Fault, FaultTarget } from './faults';
export type { IamUser } from './iam';
export type { ListOffset, ListOrder } from './lists';
export type { NodePlan, OverrideStatus, RawInstance, RawNode, TerminalStatus } from './run';
export {
  BIG_1000_INSTANCE_ID,
  BIG_5000_INSTANCE_ID,
  BIG_INSTANCE_ID,
  REFERENCE_EARLIER_INSTANCE_ID,
  REFERENCE_INSTANCE_ID,
  SCENARIO_NOTES,
  SCENARIOS,
  UNICODE_INSTANCE_ID,
} from './scenarios';
export {
  type CallRecord,
  type RunningSimulator,
  Simulator,
  type SimulatorOptions,
  type StartRunOptions,
  startSimulator,
  type WorkspaceStats,
} from './simulator';
