/**
 * The simulator's defaults: the docs' project id, a workspace, and public, fake credentials (never real
 * ones) for local runs, docs and tests. Printing them is fine.
 */
import type { IamUser } from './iam';

/** The project id of the docs' examples. */
export const DEMO_PROJECT_ID = 'b384b9e9ab9b4ee8994c8633aabc9505';
/** The project's name, i.e. its region, for an IAM scope by name. */
export const DEMO_PROJECT_NAME = 'eu-de';
/** The workspace of the docs' header example; the default workspace. */
export const DEMO_WORKSPACE = 'd1cd7861478748a6925bc02f47c69279';
export const DEMO_AK = 'SIMULATORACCESSKEY01';
export const DEMO_SK = 'simulator-secret-key-not-a-real-one-000001';
export const DEMO_TOKEN = 'simulator-static-token';
export const DEMO_IAM_USER: IamUser = {
  domain: 'demo_account',
  name: 'dlf_bot',
  password: 'simulator-password',
};
/** The busy workspace (SimulatorOptions.busy): hundreds of scheduled jobs, thousands of instances a day. */
export const BUSY_WORKSPACE = '5e1f0b2a9c8d4e7fb3a6c0d9e8f7a1b2';
