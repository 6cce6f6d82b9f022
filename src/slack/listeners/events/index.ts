/** Events API: the App Home tab. */
import type { App } from '@slack/bolt';
import { renderHome } from '../../blocks/home';
import type { SlackServices } from '../../services/services';

export function register(app: App, services: SlackServices): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await services.web.idempotent.views.publish({
      user_id: event.user,
      view: renderHome(await services.following.ofUser(event.user)),
    });
  });
}
