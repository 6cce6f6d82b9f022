/** What every listener is given: the injected clients and settings, nothing global. */
import type { DataArtsApi } from '../../dataarts/api';
import type { InstanceRef } from '../../dataarts/lookup';
import type { Subscriptions } from '../../following/service';
import type { Logger } from '../../logger';
import type { SlackWeb } from '../web';
import type { PostTarget, Publisher } from './publisher';
import type { ShowResult } from './show-instance';

export interface SlackServices {
  dataarts: DataArtsApi;
  web: SlackWeb;
  publisher: Publisher;
  clock: () => number;
  /** "Open in console" link template ({job}, {instance}, {workspace}); no button without it. */
  consoleUrl?: string;
  logger: Logger;
  subscriptions: Subscriptions;
  /** The show-instance flow (look up, render, post, permalink), in the look-up thread when there is one. */
  show(ref: InstanceRef, target: PostTarget): Promise<ShowResult>;
}
