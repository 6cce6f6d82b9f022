/** Events API: the App Home tab, and console links shared in a channel (unfurled into a card). */
import type { App } from '@slack/bolt';
import { HomeViews } from '../../services/home';
import type { SlackServices } from '../../services/services';
import { type LinkShared, unfurlLinks } from '../../services/unfurl';

export function register(app: App, services: SlackServices): void {
  const homes = new HomeViews(services);
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await services.web.idempotent.views.publish({
      user_id: event.user,
      view: await homes.render(event.user),
    });
  });
  app.event('link_shared', async ({ event }) => {
    await unfurlLinks(services, services.unfurl, event as unknown as LinkShared);
  });
}
