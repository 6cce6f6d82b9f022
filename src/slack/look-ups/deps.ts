/**
 * What the look-up thread's work needs, and nothing of the main thread's services: the look-up thread builds just
 * these (thread/worker.ts), the main thread passes its own when there is no such thread (local.ts).
 */
import type { DataArtsApi } from '../../dataarts/api';
import type { JobHistory } from '../../following/usual';
import type { Logger } from '../../logger';
import type { Publisher } from '../publisher';
import type { SlackWeb } from '../web';

export interface LookUpDeps {
  dataarts: DataArtsApi;
  /** Posts instance messages (new ones only: the main thread records what comes back). */
  publisher: Publisher;
  /** Uploads timelines, posts digests. */
  web: SlackWeb;
  clock: () => number;
  /** "Open in console" link template ({job}, {instance}, {workspace}); no button without it. */
  consoleUrl?: string;
  /** DLF_OPERATORS is set: instance messages show Stop / Rerun. */
  operable?: boolean;
  /** Log excerpts are on: failed nodes get a **Log** button. */
  logButtons?: boolean;
  logger: Logger;
  /** IANA zone of the times on pictures and of digests (DLF_TIMEZONE). */
  timeZone: string;
  /** Each job's recent runs, for "slower than usual" (none without it). */
  history?: JobHistory;
  /** Timelines drawn at once (DLF_TIMELINES_AT_ONCE; 1 without it). */
  timelinesAtOnce?: number;
}
