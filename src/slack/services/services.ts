/** What every listener is given: the injected clients and settings, nothing global. */
import type { DataArtsApi } from '../../dataarts/api';
import type { Logger } from '../../logger';
import type { Subscriptions } from '../../subscriptions/service';
import type { SlackWeb } from '../web';
import type { Publisher } from './publisher';

export interface SlackServices {
  dataarts: DataArtsApi;
  web: SlackWeb;
  publisher: Publisher;
  clock: () => number;
  /** "Open in console" link template ({job}, {instance}, {workspace}); no button without it. */
  consoleUrl?: string;
  logger: Logger;
  subscriptions: Subscriptions;
}
