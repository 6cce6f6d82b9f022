/**
 * What every listener is given: the injected clients, stores and settings, nothing global. The service files
 * (operate.ts, unfurl.ts, digest.ts…) take this bag, so what it holds of theirs is declared here or in files
 * that do not import it: imports go one way.
 */

import type { FairShare } from '../../access/limits';
import type { OperatorRules } from '../../access/operators';
import type { AccessPolicy } from '../../access/policy';
import type { DataArtsApi } from '../../dataarts/api';
import type { Following } from '../../following/service';
import type { JobHistory } from '../../following/usual';
import type { Logger } from '../../logger';
import type { LogExcerpts } from '../../logs/excerpts';
import type { DeliveryLog } from '../deliveries';
import type { Looker } from '../look-ups/calls';
import type { MessageRecords } from '../message-records';
import type { OperationMarks } from '../operation-marks';
import type { PictureLinks } from '../pictures-route';
import type { Publisher } from '../publisher';
import type { SlackWeb } from '../web';
import type { Digests } from './digest';
import type { UserGroups } from './user-groups';

export interface SlackServices {
  dataarts: DataArtsApi;
  web: SlackWeb;
  publisher: Publisher;
  /** What the bot stored for each message it posted (the instance it shows, its permalink). */
  records: MessageRecords;
  clock: () => number;
  /** "Open in console" link template ({job}, {instance}, {workspace}); no button without it. */
  consoleUrl?: string;
  /** DLF_OPERATORS is set: instance messages show Stop / Rerun (hidden otherwise). */
  operable?: boolean;
  /** Log excerpts are on: failed nodes get a **Log** button (messages, alerts, View all nodes). */
  logButtons?: boolean;
  logger: Logger;
  following: Following;
  access: AccessPolicy;
  /** IANA zone of the times on pictures and of digests (DLF_TIMEZONE). */
  timeZone: string;
  /** Each job's recent runs (cached): slower than usual, App Home's success rates. */
  history: JobHistory;
  /** Signed picture URLs on the bot's front door (DLF_PUBLIC_URL); text sparklines without. */
  pictures?: PictureLinks;
  /** The channels' digests (`/dlf-instance digest`), and their daily schedule. */
  digests: Digests;
  /** Look-ups (DataArts, rendering, posting), in the look-up thread when there is one. */
  look: Looker;
  /** Stop, rerun and run now: who may (DLF_OPERATORS), and the marks that make each write happen once. */
  operations: Operations;
  /** Fair share: look-ups and writes per person and channel, watches and digests (DLF_LIMIT_*). */
  limits: FairShare;
  /** Console links from these hosts unfurl (DLF_UNFURL); what was unfurled where is remembered in `once`. */
  unfurl: UnfurlDeps;
  /** Failed nodes' logs from OBS (the Log buttons); undefined when log excerpts are off. */
  logs?: LogExcerpts;
}

/** What the writes need besides the other services (operate.ts). */
export interface Operations {
  /** DLF_OPERATORS; undefined: nobody may act (and the buttons are hidden). */
  rules?: OperatorRules;
  marks: OperationMarks;
  groups: UserGroups;
}

/** Which console links unfurl (unfurl.ts). */
export interface UnfurlDeps {
  hosts: readonly string[];
  /** Remembers what was unfurled where (30 minutes), across processes with Redis. */
  once: DeliveryLog;
}
