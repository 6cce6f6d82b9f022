/** The DataArts Factory simulator, for tests, benchmarks and local runs. */
export type { Fault } from './faults';
export { BIG_INSTANCE_ID, REFERENCE_INSTANCE_ID, SCENARIOS } from './scenarios';
export {
  type CallRecord,
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_PROJECT_ID,
  DEMO_SK,
  DEMO_TOKEN,
  DEMO_WORKSPACE,
  type RunningSimulator,
  Simulator,
  type SimulatorOptions,
  startSimulator,
} from './server';
export type { NodePlan } from './world';
