/** Look-ups on this thread (tests on the TypeScript sources, DLF_LOOKUP_THREAD=false): the same calls, no thread. */
import { type Looker, lookerThrough, lookUpCalls, runLookUp } from './calls';
import type { LookUpDeps } from './deps';

export function localLooker(deps: LookUpDeps): Looker {
  const calls = lookUpCalls(deps);
  return lookerThrough((call) => runLookUp(calls, call));
}
