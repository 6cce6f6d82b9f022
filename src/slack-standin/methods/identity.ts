/**
 * Who is calling and who people are: api.test, auth.test (Bolt calls it at start), users.info, and the members of
 * a user group (usergroups.users.list).
 */
import { renderUser } from '../render';
import { refuse, type WebMethod } from './context';

export const identityMethods: Record<string, WebMethod> = {
  'api.test': { run: (_context, args) => ({ ok: true, args: args.all }) },
  'auth.test': {
    run: ({ workspace: { team, bot } }) => ({
      ok: true,
      url: `https://${team.domain}.slack.com/`,
      team: team.name,
      user: bot.name,
      team_id: team.id,
      user_id: bot.userId,
      bot_id: bot.botId,
      is_enterprise_install: false,
    }),
  },
  'users.info': {
    scope: () => 'users:read',
    run: ({ workspace }, args) => {
      const user = workspace.user(args.str('user') ?? '');
      return user ? { ok: true, user: renderUser(workspace, user) } : refuse('user_not_found');
    },
  },
  'usergroups.users.list': {
    scope: () => 'usergroups:read',
    run: ({ workspace }, args) => {
      const group = workspace.userGroup(args.str('usergroup') ?? '');
      return group ? { ok: true, users: [...group.users] } : refuse('no_such_subteam');
    },
  },
};
